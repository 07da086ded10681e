import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAjv, formatValidationProblems, toValidationProblems } from '@polis/kernel';
import type { PluginEntry } from '@polis/kernel';
import { ErrorCodes, PolisAggregateError, PolisError } from '@polis/plugin-api';
import type { AnyPlugin } from '@polis/plugin-api';
import { parseDocument } from 'yaml';
import { DeploymentSchema } from './deployment-schema.js';
import type { DeploymentSpec } from './deployment-schema.js';

export interface Deployment {
  readonly file: string;
  readonly spec: DeploymentSpec;
  /** The enabled plugins, imported, with their configuration (not yet validated by a kernel). */
  readonly plugins: readonly PluginEntry[];
}

const validateSpec = createAjv({ useDefaults: true, discriminator: true }).compile(DeploymentSchema);

/**
 * Reads a deployment file: YAML (or JSON) with `$include` references resolved, checked against
 * the deployment schema, and every plugin package imported. All problems found are reported
 * together, each saying where (file, line or path) and why.
 */
export async function loadDeployment(file: string): Promise<Deployment> {
  const path = resolve(file);
  const raw = await readStructured(path);
  const document = await resolveIncludes(raw, dirname(path), path);
  if (!validateSpec(document)) {
    const problems = toValidationProblems(validateSpec.errors);
    throw new PolisAggregateError(
      ErrorCodes.DEPLOYMENT_INVALID,
      `${file} is not a valid deployment`,
      problems.map((p) => new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `${file}: ${formatValidationProblems([p])}`, { details: { path: p.path } })),
    );
  }
  const spec = document as DeploymentSpec;
  const problems: PolisError[] = [];
  const plugins: PluginEntry[] = [];
  for (const [index, entry] of spec.plugins.entries()) {
    if (!entry.enabled) continue;
    try {
      plugins.push({ plugin: await importPlugin(entry.package, dirname(path)), config: entry.config });
    } catch (error) {
      problems.push(
        error instanceof PolisError
          ? error
          : new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `plugins[${index}]: cannot load '${entry.package}': ${(error as Error).message}`, { cause: error }),
      );
    }
  }
  if (problems.length > 0) throw new PolisAggregateError(ErrorCodes.DEPLOYMENT_INVALID, `${file}: some plugins could not be loaded`, problems);
  return { file: path, spec, plugins };
}

async function readStructured(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  if (extname(path) === '.json') {
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `${path} is not valid JSON: ${(cause as Error).message}`, { cause });
    }
  }
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new PolisAggregateError(
      ErrorCodes.DEPLOYMENT_INVALID,
      `${path} is not valid YAML`,
      document.errors.map((e) => new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `${path}:${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`)),
    );
  }
  return document.toJS();
}

/**
 * `{ $include: ./road-network.json }` anywhere in the document is replaced by that file's
 * content, so large data (a road network exported from GIS) stays out of the deployment file.
 */
async function resolveIncludes(value: unknown, base: string, from: string, seen: readonly string[] = [from]): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolveIncludes(item, base, from, seen)));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record.$include === 'string' && Object.keys(record).length === 1) {
    const target = resolve(base, record.$include);
    if (seen.includes(target)) {
      throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `$include cycle: ${[...seen, target].join(' -> ')}`);
    }
    return resolveIncludes(await readStructured(target), dirname(target), target, [...seen, target]);
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) result[key] = await resolveIncludes(item, base, from, seen);
  return result;
}

/** Imports a plugin package the way the deployment folder sees it, and checks it is a plugin. */
export async function importPlugin(specifier: string, base: string): Promise<AnyPlugin> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  // Resolved from the deployment's folder, so a city installs its own plugin versions. The
  // resolver honours --conditions, so development runs load TypeScript sources.
  const resolved = isPath ? resolve(base, specifier) : createRequire(resolve(base, 'polis-deployment.cjs')).resolve(specifier);
  const module = (await import(pathToFileURL(resolved).href)) as { default?: unknown };
  const plugin = module.default;
  if (!plugin || typeof plugin !== 'object' || typeof (plugin as { setup?: unknown }).setup !== 'function') {
    throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `'${specifier}' has no plugin as its default export (export default definePlugin({...}))`);
  }
  return plugin as AnyPlugin;
}
