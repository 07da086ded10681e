import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { KERNEL_API_VERSION } from '@polis/kernel';
import semver from 'semver';
import { readPackageJson } from '../deployment/plugin-package.js';
import type { PolisField } from '../manifest/polis-field.js';
import type { Output } from '../program.js';

/** One installed plugin package, as its package.json describes it. */
export interface InstalledPlugin {
  readonly package: string;
  readonly version: string;
  /** The plugin's name in a deployment; undefined when the package has no `polis` field. */
  readonly plugin?: string;
  readonly kernel?: string;
  /** Whether this kernel's plugin API is inside the package's kernel range. */
  readonly compatible?: boolean;
  readonly folder: string;
}

/**
 * The plugin packages a deployment folder would load: every package in the node_modules
 * folders Node would search from it (the nearest copy of a name wins) whose package.json has a
 * `polis` field or the `polis-plugin` keyword. Reads package.json files only.
 */
export function installedPlugins(folder: string): InstalledPlugin[] {
  const found = new Map<string, InstalledPlugin>();
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    const modules = join(dir, 'node_modules');
    if (existsSync(modules)) {
      for (const name of packageNames(modules)) {
        if (found.has(name)) continue;
        const packageFolder = join(modules, name);
        let pkg;
        try {
          pkg = readPackageJson(join(packageFolder, 'package.json'));
        } catch {
          continue;
        }
        const field = pkg.polis as Partial<PolisField> | undefined;
        if (!field && !pkg.keywords?.includes('polis-plugin')) continue;
        const kernel = typeof field?.kernel === 'string' ? field.kernel : undefined;
        found.set(name, {
          package: name,
          version: pkg.version ?? '?',
          ...(typeof field?.plugin === 'string' ? { plugin: field.plugin } : {}),
          ...(kernel ? { kernel, compatible: semver.validRange(kernel) !== null && semver.satisfies(KERNEL_API_VERSION, kernel) } : {}),
          folder: packageFolder,
        });
      }
    }
    if (dirname(dir) === dir) break;
  }
  return [...found.values()].sort((a, b) => a.package.localeCompare(b.package));
}

function packageNames(modules: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const scoped of readdirSync(join(modules, entry))) names.push(`${entry}/${scoped}`);
    } else {
      names.push(entry);
    }
  }
  return names;
}

/** `polis plugins [folder]`: prints the installed plugin packages. */
export async function listPlugins(folder: string, options: { json?: boolean }, io: Output): Promise<number> {
  const plugins = installedPlugins(folder);
  if (options.json) {
    io.out(JSON.stringify(plugins, null, 2));
    return 0;
  }
  if (plugins.length === 0) {
    io.out(`no plugin packages are installed for ${resolve(folder)} (npm install one, e.g. npm install @polis/plugin-traffic)`);
    return 0;
  }
  const rows = [['package', 'version', 'plugin', 'kernel', `runs on kernel API ${KERNEL_API_VERSION}`]];
  for (const p of plugins) {
    rows.push([p.package, p.version, p.plugin ?? '(no polis field)', p.kernel ?? '?', p.compatible === undefined ? '?' : p.compatible ? 'yes' : 'NO']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) io.out(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  return 0;
}
