import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { JsonSchema } from '@polis/plugin-api';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Makes a JSON Schema self-contained: every `$ref` to another document (by absolute URL,
 * with or without a JSON pointer) is copied under the root's `$defs` and the reference
 * rewritten to point there, recursively, so a validator never fetches anything. `documents`
 * maps each URL a schema may reference to that document. A reference to a document not in
 * `documents` is a `POLIS_SCHEMA_INVALID` error naming the URL and where it was found.
 *
 * The root's own `$id` is dropped (its `$ref`s are resolved here, and versions of one event
 * type often share it); local references (`#/...`) of the root are kept as they are.
 */
export function bundleSchema(schema: JsonSchema, documents: ReadonlyMap<string, JsonSchema>): JsonSchema {
  const defs: Record<string, Json> = {};
  const names = new DocumentNames();

  const inline = (url: string, pointer: string, at: string): string => {
    const document = documents.get(url);
    if (document === undefined) {
      throw new PolisError(ErrorCodes.SCHEMA_INVALID, `$ref to '${url}' at ${at || '/'}: that document is not bundled; pass it in the shared documents`, {
        details: { ref: url, path: at },
      });
    }
    const key = names.keyOf(url, document, pointer);
    if (!(key in defs)) {
      defs[key] = {}; // claimed first, so a cycle of references ends here
      const target = resolvePointer(document as Json, pointer);
      if (target === undefined) {
        throw new PolisError(ErrorCodes.SCHEMA_INVALID, `$ref to '${url}#${pointer}' at ${at || '/'}: no such location in that document`, {
          details: { ref: `${url}#${pointer}`, path: at },
        });
      }
      defs[key] = rewrite(target, url, `${url}#${pointer}`);
    }
    return `#/$defs/${escapePointerToken(key)}`;
  };

  /** Copies `node`, rewriting references; `base` is the URL of the document `node` is in (undefined for the root). */
  const rewrite = (node: Json, base: string | undefined, at: string): Json => {
    if (Array.isArray(node)) return node.map((item, index) => rewrite(item, base, `${at}/${index}`));
    if (node === null || typeof node !== 'object') return node;
    const result: Record<string, Json> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const [url, pointer = ''] = splitRef(value);
        if (url === '') result.$ref = base === undefined ? value : inline(base, pointer, at);
        else result.$ref = inline(url, pointer, at);
        continue;
      }
      result[key] = rewrite(value, base, `${at}/${escapePointerToken(key)}`);
    }
    return result;
  };

  const { $id: _id, ...root } = schema as Record<string, Json>;
  const bundled = rewrite(root, undefined, '') as Record<string, Json>;
  if (Object.keys(defs).length === 0) return bundled;
  const ownDefs = bundled.$defs;
  if (ownDefs !== undefined && (ownDefs === null || typeof ownDefs !== 'object' || Array.isArray(ownDefs))) {
    throw new PolisError(ErrorCodes.SCHEMA_INVALID, '$defs of the schema is not an object');
  }
  return { ...bundled, $defs: { ...(ownDefs as Record<string, Json> | undefined), ...defs } };
}

/** `$defs` keys for inlined locations: `<document>.<pointer tokens>`, unique per document. */
class DocumentNames {
  private readonly byDocument = new Map<JsonSchema, string>();
  private readonly taken = new Set<string>();

  keyOf(url: string, document: JsonSchema, pointer: string): string {
    let name = this.byDocument.get(document);
    if (name === undefined) {
      const file = url.slice(url.lastIndexOf('/') + 1).replace(/\.json$/, '') || 'document';
      name = file;
      for (let n = 2; this.taken.has(name); n++) name = `${file}-${n}`;
      this.byDocument.set(document, name);
      this.taken.add(name);
    }
    const tokens = pointer.split('/').slice(1).map(unescapePointerToken);
    // `definitions` and `$defs` say nothing in a key that already sits under $defs.
    if (tokens[0] === 'definitions' || tokens[0] === '$defs') tokens.shift();
    return [name, ...tokens].join('.');
  }
}

function splitRef(ref: string): [url: string, pointer: string] {
  const hash = ref.indexOf('#');
  if (hash < 0) return [ref, ''];
  return [ref.slice(0, hash), decodeURIComponent(ref.slice(hash + 1))];
}

function resolvePointer(document: Json, pointer: string): Json | undefined {
  if (pointer === '' || pointer === '/') return document;
  let node: Json | undefined = document;
  for (const raw of pointer.split('/').slice(1)) {
    const token = unescapePointerToken(raw);
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[Number(token)] : Object.hasOwn(node, token) ? node[token] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}
