import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnyPlugin } from '@polis/plugin-api';
import { moduleResolve } from 'import-meta-resolve';
import { readPackageJson } from '../deployment/plugin-package.js';
import { manifestOf } from '../manifest/manifest-json.js';
import { MANIFEST_FILE_NAME, polisFieldOf } from '../manifest/polis-field.js';
import type { ManifestFile, PolisField } from '../manifest/polis-field.js';
import type { Output } from '../program.js';

/** The conditions a published package is loaded with: never a development source condition. */
const PUBLISHED_CONDITIONS = new Set(['node', 'import']);

/** The built entry of a package: what an installed copy of it loads. */
export function publishedEntry(folder: string): string {
  const manifestPath = join(folder, 'package.json');
  const pkg = readPackageJson(manifestPath);
  const entry =
    pkg.exports !== undefined && typeof pkg.name === 'string'
      ? fileURLToPath(moduleResolve(pkg.name, pathToFileURL(manifestPath), PUBLISHED_CONDITIONS))
      : resolve(folder, pkg.main ?? 'index.js');
  return entry;
}

/** The `polis` field and manifest file of a plugin whose built entry is `entry`. */
export function manifestFiles(folder: string, entry: string, plugin: AnyPlugin): { field: PolisField; file: ManifestFile; path: string } {
  const manifest = manifestOf(plugin);
  const path = join(dirname(entry), MANIFEST_FILE_NAME);
  const file: ManifestFile = {
    polisManifest: 1,
    entry: relative(folder, entry),
    sha256: createHash('sha256').update(readFileSync(entry)).digest('hex'),
    plugin: manifest,
  };
  return { field: polisFieldOf(manifest, `./${relative(folder, path)}`), file, path };
}

/**
 * `polis manifest [folder]`: imports the package's built entry (this runs its code: it is the
 * vendor's own build step), and writes its manifest beside it plus the package.json `polis`
 * field, so deployments can check the plugin without running it. `--check` writes nothing
 * and fails if the package.json field is out of date.
 */
export async function writeManifest(folder: string, options: { check?: boolean }, io: Output): Promise<number> {
  const root = resolve(folder);
  const packageJsonPath = join(root, 'package.json');
  if (!existsSync(packageJsonPath)) {
    io.err(`${root} has no package.json`);
    return 1;
  }
  let entry: string;
  try {
    entry = publishedEntry(root);
  } catch (error) {
    io.err(`cannot find the package's entry: ${(error as Error).message.split('\n')[0]}`);
    return 1;
  }
  if (!existsSync(entry)) {
    io.err(`${relative(root, entry)} does not exist: build the package first`);
    return 1;
  }
  const plugin = ((await import(pathToFileURL(entry).href)) as { default?: AnyPlugin }).default;
  if (!plugin || typeof plugin !== 'object' || typeof plugin.setup !== 'function') {
    io.err(`${relative(root, entry)} has no plugin as its default export (export default definePlugin({...}))`);
    return 1;
  }
  const { field, file, path } = manifestFiles(root, entry, plugin);
  const text = readFileSync(packageJsonPath, 'utf8');
  const pkg = JSON.parse(text) as Record<string, unknown>;
  const current = JSON.stringify(pkg.polis);
  if (options.check) {
    if (current === JSON.stringify(field)) return 0;
    io.err(`${packageJsonPath}: the "polis" field is out of date; run polis manifest (the build does)`);
    return 1;
  }
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  if (current !== JSON.stringify(field)) {
    pkg.polis = field;
    writeFileSync(packageJsonPath, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  if (typeof pkg.version === 'string' && pkg.version !== plugin.version) {
    io.err(`warning: the package is version ${pkg.version} but the plugin says ${plugin.version}; keep them equal`);
  }
  io.out(`${plugin.name}@${plugin.version}: wrote ${relative(root, path)} and the package.json "polis" field`);
  return 0;
}
