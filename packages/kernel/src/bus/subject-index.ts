/**
 * Finds the entries whose pattern matches an event type. Patterns live in a token trie (as in
 * nats-server's sublist), and results are cached per concrete type, so a publish costs one map
 * lookup however many subscriptions exist; any change to the index clears the cache.
 */
interface TrieNode<T> {
  readonly children: Map<string, TrieNode<T>>;
  star: TrieNode<T> | undefined;
  /** Entries whose pattern ends with `>` at this depth. */
  readonly tail: Set<T>;
  /** Entries whose pattern ends exactly here. */
  readonly exact: Set<T>;
}

function node<T>(): TrieNode<T> {
  return { children: new Map(), star: undefined, tail: new Set(), exact: new Set() };
}

const MAX_CACHED_TYPES = 10_000;

export class SubjectIndex<T> {
  private readonly root: TrieNode<T> = node();
  private readonly cache = new Map<string, readonly T[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(pattern: string, entry: T): void {
    let current = this.root;
    for (const token of pattern.split('.')) {
      if (token === '>') {
        if (!current.tail.has(entry)) this.count++;
        current.tail.add(entry);
        this.cache.clear();
        return;
      }
      if (token === '*') {
        current.star ??= node();
        current = current.star;
      } else {
        let next = current.children.get(token);
        if (!next) current.children.set(token, (next = node()));
        current = next;
      }
    }
    if (!current.exact.has(entry)) this.count++;
    current.exact.add(entry);
    this.cache.clear();
  }

  remove(pattern: string, entry: T): void {
    const trail: Array<[parent: TrieNode<T>, token: string]> = [];
    let current: TrieNode<T> | undefined = this.root;
    let removed = false;
    for (const token of pattern.split('.')) {
      if (token === '>') {
        removed = current.tail.delete(entry);
        break;
      }
      const next: TrieNode<T> | undefined = token === '*' ? current.star : current.children.get(token);
      if (!next) return;
      trail.push([current, token]);
      current = next;
    }
    if (!pattern.endsWith('>')) removed = current.exact.delete(entry);
    if (!removed) return;
    this.count--;
    this.cache.clear();
    this.prune(trail, current);
  }

  /** Drops trie nodes left empty, so plugging and unplugging never grows the index. */
  private prune(trail: Array<[TrieNode<T>, string]>, leaf: TrieNode<T>): void {
    let child = leaf;
    for (let i = trail.length - 1; i >= 0; i--) {
      if (child.exact.size || child.tail.size || child.children.size || child.star) return;
      const [parent, token] = trail[i]!;
      if (token === '*') parent.star = undefined;
      else parent.children.delete(token);
      child = parent;
    }
  }

  /** Entries matching a concrete type, each once. The array is shared: do not mutate it. */
  match(type: string): readonly T[] {
    const cached = this.cache.get(type);
    if (cached) return cached;
    const found = new Set<T>();
    this.collect(this.root, type.split('.'), 0, found);
    const result = [...found];
    if (this.cache.size >= MAX_CACHED_TYPES) this.cache.clear();
    this.cache.set(type, result);
    return result;
  }

  private collect(at: TrieNode<T>, tokens: readonly string[], depth: number, found: Set<T>): void {
    if (depth < tokens.length) for (const entry of at.tail) found.add(entry);
    if (depth === tokens.length) {
      for (const entry of at.exact) found.add(entry);
      return;
    }
    const literal = at.children.get(tokens[depth]!);
    if (literal) this.collect(literal, tokens, depth + 1, found);
    if (at.star) this.collect(at.star, tokens, depth + 1, found);
  }
}
