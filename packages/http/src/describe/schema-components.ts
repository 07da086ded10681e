import type { JsonSchema } from '@polis/plugin-api';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Collects JSON Schemas as named components (`#/components/schemas/<name>`) of one document: each
 * schema's `$defs` (or `definitions`) become components of their own, its local `$ref`s are
 * rewritten to point there, and a definition several schemas share whole (with everything it
 * references: FIWARE's common definitions) is kept once.
 */
export class SchemaComponents {
  readonly schemas: Record<string, Json> = {};
  /** Component names of shared definitions, by the text of the definition and all it references. */
  private readonly shared = new Map<string, string>();

  /** Adds `schema` under `name` (made unique) and returns its `$ref`. */
  add(name: string, schema: JsonSchema): string {
    const plain = JSON.parse(JSON.stringify(schema)) as Record<string, Json>;
    const { $defs, definitions, $schema: _schema, $id: _id, ...root } = plain;
    const defs = new Map<string, Json>();
    for (const [group, members] of [['$defs', $defs], ['definitions', definitions]] as const) {
      if (members === undefined || members === null || typeof members !== 'object' || Array.isArray(members)) continue;
      for (const [key, def] of Object.entries(members)) defs.set(`#/${group}/${escapeToken(key)}`, def);
    }
    const rootName = this.unique(name);
    const renamed = new Map<string, string>();
    const fresh: Array<[string, Json]> = [];
    for (const [local, def] of defs) {
      const signature = closureSignature(local, defs);
      let component = this.shared.get(signature);
      if (component === undefined) {
        component = this.unique(`${name}.${decodeToken(local.slice(local.indexOf('/', 2) + 1))}`);
        this.schemas[component] = {}; // claimed, so later names stay unique
        this.shared.set(signature, component);
        fresh.push([component, def]);
      }
      renamed.set(local, component);
    }
    for (const [component, def] of fresh) this.schemas[component] = rewrite(def, renamed, rootName);
    this.schemas[rootName] = rewrite(root, renamed, rootName);
    return `#/components/schemas/${rootName}`;
  }

  private unique(name: string): string {
    const base = sanitize(name);
    let candidate = base;
    for (let n = 2; candidate in this.schemas; n++) candidate = `${base}-${n}`;
    return candidate;
  }
}

/** The definition's text with the text of every definition it reaches, so equal signatures mean equal schemas. */
function closureSignature(start: string, defs: ReadonlyMap<string, Json>): string {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const local = queue.shift()!;
    for (const ref of refsIn(defs.get(local) ?? null)) {
      const target = [...defs.keys()].find((key) => ref === key || ref.startsWith(`${key}/`));
      if (target !== undefined && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return JSON.stringify([...seen].sort().map((key) => [key, defs.get(key)]));
}

function refsIn(node: Json): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsIn(value)));
}

function rewrite(node: Json, renamed: ReadonlyMap<string, string>, root: string): Json {
  if (Array.isArray(node)) return node.map((item) => rewrite(item, renamed, root));
  if (node === null || typeof node !== 'object') return node;
  const result: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#')) {
      const target = [...renamed.keys()].find((local) => value === local || value.startsWith(`${local}/`));
      // A pointer to a definition (or into one), or else into the root schema itself.
      result.$ref = target !== undefined ? `#/components/schemas/${renamed.get(target)!}${value.slice(target.length)}` : `#/components/schemas/${root}${value.slice(1)}`;
      continue;
    }
    result[key] = rewrite(value, renamed, root);
  }
  return result;
}

/** Component names allow letters, digits, `.`, `-` and `_`. */
export function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function decodeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}
