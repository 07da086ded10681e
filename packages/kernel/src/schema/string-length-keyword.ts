import { _, str } from 'ajv';
import type { CodeKeywordDefinition, KeywordCxt } from 'ajv';
import { useFunc } from 'ajv/dist/compile/util.js';
import ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js';

// CommonJS under ESM: the function may arrive as the module's default or wrapped once more.
const ucs2length = ((ucs2lengthModule as unknown as { default?: typeof ucs2lengthModule }).default ?? ucs2lengthModule) as typeof ucs2lengthModule;

/**
 * `minLength` and `maxLength` as JSON Schema defines them (Unicode code points) and with ajv's
 * own errors, but counting code points only when the UTF-16 length leaves the answer open: a
 * string has at least half as many code points as UTF-16 units and at most as many. ajv counts
 * every string twice for a schema with both bounds (its `ucs2length` walks the string): for a
 * detector reading's 80-character id that was 370 of the 430 ns its whole validation took.
 */
export const stringLengthKeyword: CodeKeywordDefinition = {
  keyword: ['maxLength', 'minLength'],
  type: 'string',
  schemaType: 'number',
  $data: true,
  error: {
    message({ keyword, schemaCode }) {
      const comp = keyword === 'maxLength' ? 'more' : 'fewer';
      return str`must NOT have ${comp} than ${schemaCode} characters`;
    },
    params: ({ schemaCode }) => _`{limit: ${schemaCode}}`,
  },
  code(cxt: KeywordCxt) {
    const { keyword, data, schemaCode } = cxt;
    const count = useFunc(cxt.gen, ucs2length);
    if (keyword === 'maxLength') {
      // Too long: more UTF-16 units than the limit, and more code points too.
      cxt.fail$data(_`${data}.length > ${schemaCode} && ${count}(${data}) > ${schemaCode}`);
    } else {
      // Too short: fewer units than the limit, or too few units to be sure and too few code points.
      cxt.fail$data(_`${data}.length < ${schemaCode} || (${data}.length < 2 * ${schemaCode} - 1 && ${count}(${data}) < ${schemaCode})`);
    }
  },
};
