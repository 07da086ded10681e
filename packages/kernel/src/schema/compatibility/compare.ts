/**
 * The dispatcher, after Confluent's SchemaDiff.compare: resolve `$ref`s, handle a schema turning
 * into or out of a combination, report a change of schema class as TYPE_CHANGED, then compare the
 * annotations and hand over to the family of the schema.
 */
import { emit, type SchemaDifference, type Walk } from './differences.js';
import { compareArrays } from './arrays.js';
import { compareCombined, compareNot, narrowedFromCombination, widenedIntoUnion } from './combined.js';
import { compareObjects } from './objects.js';
import { compareEnums, compareNumbers, compareStrings } from './scalars.js';
import { canonical, child, combinedView, isSchemaObject, kindOf, labelOf, resolve, where, type Schema, type SchemaObject } from './schema-view.js';

export class Comparison implements Walk {
  constructor(
    private readonly originalRoot: Schema,
    private readonly updateRoot: Schema,
    /** Pairs (original node -> update nodes) being compared further up the stack. */
    private readonly inProgress = new Map<object, Set<object>>(),
  ) {}

  compare(original: unknown, update: unknown, path: string, out: SchemaDifference[]): void {
    const o = resolve(this.originalRoot, original);
    const u = resolve(this.updateRoot, update);
    if (!isSchemaObject(o) || !isSchemaObject(u)) {
      compareNodes(this, o, u, path, out);
      return;
    }
    // Recursive schemas ($ref cycles) meet the same pair again; like Confluent's Context, the
    // repeated pair is assumed compatible, as its differences are reported where it was first met.
    const updates = this.inProgress.get(o) ?? new Set<object>();
    if (updates.has(u)) return;
    this.inProgress.set(o, updates.add(u));
    try {
      compareNodes(this, o, u, path, out);
    } finally {
      updates.delete(u);
    }
  }

  trial(original: unknown, update: unknown, path: string): SchemaDifference[] {
    const out: SchemaDifference[] = [];
    this.compare(original, update, path, out);
    return out;
  }

  reversed(): Walk {
    return new Comparison(this.updateRoot, this.originalRoot, this.inProgress);
  }
}

function compareNodes(w: Walk, original: Schema, update: Schema, path: string, out: SchemaDifference[]): void {
  const originalView = combinedView(original, path);
  const updateView = combinedView(update, path);
  if (!originalView && updateView && widenedIntoUnion(w, original, updateView, path, out)) return;
  if (originalView && !updateView && narrowedFromCombination(w, originalView, update, path, out)) return;

  const kind = kindOf(original);
  const updateKind = kindOf(update);
  if (kind !== updateKind) {
    // Different Everit classes: TYPE_CHANGED, unless the writer allowed nothing (false) or the
    // reader accepts anything (true / {}), in which case no data can be rejected.
    if (original !== false && updateKind !== 'empty') {
      emit(out, 'TYPE_CHANGED', path, `The type of ${where(path)} changed from ${labelOf(original)} to ${labelOf(update)}, which rejects data the old schema accepted.`);
    }
    return;
  }
  if (!isSchemaObject(original) || !isSchemaObject(update)) return;

  compareAnnotations(original, update, path, out);
  if (originalView && updateView) {
    compareCombined(w, originalView, updateView, path, out);
    return;
  }
  switch (kind) {
    case 'string':
      compareStrings(original, update, path, out);
      break;
    case 'number':
      compareNumbers(original, update, path, out);
      break;
    case 'object':
      compareObjects(w, original, update, path, out);
      break;
    case 'array':
      compareArrays(w, original, update, path, out);
      break;
  }
  // Everit loads these as schemas of their own beside the type; here they are keywords of the node.
  compareEnums(original, update, path, out);
  compareNot(w, original, update, path, out);
}

const ANNOTATIONS = [
  ['$id', 'ID_CHANGED'],
  ['title', 'TITLE_CHANGED'],
  ['description', 'DESCRIPTION_CHANGED'],
  ['default', 'DEFAULT_CHANGED'],
] as const;

/**
 * The annotations Confluent reports (always compatible). Others, such as $comment and examples,
 * are ignored as Confluent does.
 */
function compareAnnotations(original: SchemaObject, update: SchemaObject, path: string, out: SchemaDifference[]): void {
  for (const [keyword, type] of ANNOTATIONS) {
    if (canonical(original[keyword]) !== canonical(update[keyword])) {
      emit(out, type, child(path, keyword), `The ${keyword} of ${where(path)} changed; it is an annotation and does not change which data is valid.`);
    }
  }
}
