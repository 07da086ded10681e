import { describe, expect, it } from 'vitest';
import { IdWindow } from './id-window.js';

describe('IdWindow', () => {
  it('remembers the most recent ids and forgets the oldest beyond its capacity', () => {
    const window = new IdWindow(3);
    for (const id of ['a', 'b', 'c', 'd']) window.add(id);
    expect(['a', 'b', 'c', 'd'].map((id) => window.has(id))).toEqual([false, true, true, true]);
  });

  it('counts an id added twice once', () => {
    const window = new IdWindow(2);
    window.add('a');
    window.add('a');
    window.add('b');
    expect(window.has('a')).toBe(true);
    window.add('c');
    expect(window.has('a')).toBe(false);
    expect(window.has('b') && window.has('c')).toBe(true);
  });
});
