import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { activeConditions } from '../deployment/plugin-package.js';

/** What the probe learned of one module: its default export's manifest, or why there is none. */
export type ProbeResult = { readonly ok: true; readonly manifest: unknown } | { readonly ok: false; readonly reason: string };

const PROBE_TIMEOUT_MS = 30_000;

// Runs in the child: imports the bundle and prints its default export as JSON (functions
// dropped). One line of JSON on stdout, nothing else.
const PROBE_SOURCE = `
let result;
try {
  const plugin = (await import(process.env.POLIS_PROBE_BUNDLE)).default;
  result = !plugin || typeof plugin !== 'object' || typeof plugin.setup !== 'function'
    ? { ok: false, reason: 'its default export is not a plugin (export default definePlugin({...}))' }
    : { ok: true, manifest: JSON.parse(JSON.stringify(plugin, (key, value) => (typeof value === 'function' ? undefined : value))) };
} catch (error) {
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  const permission = error && typeof error === 'object' && 'permission' in error ? String(error.permission) : '';
  result = { ok: false, reason: code === 'ERR_ACCESS_DENIED'
    ? 'its module does work at import that reading a manifest may not (' + permission + ')'
    : 'importing it failed: ' + (error instanceof Error ? error.name + ': ' + error.message.split('\\n')[0] : String(error)) };
}
process.stdout.write(JSON.stringify(result));
`;

/**
 * Reads the manifest of a module that ships none (a source file, an unbuilt package) without
 * running it in this process: the module and everything it imports are bundled into one file
 * (esbuild, with this process's export conditions, so TypeScript sources work), and the bundle
 * is imported in a child process under Node's permission model that may read that one file and
 * nothing else: no other file, no writes, no child processes, no worker threads, no native
 * addons, and it is killed after 30 s. Node 20 cannot refuse it the network; a module that
 * connects anywhere at import should ship a manifest (`polis manifest`).
 */
export async function probeManifest(entry: string): Promise<ProbeResult> {
  const folder = await mkdtemp(join(tmpdir(), 'polis-probe-'));
  try {
    const bundle = join(folder, 'plugin.mjs');
    try {
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        conditions: [...activeConditions()].filter((c) => c !== 'node' && c !== 'import'),
        write: false,
        logLevel: 'silent',
        // Bundled CommonJS dependencies call require() for Node's own modules.
        banner: { js: "import { createRequire as __polisCreateRequire } from 'node:module'; const require = __polisCreateRequire(import.meta.url);" },
      });
      await writeFile(bundle, result.outputFiles[0]!.contents);
    } catch (error) {
      const first = (error as { errors?: { text: string }[] }).errors?.[0]?.text;
      return { ok: false, reason: `its module could not be bundled for a sandboxed import: ${first ?? 'esbuild failed'}` };
    }
    return await runSandboxed(bundle);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function runSandboxed(bundle: string): Promise<ProbeResult> {
  const permission = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
  const args = [permission, `--allow-fs-read=${bundle}`, '--disable-warning=ExperimentalWarning', '--input-type=module', '--eval', PROBE_SOURCE];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      // A bare environment: the module learns nothing of this process's secrets.
      { env: { POLIS_PROBE_BUNDLE: pathToFileURL(bundle).href }, timeout: PROBE_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => {
        try {
          const result = JSON.parse(stdout) as ProbeResult;
          if (result && typeof result === 'object' && typeof result.ok === 'boolean') return resolve(result);
        } catch {
          // reported below
        }
        const killed = (error as { killed?: boolean } | null)?.killed;
        resolve({
          ok: false,
          reason: killed
            ? `importing it did not finish within ${PROBE_TIMEOUT_MS / 1000} s`
            : 'the sandboxed import gave no manifest (the module may write to stdout or end the process at import)',
        });
      },
    );
  });
}
