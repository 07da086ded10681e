import { Kernel, createLogger } from '@polis/kernel';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import { unknownConfigKeys } from '../deployment/config-keys.js';
import { WarningCodes, entryOf, fileDiagnostic, flattenErrors, kernelDiagnostics } from '../deployment/diagnostics.js';
import type { Diagnostic, EntryPlugin, EntryRef } from '../deployment/diagnostics.js';
import { resolvePluginPackage } from '../deployment/plugin-package.js';
import type { PluginPackage } from '../deployment/plugin-package.js';
import { readDeployment } from '../deployment/read-deployment.js';
import type { DeploymentFile } from '../deployment/read-deployment.js';
import { wiringWarnings } from '../deployment/wiring-report.js';
import { standInPlugin } from '../manifest/manifest-json.js';
import { probeManifest } from '../manifest/sandboxed-manifest-probe.js';
import { readStaticManifest } from '../manifest/static-manifest.js';

export interface CheckResult {
  /** True when nothing is an error (warnings allowed). */
  readonly ok: boolean;
  /** Errors, warnings and notes, in the order of the deployment's entries. */
  readonly diagnostics: readonly Diagnostic[];
  /** `name@version` of every enabled plugin with no error. */
  readonly plugins: readonly string[];
}

/**
 * The dry run: everything `start` would refuse, found without starting anything and without
 * running plugin code. Reads the file and its includes, finds every package, reads each
 * plugin's manifest as data (the `polis` field of its package.json; a module without one is
 * imported in a sandboxed child process), and runs all of the kernel's validation: manifests,
 * configs, names, service dependencies, schema compatibility. Then warns about unknown config
 * keys and loose wiring. Every problem of every entry is reported in one pass.
 */
export async function checkDeployment(file: string): Promise<CheckResult> {
  let deployment: DeploymentFile;
  try {
    deployment = await readDeployment(file);
  } catch (error) {
    return { ok: false, diagnostics: flattenErrors(error).map((e) => fileDiagnostic(e, { file })), plugins: [] };
  }
  const diagnostics: Diagnostic[] = [];
  const at = (entry: EntryRef, ...path: (string | number)[]) => deployment.locate(['plugins', entry.index, ...path]);
  const entries: EntryRef[] = deployment.spec.plugins.map((spec, index) => ({ index, spec })).filter((entry) => entry.spec.enabled);

  const found: Array<{ entry: EntryRef; pkg: PluginPackage }> = [];
  for (const entry of entries) {
    try {
      found.push({ entry, pkg: resolvePluginPackage(entry.spec.package, deployment.folder) });
    } catch (error) {
      if (!(error instanceof PolisError)) throw error;
      diagnostics.push({ ...fileDiagnostic(error, at(entry, 'package'), entry), at: at(entry, 'package') });
    }
  }

  const manifests = new Map<EntryRef, unknown>();
  const unmanifested: Array<{ entry: EntryRef; pkg: PluginPackage; reason: string }> = [];
  for (const { entry, pkg } of found) {
    const manifest = await readStaticManifest(pkg);
    if (manifest.kind === 'found') manifests.set(entry, manifest.manifest);
    else if (manifest.kind === 'absent') unmanifested.push({ entry, pkg, reason: manifest.reason });
    else diagnostics.push({ severity: 'error', code: ErrorCodes.MANIFEST_INVALID, message: manifest.reason, at: at(entry, 'package'), entry: entryOf(entry) });
  }
  const probed = await Promise.all(unmanifested.map((u) => probeManifest(u.pkg.entry)));
  unmanifested.forEach(({ entry, reason }, i) => {
    const result = probed[i]!;
    if (result.ok) {
      manifests.set(entry, result.manifest);
      diagnostics.push({
        severity: 'note',
        code: WarningCodes.NO_STATIC_MANIFEST,
        message: `read by importing its module in a sandboxed child process: no static manifest (${reason})`,
        at: at(entry, 'package'),
        entry: entryOf(entry),
      });
    } else {
      diagnostics.push({ severity: 'error', code: ErrorCodes.DEPLOYMENT_INVALID, message: `cannot read the plugin's manifest: ${result.reason}`, at: at(entry, 'package'), entry: entryOf(entry) });
    }
  });

  const plugins: EntryPlugin[] = entries.filter((entry) => manifests.has(entry)).map((entry) => ({ entry, plugin: standInPlugin(manifests.get(entry)) }));
  const kernel = new Kernel({ logger: createLogger({ level: 'silent' }) });
  const problems = await kernel.check(plugins.map(({ entry, plugin }) => ({ plugin, config: entry.spec.config })));
  diagnostics.push(...kernelDiagnostics(problems, plugins, deployment.locate, deployment.file));

  const refused = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.entry?.index));
  // Config keys are compared with the config schema of a manifest that passed validation.
  const unreadable: ReadonlySet<string> = new Set([ErrorCodes.MANIFEST_INVALID, ErrorCodes.KERNEL_VERSION_MISMATCH, ErrorCodes.DEPLOYMENT_INVALID]);
  const badManifest = new Set(diagnostics.filter((d) => d.severity === 'error' && unreadable.has(d.code)).map((d) => d.entry?.index));
  for (const { entry, plugin } of plugins) {
    if (badManifest.has(entry.index)) continue;
    // Once per key and place (list items folded into [*]), and only where the deployment file
    // itself sets it: included files hold data (a road network), not settings.
    const seen = new Map<string, number>();
    for (const unknown of unknownConfigKeys(plugin.config, entry.spec.config ?? {})) {
      const where = at(entry, 'config', ...unknown.path);
      if (where.file !== deployment.file) continue;
      const path = unknown.path.map((segment) => (typeof segment === 'number' ? '[*]' : `.${segment}`)).join('');
      if (seen.has(path)) continue;
      seen.set(path, diagnostics.length);
      diagnostics.push({
        severity: 'warning',
        code: WarningCodes.CONFIG_UNKNOWN_KEY,
        message: `config${path} is not a setting of ${plugin.name}, so it is ignored${unknown.suggestion ? `; did you mean '${unknown.suggestion}'?` : ''}`,
        at: where,
        entry: entryOf(entry),
        plugin: plugin.name,
      });
    }
  }
  const byName = new Map(plugins.map((p) => [p.plugin.name, p]));
  if (!diagnostics.some((d) => d.severity === 'error')) {
    for (const warning of wiringWarnings(plugins)) {
      const owner = byName.get(warning.plugin)!;
      diagnostics.push({ severity: 'warning', code: warning.code, message: warning.message, at: at(owner.entry), entry: entryOf(owner.entry), plugin: warning.plugin });
    }
  }
  const order = (d: Diagnostic) => d.entry?.index ?? -1;
  diagnostics.sort((a, b) => order(a) - order(b));
  return {
    ok: !diagnostics.some((d) => d.severity === 'error'),
    diagnostics,
    plugins: plugins.filter(({ entry }) => !refused.has(entry.index)).map(({ plugin }) => `${String(plugin.name)}@${String(plugin.version)}`),
  };
}
