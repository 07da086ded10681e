import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { newReadBudget, readConfinedFile } from '../deployment/confined-file.js';
import { parseSource } from '../deployment/parsed-source.js';
import type { PluginPackage } from '../deployment/plugin-package.js';
import type { ManifestFile } from './polis-field.js';

/**
 * A manifest read as data; or why there is none to use (`absent`: the package ships none, or
 * one made from other code than the deployment loads); or why the one it ships is refused.
 */
export type StaticManifest =
  | { readonly kind: 'found'; readonly manifest: unknown; readonly file: string }
  | { readonly kind: 'absent'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * The manifest a plugin package ships (`polis.manifest` in its package.json, written by
 * `polis manifest` at build time), read as data: no code of the package runs. It is used only
 * if it was made from exactly the module the deployment would load (same file, same bytes);
 * otherwise the reason is returned, and the caller decides what to do without it. A manifest
 * file that is there but not valid data is refused, never replaced by running the code.
 */
export async function readStaticManifest(pkg: PluginPackage): Promise<StaticManifest> {
  if (!pkg.root || !pkg.packageJson) return { kind: 'absent', reason: 'it is a module file outside any package' };
  const field = pkg.packageJson.polis as { manifest?: unknown } | undefined;
  if (!field || typeof field !== 'object' || typeof field.manifest !== 'string') {
    return { kind: 'absent', reason: 'its package.json has no "polis" field (polis manifest writes it at build time)' };
  }
  const at = { file: `${pkg.root}/package.json` };
  let parsed: unknown;
  let path: string;
  try {
    // The manifest path comes from the package: it must stay inside the package folder.
    const read = await readConfinedFile(pkg.root, pkg.root, field.manifest, at, newReadBudget());
    path = read.path;
    parsed = parseSource(read.path.endsWith('.json') ? read.path : `${read.path}.json`, read.text).value;
  } catch (error) {
    return { kind: 'invalid', reason: `its manifest file is refused: ${(error as Error).message}` };
  }
  const file = parsed as Partial<ManifestFile> | null;
  if (!file || typeof file !== 'object' || file.polisManifest !== 1 || typeof file.entry !== 'string' || typeof file.sha256 !== 'string') {
    return { kind: 'invalid', reason: `${path} is not a polis manifest file (format 1, as polis manifest writes)` };
  }
  const entry = relative(pkg.root, pkg.entry);
  if (entry !== file.entry) return { kind: 'absent', reason: `its manifest describes ${file.entry}, but the deployment loads ${entry}` };
  const sha256 = createHash('sha256').update(await readFile(pkg.entry)).digest('hex');
  if (sha256 !== file.sha256) return { kind: 'absent', reason: `${entry} changed after its manifest was written (rebuild the package)` };
  return { kind: 'found', manifest: file.plugin, file: path };
}
