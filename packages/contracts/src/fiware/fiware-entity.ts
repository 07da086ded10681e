import { Type } from '@polis/plugin-api';
import type { JsonSchema, TSchema } from '@polis/plugin-api';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FiwareEntity, KeyValuesOptions } from './ngsi-to-key-values.js';
import { toKeyValues } from './ngsi-to-key-values.js';
import type { FiwareModelName } from './smart-data-models.js';
import { fiwareModelSchema } from './smart-data-models.js';

// ajv-formats is CommonJS; under ESM its default export arrives wrapped on some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

/**
 * The `data` schema of an event carrying one FIWARE entity (`{ entity }`), in key-values form
 * (validated by the bus against the real Smart Data Model) or NGSI-v2 / NGSI-LD normalized form
 * (checked for its shape by the bus; the consumer converts it with {@link fiwareEntityValidator},
 * which validates the key-values against the same model).
 */
export function fiwareEntityEventSchema(model: FiwareModelName): TSchema & { static: { entity: FiwareEntity } } {
  const { $defs, ...keyValues } = fiwareModelSchema(model) as Record<string, unknown>;
  const normalized = {
    type: 'object',
    required: ['id', 'type'],
    properties: { id: { type: 'string' }, type: { const: model } },
    additionalProperties: {
      anyOf: [
        { type: 'object', required: ['type', 'value'] },
        { type: 'object', required: ['type', 'object'] },
        { type: 'string' },
        { type: 'array' },
      ],
    },
  };
  return Type.Unsafe<{ entity: FiwareEntity }>({
    type: 'object',
    required: ['entity'],
    properties: { entity: { anyOf: [keyValues, normalized] } },
    // The model's definitions live at the root, where its bundled `#/$defs/...` refs point.
    ...($defs === undefined ? {} : { $defs }),
  });
}

/** A FIWARE entity in key-values form, or where and why it is not a valid entity of its model. */
export type FiwareValidation =
  | { readonly ok: true; readonly values: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly path: string; readonly reason: string; readonly problems: readonly FiwareProblem[] };

/** One failure of an entity against its model: where (JSON Pointer into `{ entity }`), which rule, why. */
export interface FiwareProblem {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

/**
 * A validator of entities of one Smart Data Model in any of the three shapes: converts to
 * key-values, then validates against the model's real schema. The schema is compiled once, on
 * first use: compiling a FIWARE model takes a few hundred milliseconds that a deployment with no
 * FIWARE sources should not pay at start. Paths in failures are JSON Pointers into `{ entity }`.
 */
export function fiwareEntityValidator(
  model: FiwareModelName | { readonly name: string; readonly schema: JsonSchema },
): (entity: FiwareEntity, options?: KeyValuesOptions) => FiwareValidation {
  const name = typeof model === 'string' ? model : model.name;
  let validate: ValidateFunction | undefined;
  return (entity, options) => {
    if (validate === undefined) {
      // `strict: false` because FIWARE schemas carry keywords ajv does not know (`modelTags`, ...).
      const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
      addFormats(ajv);
      validate = ajv.compile(typeof model === 'string' ? fiwareModelSchema(model) : model.schema);
    }
    const values = toKeyValues(entity, options);
    if (validate(values)) return { ok: true, values };
    return schemaFailure(name, validate.errors ?? []);
  };
}

/** The first failure's path, and every failure in the reason (a model's `allOf` can report several). */
function schemaFailure(model: string, errors: readonly ErrorObject[]): FiwareValidation {
  const messages = [...new Set(errors.map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`))];
  const problems = errors.map((error) => {
    const missing = error.keyword === 'required' ? `/${String((error.params as { missingProperty?: unknown }).missingProperty)}` : '';
    return { path: `/entity${error.instancePath}${missing}`, rule: error.keyword, message: error.message ?? 'is invalid' };
  });
  return { ok: false, path: `/entity${errors[0]?.instancePath ?? ''}`, reason: `not a valid FIWARE ${model}: ${messages.join('; ')}`, problems };
}
