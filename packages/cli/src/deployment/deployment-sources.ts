import { dirname } from 'node:path';
import { ErrorCodes, PolisAggregateError, PolisError } from '@polis/plugin-api';
import { readConfinedFile } from './confined-file.js';
import type { ReadBudget } from './confined-file.js';
import { deploymentProblem } from './deployment-problem.js';
import type { SourcePosition } from './deployment-problem.js';
import { parseSource } from './parsed-source.js';
import type { DocumentPath, ParsedSource } from './parsed-source.js';

/** How deep `$include`s may nest (an include of an include of ...). */
export const MAX_INCLUDE_DEPTH = 8;

/** The deployment file with every `$include` replaced, and the position of any path in it. */
export interface DeploymentSources {
  readonly value: unknown;
  /** Every file read, the deployment file first. */
  readonly files: readonly string[];
  /** Where `path` (a path into the resolved document) was written: the file, line and column. */
  locate(path: DocumentPath): SourcePosition;
}

interface Inclusion {
  readonly at: DocumentPath;
  readonly source: ParsedSource;
}

/**
 * `{ $include: ./road-network.json }` inside a plugin's config is replaced by that file's
 * content, so large data (a road network exported from GIS) stays out of the deployment file.
 * Includes are read only from inside `root` (see readConfinedFile).
 */
export async function resolveIncludes(root: string, main: ParsedSource, budget: ReadBudget): Promise<DeploymentSources> {
  const inclusions: Inclusion[] = [{ at: [], source: main }];
  const problems: PolisError[] = [];

  // `base` is the path at which `source` was included; `chain` the files including it.
  const visit = async (value: unknown, path: DocumentPath, source: ParsedSource, base: DocumentPath, chain: readonly string[]): Promise<unknown> => {
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      for (const [index, item] of value.entries()) items.push(await visit(item, [...path, index], source, base, chain));
      return items;
    }
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    if ('$include' in record) {
      const at = source.locate(path.slice(base.length));
      if (typeof record.$include !== 'string' || Object.keys(record).length !== 1) {
        problems.push(deploymentProblem('$include must be the only key of its map, with a relative file path as its value', at, { rule: 'include-shape' }));
        return undefined;
      }
      if (!(path[0] === 'plugins' && typeof path[1] === 'number' && path[2] === 'config')) {
        // Settings (names, packages, transport, credentials) are written in the deployment file;
        // only data comes from other files, so nothing read elsewhere is ever shown as a setting.
        problems.push(deploymentProblem("$include is only allowed inside a plugin's config (it brings in data, not settings)", at, { rule: 'include-place' }));
        return undefined;
      }
      if (chain.length > MAX_INCLUDE_DEPTH) {
        problems.push(deploymentProblem(`includes nest more than ${MAX_INCLUDE_DEPTH} deep`, at, { rule: 'include-depth' }));
        return undefined;
      }
      try {
        const { path: target, text } = await readConfinedFile(root, dirname(source.file), record.$include, at, budget);
        if (chain.includes(target)) {
          problems.push(deploymentProblem(`$include cycle: ${[...chain, target].join(' -> ')}`, at, { rule: 'include-cycle' }));
          return undefined;
        }
        const included = parseSource(target, text);
        inclusions.push({ at: path, source: included });
        return await visit(included.value, path, included, path, [...chain, target]);
      } catch (error) {
        if (!(error instanceof PolisError)) throw error;
        problems.push(...(error instanceof PolisAggregateError ? error.errors : [error]));
        return undefined;
      }
    }
    // A fresh object with own properties only: nothing in the document can set a prototype.
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record)) {
      Object.defineProperty(result, key, { value: await visit(item, [...path, key], source, base, chain), enumerable: true, writable: true, configurable: true });
    }
    return result;
  };

  const innermost = (path: DocumentPath): Inclusion => {
    let best = inclusions[0]!;
    for (const inclusion of inclusions) {
      if (inclusion.at.length >= best.at.length && inclusion.at.length <= path.length && inclusion.at.every((segment, i) => segment === path[i])) best = inclusion;
    }
    return best;
  };

  const value = await visit(main.value, [], main, [], [main.file]);
  if (problems.length > 0) throw new PolisAggregateError(ErrorCodes.DEPLOYMENT_INVALID, `${main.file}: some includes were refused`, problems);
  return {
    value,
    files: inclusions.map((inclusion) => inclusion.source.file),
    locate(path) {
      const inclusion = innermost(path);
      return inclusion.source.locate(path.slice(inclusion.at.length));
    },
  };
}
