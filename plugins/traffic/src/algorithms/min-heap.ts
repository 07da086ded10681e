import { TrafficInputError } from './errors.js';

interface Entry<T> {
  readonly value: T;
  readonly key: number;
}

/**
 * A binary min-heap: `push` and `pop` in O(log n), smallest key first. Keys may repeat; a
 * value pushed twice is simply held twice, which is what lazy-deletion Dijkstra wants.
 */
export class MinHeap<T> {
  readonly #entries: Entry<T>[] = [];

  /** How many entries the heap holds. */
  get size(): number {
    return this.#entries.length;
  }

  /**
   * Adds `value` with priority `key`.
   *
   * @throws {TrafficInputError} when `key` is NaN, which would silently break the heap order.
   */
  push(value: T, key: number): void {
    if (Number.isNaN(key)) throw new TrafficInputError('key', 'must be a number, got NaN (NaN compares false with everything)');
    const entries = this.#entries;
    // Sift up by moving parents down into the hole, then drop the new entry in once.
    let hole = entries.length;
    while (hole > 0) {
      const parentIndex = (hole - 1) >> 1;
      const parent = entries[parentIndex]!;
      if (parent.key <= key) break;
      entries[hole] = parent;
      hole = parentIndex;
    }
    entries[hole] = { value, key };
  }

  /** Removes and returns the entry with the smallest key, or undefined when the heap is empty. */
  pop(): { value: T; key: number } | undefined {
    const entries = this.#entries;
    const top = entries[0];
    const last = entries.pop();
    if (top === undefined || last === undefined || entries.length === 0) return top;
    // Sift the last entry down from the root, moving the smaller child up into the hole.
    let hole = 0;
    for (;;) {
      const leftIndex = 2 * hole + 1;
      const left = entries[leftIndex];
      if (left === undefined) break;
      const right = entries[leftIndex + 1];
      const [childIndex, child] = right !== undefined && right.key < left.key ? [leftIndex + 1, right] : [leftIndex, left];
      if (last.key <= child.key) break;
      entries[hole] = child;
      hole = childIndex;
    }
    entries[hole] = last;
    return top;
  }
}
