import { describe, expect, it } from 'vitest';
import { MinHeap } from './min-heap.js';

function drain<T>(heap: MinHeap<T>): { value: T; key: number }[] {
  const out: { value: T; key: number }[] = [];
  for (let entry = heap.pop(); entry !== undefined; entry = heap.pop()) out.push(entry);
  return out;
}

describe('MinHeap', () => {
  it('pops nothing when empty', () => {
    const heap = new MinHeap<string>();
    expect(heap.size).toBe(0);
    expect(heap.pop()).toBeUndefined();
  });

  it('pops entries in ascending key order whatever the push order', () => {
    const heap = new MinHeap<number>();
    // 7919 is prime, so i·7919 mod 1000 visits the keys in a scrambled order.
    const keys = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    for (const key of keys) heap.push(key, key);
    expect(heap.size).toBe(1000);
    expect(drain(heap).map((entry) => entry.key)).toEqual([...keys].sort((a, b) => a - b));
    expect(heap.size).toBe(0);
  });

  it('keeps every copy of repeated keys and values', () => {
    const heap = new MinHeap<string>();
    heap.push('b', 2);
    heap.push('a', 1);
    heap.push('b', 2);
    heap.push('a', 1);
    expect(drain(heap)).toEqual([
      { value: 'a', key: 1 },
      { value: 'a', key: 1 },
      { value: 'b', key: 2 },
      { value: 'b', key: 2 },
    ]);
  });

  it('stays ordered when pushes and pops interleave', () => {
    const heap = new MinHeap<string>();
    heap.push('c', 3);
    heap.push('a', 1);
    expect(heap.pop()).toEqual({ value: 'a', key: 1 });
    heap.push('d', 4);
    heap.push('b', 2);
    heap.push('e', Number.POSITIVE_INFINITY);
    expect(drain(heap).map((entry) => entry.value)).toEqual(['b', 'c', 'd', 'e']);
  });

  it('refuses a NaN key, which would corrupt the order', () => {
    expect(() => new MinHeap<string>().push('x', Number.NaN)).toThrow('key: must be a number, got NaN');
  });
});
