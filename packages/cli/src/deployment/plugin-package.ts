import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import { moduleResolve } from 'import-meta-resolve';

/** A `package:` entry of a deployment, found on disk. */
export interface PluginPackage {
  /** As written in the deployment file. */
  readonly specifier: string;
  /** The module file `import` loads for it. */
  readonly entry: string;
  /** The package it belongs to (absent for a bare file outside any package). */
  readonly root?: string;
  readonly packageJson?: PackageJson;
}

/** The fields of a package.json that Polis reads. */
export interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly main?: string;
  readonly exports?: unknown;
  readonly keywords?: readonly string[];
  readonly polis?: unknown;
}

/**
 * Finds a plugin package the way `import` would from the deployment's folder, so a city
 * installs its own plugin versions: an npm package name (with an optional subpath), a path to a
 * package folder, or a path to a module file. Honours the export conditions this process runs
 * with (`--conditions`), so development runs resolve TypeScript sources.
 */
export function resolvePluginPackage(specifier: string, folder: string): PluginPackage {
  const isPath = specifier === '.' || specifier.startsWith('./') || specifier.startsWith('../') || isAbsolute(specifier);
  if (!isPath) return resolveBare(specifier, folder);
  const path = resolve(folder, specifier);
  if (!existsSync(path)) throw notFound(specifier, `no such file or folder: ${path}`);
  if (statSync(path).isDirectory()) return resolveFolder(specifier, path);
  const root = packageRootOf(path);
  return { specifier, entry: path, ...(root ? { root: root.root, packageJson: root.packageJson } : {}) };
}

function resolveBare(specifier: string, folder: string): PluginPackage {
  let entry: string;
  try {
    entry = fileURLToPath(moduleResolve(specifier, pathToFileURL(join(folder, 'polis-deployment.js')), activeConditions()));
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    const why =
      code === 'ERR_MODULE_NOT_FOUND'
        ? `it is not installed where the deployment is (npm install ${packageName(specifier)} in ${folder})`
        : code === 'ERR_PACKAGE_PATH_NOT_EXPORTED'
          ? `the package exports no '${specifier.slice(packageName(specifier).length + 1) || '.'}' entry`
          : (code ?? 'it cannot be resolved');
    throw notFound(specifier, why, cause);
  }
  const root = packageRootOf(entry, packageName(specifier));
  return { specifier, entry, ...(root ? { root: root.root, packageJson: root.packageJson } : {}) };
}

/** A package folder given as a path: its own name resolves its main export (self-reference). */
function resolveFolder(specifier: string, folder: string): PluginPackage {
  const manifestPath = join(folder, 'package.json');
  if (!existsSync(manifestPath)) throw notFound(specifier, `the folder ${folder} has no package.json`);
  const packageJson = readPackageJson(manifestPath);
  let entry: string | undefined;
  if (packageJson.exports !== undefined && typeof packageJson.name === 'string') {
    try {
      entry = fileURLToPath(moduleResolve(packageJson.name, pathToFileURL(manifestPath), activeConditions()));
    } catch (cause) {
      throw notFound(specifier, `its package.json "exports" has no entry for '.' under the conditions ${[...activeConditions()].join(', ')}`, cause);
    }
  } else {
    entry = resolve(folder, packageJson.main ?? 'index.js');
  }
  if (!existsSync(entry)) throw notFound(specifier, `its entry ${entry} does not exist (is the package built?)`);
  return { specifier, entry, root: folder, packageJson };
}

/** The nearest package.json above `file` (named `name`, when given). */
export function packageRootOf(file: string, name?: string): { root: string; packageJson: PackageJson } | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const packageJson = readPackageJson(candidate);
      if (name === undefined || packageJson.name === name) return { root: dir, packageJson };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export function readPackageJson(path: string): PackageJson {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as PackageJson;
  } catch (cause) {
    // The parse error is not repeated: it quotes the file.
    throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `${path} is not a valid package.json`, { cause });
  }
}

/** `@acme/parking/sub` -> `@acme/parking`; `traffic/x` -> `traffic`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The ESM conditions of this process: Node's defaults plus any `--conditions` / `-C`. */
export function activeConditions(): Set<string> {
  const conditions = new Set(['node', 'import']);
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  args.forEach((arg, i) => {
    const inline = /^(?:--conditions|-C)=(.+)$/.exec(arg);
    if (inline) conditions.add(inline[1]!);
    else if ((arg === '--conditions' || arg === '-C') && args[i + 1]) conditions.add(args[i + 1]!);
  });
  return conditions;
}

function notFound(specifier: string, why: string, cause?: unknown): PolisError {
  return new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `cannot find the plugin package: ${why}`, { cause, details: { package: specifier } });
}
