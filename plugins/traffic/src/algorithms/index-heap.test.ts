import { describe, expect, it } from 'vitest';
import { IndexHeap } from './index-heap.js';

function drain(heap: IndexHeap): number[] {
  const out: number[] = [];
  for (let value = heap.pop(); value !== -1; value = heap.pop()) out.push(value);
  return out;
}

describe('IndexHeap', () => {
  it('pops -1 when empty', () => {
    const heap = new IndexHeap();
    expect(heap.size).toBe(0);
    expect(heap.pop()).toBe(-1);
  });

  it('pops values in ascending key order whatever the push order, growing past its capacity', () => {
    const heap = new IndexHeap(4);
    // 7919 is prime, so i·7919 mod 1000 visits the keys in a scrambled order.
    const keys = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    for (const key of keys) heap.push(key, key / 10);
    expect(heap.size).toBe(1000);
    expect(drain(heap)).toEqual([...keys].sort((a, b) => a - b));
    expect(heap.size).toBe(0);
  });

  it('keeps every copy of repeated keys and values', () => {
    const heap = new IndexHeap();
    heap.push(2, 2);
    heap.push(1, 1);
    heap.push(2, 2);
    heap.push(1, 1);
    expect(drain(heap)).toEqual([1, 1, 2, 2]);
  });

  it('stays ordered when pushes and pops interleave', () => {
    const heap = new IndexHeap();
    heap.push(3, 3);
    heap.push(1, 1);
    expect(heap.pop()).toBe(1);
    heap.push(4, 4);
    heap.push(2, 2);
    heap.push(5, Number.POSITIVE_INFINITY);
    expect(drain(heap)).toEqual([2, 3, 4, 5]);
  });

  it('refuses a NaN key, which would corrupt the order', () => {
    expect(() => new IndexHeap().push(0, Number.NaN)).toThrow('key: must be a number, got NaN');
  });
});
