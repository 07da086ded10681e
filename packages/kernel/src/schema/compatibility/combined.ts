/**
 * allOf / anyOf / oneOf (sum and product types) and `not`: Confluent's CombinedSchemaDiff,
 * NotSchemaDiff, and the union special cases at the top of SchemaDiff.compare.
 */
import { allCompatible, emit, type SchemaDifference, type Walk } from './differences.js';
import { canonical, child, kindOf, subschemaAt, theSchemaAt, where, type CombinedView, type Member, type Schema, type SchemaObject } from './schema-view.js';

/** Reports trial differences as the outcome if they are all compatible. */
function adopt(differences: SchemaDifference[], out: SchemaDifference[]): boolean {
  if (!allCompatible(differences)) return false;
  out.push(...differences);
  return true;
}

/**
 * A plain schema that became a combination: a singleton is read through, and a union (anyOf /
 * oneOf) still reads old data when one of its members accepts all of it: SUM_TYPE_EXTENDED.
 * Returns false when neither applies, leaving the caller to report the type change.
 */
export function widenedIntoUnion(w: Walk, original: Schema, update: CombinedView, path: string, out: SchemaDifference[]): boolean {
  const [only] = update.members;
  if (only && update.members.length === 1) return adopt(w.trial(original, only.schema, only.path), out);
  if (update.criterion === 'allOf') return false;
  for (const member of update.members) {
    if (adopt(w.trial(original, member.schema, member.path), out)) {
      emit(out, 'SUM_TYPE_EXTENDED', path, `${theSchemaAt(path)} became a ${update.name} that still accepts everything it accepted before.`);
      return true;
    }
  }
  return false;
}

/**
 * A combination that became a plain schema: a singleton is read through, and an allOf that kept
 * one of its members only dropped constraints: PRODUCT_TYPE_NARROWED (compatible). A union that
 * kept one of its members is SUM_TYPE_NARROWED; Confluent reports TYPE_CHANGED there, equally
 * incompatible but less telling.
 */
export function narrowedFromCombination(w: Walk, original: CombinedView, update: Schema, path: string, out: SchemaDifference[]): boolean {
  const [only] = original.members;
  if (only && original.members.length === 1) return adopt(w.trial(only.schema, update, path), out);
  for (const member of original.members) {
    const differences = w.trial(member.schema, update, member.path);
    if (!allCompatible(differences)) continue;
    if (original.criterion === 'allOf') {
      out.push(...differences);
      emit(out, 'PRODUCT_TYPE_NARROWED', path, `The allOf at ${where(path)} was reduced to one of its schemas, so it demands less of the data.`);
    } else {
      emit(out, 'SUM_TYPE_NARROWED', path, `The ${original.name} at ${where(path)} was reduced to one of its alternatives, so old data matching the others would be rejected.`);
    }
    return true;
  }
  return false;
}

/**
 * Two combinations: the criterion may only widen (anything -> anyOf, a singleton -> oneOf / allOf),
 * a union may gain alternatives but not lose them, an allOf may lose schemas but not gain them,
 * and every member of the smaller side must be paired with a compatible member of the other
 * (Confluent pairs them by maximum bipartite matching).
 */
export function compareCombined(w: Walk, original: CombinedView, update: CombinedView, path: string, out: SchemaDifference[]): void {
  if (original.criterion !== update.criterion) {
    const singleton = (view: CombinedView) => view.members.length === 1;
    const extended =
      update.criterion === 'anyOf' ||
      (update.criterion === 'oneOf' && singleton(original)) ||
      (update.criterion === 'allOf' && singleton(original) && singleton(update));
    if (!extended) {
      emit(out, 'COMBINED_TYPE_CHANGED', path, `The ${original.name} at ${where(path)} became ${update.name}, so old data that matched it could be rejected.`);
      return;
    }
    emit(out, 'COMBINED_TYPE_EXTENDED', path, `The ${original.name} at ${where(path)} became ${update.name}, which accepts at least the same data.`);
  }
  const before = distinct(original.members);
  const after = distinct(update.members);
  const sizes = `(${before.length} -> ${after.length})`;
  if (update.criterion === 'allOf' && before.length < after.length) {
    emit(out, 'PRODUCT_TYPE_EXTENDED', path, `The allOf at ${where(path)} gained schemas ${sizes}, so old data must now match them too and could be rejected.`);
  } else if (update.criterion === 'allOf' && before.length > after.length) {
    emit(out, 'PRODUCT_TYPE_NARROWED', path, `The allOf at ${where(path)} lost schemas ${sizes}, so it demands less of the data.`);
  } else if (before.length < after.length) {
    emit(out, 'SUM_TYPE_EXTENDED', path, `The ${update.name} at ${where(path)} gained alternatives ${sizes}, so old data still matches one of them.`);
  } else if (before.length > after.length) {
    emit(out, 'SUM_TYPE_NARROWED', path, `The ${update.name} at ${where(path)} lost alternatives ${sizes}, so old data matching a removed one would be rejected.`);
  }
  const trials = before.map((o) => after.map((u) => w.trial(o.schema, u.schema, o.path)));
  const pairs = maximumMatching(trials.map((row) => row.map(allCompatible)));
  for (const [i, j] of pairs) out.push(...(trials[i]?.[j] ?? []));
  if (pairs.length < Math.min(before.length, after.length)) {
    // Not in Confluent, which stops at the summary below: for each unpaired old member, show why
    // its counterpart of the same kind rejects its data (e.g. the object of a nullable object).
    before.forEach((member, i) => {
      if (pairs.some(([paired]) => paired === i)) return;
      const counterpart = after.findIndex((candidate) => kindOf(candidate.schema) === kindOf(member.schema));
      out.push(...(trials[i]?.[counterpart] ?? []));
    });
    emit(out, 'COMBINED_TYPE_SUBSCHEMAS_CHANGED', path, `The alternatives of the ${update.name} at ${where(path)} changed so that not every old one has a new one accepting all its data, so old data could be rejected.`);
  }
}

/** Members with equal schemas count once, as Confluent collects them into a set. */
function distinct(members: readonly Member[]): Member[] {
  const seen = new Set<string>();
  return members.filter((member) => {
    const key = canonical(member.schema);
    return !seen.has(key) && seen.add(key);
  });
}

/**
 * The largest set of (row, column) pairs with `compatible[row][column]`, each row and column used
 * at most once (Kuhn's augmenting paths; combinations are small).
 */
function maximumMatching(compatible: readonly (readonly boolean[])[]): [number, number][] {
  const rowOfColumn = new Map<number, number>();
  const augment = (row: number, visited: Set<number>): boolean =>
    (compatible[row] ?? []).some((ok, column) => {
      if (!ok || visited.has(column)) return false;
      visited.add(column);
      const owner = rowOfColumn.get(column);
      if (owner !== undefined && !augment(owner, visited)) return false;
      rowOfColumn.set(column, row);
      return true;
    });
  compatible.forEach((_, row) => augment(row, new Set()));
  return [...rowOfColumn].map(([column, row]) => [row, column]);
}

/**
 * NotSchemaDiff: `not` inverts the direction, so the excluded schemas are compared reader-first.
 * Excluding less is NOT_TYPE_NARROWED (compatible); excluding more is NOT_TYPE_EXTENDED.
 */
export function compareNot(w: Walk, original: SchemaObject, update: SchemaObject, path: string, out: SchemaDifference[]): void {
  const before = subschemaAt(original, 'not');
  const after = subschemaAt(update, 'not');
  const at = child(path, 'not');
  if (after === undefined && before !== undefined) {
    emit(out, 'NOT_TYPE_NARROWED', at, `The not schema of ${where(path)} was removed, so it no longer excludes any data.`);
  } else if (before === undefined && after !== undefined) {
    emit(out, 'NOT_TYPE_EXTENDED', at, `A not schema was added to ${where(path)}, so old data matching it would be rejected.`);
  } else if (before !== undefined && after !== undefined) {
    const differences = w.reversed().trial(after, before, at);
    if (differences.length === 0) return;
    if (allCompatible(differences)) {
      emit(out, 'NOT_TYPE_NARROWED', at, `The not schema of ${where(path)} now excludes less data.`);
    } else {
      emit(out, 'NOT_TYPE_EXTENDED', at, `The not schema of ${where(path)} now excludes data it did not exclude before, so old data could be rejected.`);
    }
  }
}
