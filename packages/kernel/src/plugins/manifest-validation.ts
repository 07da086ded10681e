import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { AnyPlugin, EventDefinition, QueryDefinition } from '@polis/plugin-api';
import semver from 'semver';
import { eventTypeProblem, patternProblem } from '../bus/subject-pattern.js';
import { createAjv } from '../schema/ajv-factory.js';
import { toValidationProblems } from '../schema/validation-problems.js';
import { manifestSchema } from './manifest-schema.js';

const ajv = createAjv();

/** The name pattern of manifest-schema.ts, in words (a regex is no help to the reader). */
const NAME_RULE =
  "must be an npm-style name: lower-case letters, digits and '-', '.', '_' or '~', starting with a letter or digit, optionally scoped as @scope/name";
const validateShape = ajv.compile(manifestSchema);

/** How a plugin is named in errors before its name is known to be valid. */
function pluginLabel(plugin: unknown, index: number): string {
  const name = (plugin as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.length > 0 ? name : `plugins[${index}]`;
}

/**
 * Every problem of one manifest, none thrown: shape, semver, the kernel API range, event and
 * pattern names. Runs before any plugin code.
 */
export function manifestProblems(plugin: unknown, index: number, kernelApiVersion: string): PolisError[] {
  const label = pluginLabel(plugin, index);
  const invalid = (message: string, details: Record<string, unknown> = {}) =>
    new PolisError(ErrorCodes.MANIFEST_INVALID, message, { plugin: label, details });

  if (plugin === null || typeof plugin !== 'object') {
    return [invalid(`a plugin must be an object made with definePlugin(), got ${plugin === null ? 'null' : typeof plugin}`)];
  }
  const problems: PolisError[] = [];
  if (!validateShape(plugin)) {
    for (const p of toValidationProblems(validateShape.errors)) {
      const message = p.path === '/name' && p.rule === 'pattern' ? NAME_RULE : p.message;
      problems.push(invalid(`manifest${p.path.replaceAll('/', '.')} ${message}`, { path: p.path, rule: p.rule }));
    }
  }
  const manifest = plugin as Partial<AnyPlugin>;
  if (typeof manifest.setup !== 'function') problems.push(invalid('manifest.setup must be a function'));
  if (typeof manifest.version === 'string' && !semver.valid(manifest.version)) {
    problems.push(invalid(`manifest.version '${manifest.version}' is not a semver version such as 1.2.3`));
  }
  if (typeof manifest.kernel === 'string') {
    if (!semver.validRange(manifest.kernel)) {
      problems.push(invalid(`manifest.kernel '${manifest.kernel}' is not a semver range such as ^1`));
    } else if (!semver.satisfies(kernelApiVersion, manifest.kernel)) {
      problems.push(
        new PolisError(
          ErrorCodes.KERNEL_VERSION_MISMATCH,
          `needs kernel API ${manifest.kernel}, but this kernel provides ${kernelApiVersion}`,
          { plugin: label, details: { wanted: manifest.kernel, actual: kernelApiVersion } },
        ),
      );
    }
  }
  if (problems.length > 0) return problems;

  const definitions: Array<[string, readonly (EventDefinition | QueryDefinition)[] | undefined]> = [
    ['publishes', manifest.publishes],
    ['requests', manifest.requests],
    ['answers', manifest.answers],
  ];
  for (const [field, list] of definitions) {
    const versions = new Map<string, number>();
    list?.forEach((definition, i) => {
      const problem = eventTypeProblem(definition.type);
      if (problem) problems.push(invalid(`manifest.${field}[${i}]: ${problem}`));
      const seen = versions.get(definition.type);
      if (seen !== undefined && seen !== definition.version) {
        problems.push(invalid(`manifest.${field} declares ${definition.type} twice (v${seen} and v${definition.version}); declare one version`));
      }
      versions.set(definition.type, definition.version);
    });
  }
  manifest.consumes?.forEach((consumable, i) => {
    const problem = typeof consumable === 'string' ? patternProblem(consumable) : eventTypeProblem(consumable.type);
    if (problem) problems.push(invalid(`manifest.consumes[${i}]: ${problem}`));
  });
  return problems;
}
