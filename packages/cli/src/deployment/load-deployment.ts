import { pathToFileURL } from 'node:url';
import type { PluginEntry } from '@polis/kernel';
import { ErrorCodes, PolisAggregateError, PolisError } from '@polis/plugin-api';
import type { AnyPlugin } from '@polis/plugin-api';
import { fileDiagnostic, formatDiagnostic } from './diagnostics.js';
import type { Diagnostic, EntryRef } from './diagnostics.js';
import { parseDuration } from './duration.js';
import { resolvePluginPackage } from './plugin-package.js';
import { readDeployment } from './read-deployment.js';
import type { DeploymentFile } from './read-deployment.js';

/** An enabled entry of the deployment with its plugin imported. */
export interface LoadedEntry extends PluginEntry {
  readonly entry: EntryRef;
  readonly plugin: AnyPlugin;
  /** Hot-plug it this many milliseconds (city time) after start; absent: start with the city. */
  readonly startAfterMs?: number;
}

export interface Deployment extends DeploymentFile {
  /** The enabled plugins, imported, with their configuration (not yet validated by a kernel). */
  readonly plugins: readonly LoadedEntry[];
}

/**
 * Reads a deployment file (see readDeployment) and imports every enabled plugin package from
 * the deployment's folder: this runs the plugins' module code, as `start` must. All problems
 * are reported together, each with its file, line and entry.
 */
export async function loadDeployment(file: string): Promise<Deployment> {
  const deployment = await readDeployment(file);
  const diagnostics: Diagnostic[] = [];
  const plugins: LoadedEntry[] = [];
  for (const [index, spec] of deployment.spec.plugins.entries()) {
    if (!spec.enabled) continue;
    const entry = { index, spec };
    const at = deployment.locate(['plugins', index, 'package']);
    try {
      const plugin = await importPlugin(spec.package, deployment.folder);
      const startAfterMs = spec.startAfter === undefined ? undefined : parseDuration(spec.startAfter);
      plugins.push({ entry, plugin, config: spec.config, ...(startAfterMs === undefined ? {} : { startAfterMs }) });
    } catch (error) {
      const problem = error instanceof PolisError ? error : new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `importing the plugin failed: ${describe(error)}`, { cause: error });
      diagnostics.push({ ...fileDiagnostic(problem, at, entry), at });
    }
  }
  if (diagnostics.length > 0) {
    throw new PolisAggregateError(
      ErrorCodes.DEPLOYMENT_INVALID,
      `${deployment.file}: some plugins could not be loaded`,
      diagnostics.map((d) => new PolisError(ErrorCodes.DEPLOYMENT_INVALID, formatDiagnostic(d), { details: { diagnostic: d } })),
    );
  }
  return { ...deployment, plugins };
}

/**
 * Imports a plugin package as a deployment folder sees it (a package name resolved from the
 * folder, so a city installs its own plugin versions, or a path to a file or package folder),
 * and checks that its default export is a plugin. Runs the module's code.
 */
export async function importPlugin(specifier: string, folder: string): Promise<AnyPlugin> {
  const module = (await import(pathToFileURL(resolvePluginPackage(specifier, folder).entry).href)) as { default?: unknown };
  const plugin = module.default;
  if (!plugin || typeof plugin !== 'object' || typeof (plugin as { setup?: unknown }).setup !== 'function') {
    throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, 'its default export is not a plugin (export default definePlugin({...}))');
  }
  return plugin as AnyPlugin;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
}
