import { TrafficInputError } from './errors.js';

/**
 * A binary min-heap of integers (node or link indices) by number keys: `push` and `pop` in
 * O(log n), smallest key first. Values and keys live in typed arrays, so a route search allocates
 * nothing per push. Values may repeat, as lazy-deletion Dijkstra wants.
 */
export class IndexHeap {
  #values: Int32Array;
  #keys: Float64Array;
  #size = 0;

  constructor(capacity = 64) {
    this.#values = new Int32Array(Math.max(1, capacity));
    this.#keys = new Float64Array(Math.max(1, capacity));
  }

  /** How many entries the heap holds. */
  get size(): number {
    return this.#size;
  }

  /**
   * Adds `value` with priority `key`.
   *
   * @throws {TrafficInputError} when `key` is NaN, which would silently break the heap order.
   */
  push(value: number, key: number): void {
    if (Number.isNaN(key)) throw new TrafficInputError('key', 'must be a number, got NaN (NaN compares false with everything)');
    if (this.#size === this.#values.length) this.#grow();
    const values = this.#values;
    const keys = this.#keys;
    // Sift up by moving parents down into the hole, then drop the new entry in once.
    let hole = this.#size++;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      if (keys[parent]! <= key) break;
      values[hole] = values[parent]!;
      keys[hole] = keys[parent]!;
      hole = parent;
    }
    values[hole] = value;
    keys[hole] = key;
  }

  /** Removes and returns the value with the smallest key, or -1 when the heap is empty. */
  pop(): number {
    if (this.#size === 0) return -1;
    const values = this.#values;
    const keys = this.#keys;
    const top = values[0]!;
    const size = --this.#size;
    if (size === 0) return top;
    const lastValue = values[size]!;
    const lastKey = keys[size]!;
    // Sift the last entry down from the root, moving the smaller child up into the hole.
    let hole = 0;
    for (;;) {
      const left = 2 * hole + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && keys[right]! < keys[left]! ? right : left;
      if (lastKey <= keys[child]!) break;
      values[hole] = values[child]!;
      keys[hole] = keys[child]!;
      hole = child;
    }
    values[hole] = lastValue;
    keys[hole] = lastKey;
    return top;
  }

  #grow(): void {
    const values = new Int32Array(this.#values.length * 2);
    const keys = new Float64Array(this.#keys.length * 2);
    values.set(this.#values);
    keys.set(this.#keys);
    this.#values = values;
    this.#keys = keys;
  }
}
