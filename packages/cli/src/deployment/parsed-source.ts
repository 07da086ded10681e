import { extname } from 'node:path';
import { ErrorCodes, PolisAggregateError } from '@polis/plugin-api';
import type { PolisError } from '@polis/plugin-api';
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { deploymentProblem } from './deployment-problem.js';
import type { SourcePosition } from './deployment-problem.js';

/** A path into a parsed document: keys and array indexes. */
export type DocumentPath = readonly (string | number)[];

/** `/plugins/2/config` -> `['plugins', 2, 'config']` (RFC 6901 escapes undone). */
export function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment));
}

/** Limits on the shape of a parsed document; beyond them lies an attack or a mistake. */
export const SHAPE_LIMITS = {
  /** Aliases one document may expand (an "alias bomb" expands a few lines into gigabytes). */
  maxAliasCount: 100,
  /** Nesting of maps and lists. */
  maxDepth: 64,
} as const;

/** Keys that would reach an object's prototype when the document becomes JavaScript objects. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** One file of a deployment, parsed, with the position of any path in it. */
export interface ParsedSource {
  readonly file: string;
  readonly value: unknown;
  /** The position of the deepest node on `path` that exists (the file's start if none does). */
  locate(path: DocumentPath): SourcePosition;
}

/**
 * Parses YAML (or JSON, for `.json` files) into plain data, refusing what could exhaust memory
 * or reach a prototype: alias bombs, deep nesting, non-finite numbers (`.inf`, `.nan`) and
 * `__proto__` / `constructor` / `prototype` keys. Every problem names the file, line and
 * column and never quotes the file's content.
 */
export function parseSource(file: string, text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    schema: extname(file) === '.json' ? 'json' : 'core',
  });
  const position = (offset: number | undefined): SourcePosition => {
    if (offset === undefined) return { file };
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  if (document.errors.length > 0) {
    throw new PolisAggregateError(
      ErrorCodes.DEPLOYMENT_INVALID,
      `${file} is not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}`,
      document.errors.map((error) => deploymentProblem(describeYamlError(error.code), position(error.pos[0]), { rule: `yaml-${error.code}` })),
    );
  }
  const problems: PolisError[] = [];
  checkNodes(document, document.contents, 0, position, problems);
  if (problems.length > 0) throw new PolisAggregateError(ErrorCodes.DEPLOYMENT_INVALID, `${file} is refused`, problems);

  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: SHAPE_LIMITS.maxAliasCount });
  } catch (cause) {
    // yaml throws a ReferenceError for an alias bomb; a RangeError would be a stack overflow.
    const message =
      cause instanceof ReferenceError
        ? `its aliases expand too far (more than ${SHAPE_LIMITS.maxAliasCount} alias expansions): an alias bomb, or a document that should be written out`
        : 'it cannot be turned into data';
    throw deploymentProblem(message, { file }, { rule: 'yaml-aliases' });
  }
  // Aliases can nest what the syntax tree does not (an anchor inside itself makes a cycle).
  if (tooDeep(value, 0)) {
    throw deploymentProblem(`its aliases nest the data more than ${SHAPE_LIMITS.maxDepth} levels deep (an alias may refer to itself)`, { file }, { rule: 'too-deep' });
  }
  return {
    file,
    value,
    locate: (path) => position(locateOffset(document, path)),
  };
}

function tooDeep(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth > SHAPE_LIMITS.maxDepth) return true;
  for (const item of Array.isArray(value) ? value : Object.values(value)) if (tooDeep(item, depth + 1)) return true;
  return false;
}

/** Walks the syntax tree once, before any value is built, so positions are exact. */
function checkNodes(document: Document, node: unknown, depth: number, position: (offset: number | undefined) => SourcePosition, problems: PolisError[]): void {
  if (!node || typeof node !== 'object') return;
  const at = (n: unknown) => position((n as { range?: [number, number, number] }).range?.[0]);
  if (depth > SHAPE_LIMITS.maxDepth) {
    problems.push(deploymentProblem(`nested more than ${SHAPE_LIMITS.maxDepth} levels deep`, at(node), { rule: 'too-deep' }));
    return;
  }
  if (isScalar(node)) {
    if (typeof node.value === 'number' && !Number.isFinite(node.value)) {
      problems.push(deploymentProblem('numbers must be finite: infinity and NaN (.inf, .nan) are refused', at(node), { rule: 'number-not-finite' }));
    }
    return;
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) {
        problems.push(deploymentProblem(`the key '${key}' is refused: it would reach the prototype of the object it is in`, at(pair.key), { rule: 'key-forbidden', key }));
      } else if (key !== null && typeof key === 'object') {
        problems.push(deploymentProblem('keys must be plain strings or numbers, not maps or lists', at(pair.key), { rule: 'key-not-scalar' }));
      }
      checkNodes(document, pair.value, depth + 1, position, problems);
    }
    return;
  }
  if (isSeq(node)) {
    for (const item of node.items) checkNodes(document, item, depth + 1, position, problems);
  }
  // Aliases are checked where their anchor is; how far they expand is bounded by toJS.
}

/** The offset of the deepest existing node on `path` (a map entry's key, a list item). */
function locateOffset(document: Document, path: DocumentPath): number | undefined {
  let node: unknown = document.contents;
  let offset = rangeStart(node);
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(document);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as YamlNode | undefined)?.range?.[0];
}

/**
 * What a YAML error code means, in words. yaml's own messages quote the offending text, and a
 * deployment's files may hold secrets, so only the code is kept.
 */
function describeYamlError(code: string): string {
  const words: Record<string, string> = {
    ALIAS_PROPS: 'an alias cannot have a tag or an anchor',
    BAD_ALIAS: 'an alias refers to no anchor defined before it',
    BAD_COLLECTION_TYPE: 'a tag does not fit the collection it is on',
    BAD_DIRECTIVE: 'invalid directive',
    BAD_DQ_ESCAPE: 'invalid escape in a double-quoted string',
    BAD_INDENT: 'bad indentation',
    BAD_PROP_ORDER: 'anchors and tags must come before the value',
    BAD_SCALAR_START: 'a plain value cannot start with this character (quote it)',
    BLOCK_AS_IMPLICIT_KEY: 'a block value cannot be a key',
    BLOCK_IN_FLOW: 'a block value inside [ ] or { }',
    DUPLICATE_KEY: 'a key appears twice in the same map',
    IMPOSSIBLE: 'unparseable',
    KEY_OVER_1024_CHARS: 'a key longer than 1024 characters',
    MISSING_CHAR: 'a closing character is missing (a quote, ] or })',
    MULTILINE_IMPLICIT_KEY: 'a key must be on a single line',
    MULTIPLE_ANCHORS: 'a value has two anchors',
    MULTIPLE_DOCS: 'only one document per file (no ---)',
    MULTIPLE_TAGS: 'a value has two tags',
    NON_STRING_KEY: 'keys must be strings',
    TAB_AS_INDENT: 'tabs cannot indent YAML (use spaces)',
    TAG_RESOLVE_FAILED: 'a value does not fit its tag or type (in JSON: an unquoted word, a comment or a trailing comma)',
    UNEXPECTED_TOKEN: 'unexpected character',
  };
  return `syntax error: ${words[code] ?? code.toLowerCase().replaceAll('_', ' ')}`;
}
