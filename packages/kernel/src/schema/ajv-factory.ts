import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { isDateTime } from './date-time-format.js';
import { stringLengthKeyword } from './string-length-keyword.js';

// ajv-formats is CommonJS; under ESM its default export arrives wrapped on some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

/**
 * One place that configures ajv: JSON Schema 2020-12 with formats. `strict: false` because real
 * city schemas (FIWARE's among them) carry keywords ajv does not know, and refusing them
 * would refuse real data models.
 */
export function createAjv(options: Options = {}): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, ...options });
  addFormats(ajv);
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
  ajv.removeKeyword('maxLength');
  ajv.removeKeyword('minLength');
  ajv.addKeyword(stringLengthKeyword);
  return ajv;
}
