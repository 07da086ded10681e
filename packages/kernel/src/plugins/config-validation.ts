import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { AnyPlugin } from '@polis/plugin-api';
import { createAjv } from '../schema/ajv-factory.js';
import { formatValidationProblems, toValidationProblems } from '../schema/validation-problems.js';

const ajv = createAjv({ useDefaults: true });

/**
 * A plugin's configuration checked against its config schema, with the schema's defaults
 * applied to a copy (the caller's object is never changed).
 */
export function resolveConfig(plugin: AnyPlugin, raw: unknown): { config: unknown; problem?: PolisError } {
  const config: unknown = raw === undefined ? {} : structuredClone(raw);
  if (!plugin.config) return { config };
  let validate;
  try {
    validate = ajv.compile(plugin.config);
  } catch (cause) {
    return {
      config,
      problem: new PolisError(ErrorCodes.MANIFEST_INVALID, `manifest.config is not a valid JSON Schema: ${(cause as Error).message}`, {
        plugin: plugin.name,
        cause,
      }),
    };
  }
  if (validate(config)) return { config };
  const problems = toValidationProblems(validate.errors);
  return {
    config,
    problem: new PolisError(ErrorCodes.CONFIG_INVALID, `configuration ${formatValidationProblems(problems)}`, {
      plugin: plugin.name,
      details: { problems },
    }),
  };
}
