import { describe, expect, it } from 'vitest';
import { RecentWindow } from './recent-window.js';

describe('RecentWindow', () => {
  it('remembers the most recent ids and forgets the oldest beyond its capacity', () => {
    const window = new RecentWindow(3);
    for (const id of ['a', 'b', 'c', 'd']) window.add(id);
    expect(['a', 'b', 'c', 'd'].map((id) => window.has(id))).toEqual([false, true, true, true]);
  });

  it('counts an id added twice once', () => {
    const window = new RecentWindow(2);
    window.add('a');
    window.add('a');
    window.add('b');
    expect(window.has('a')).toBe(true);
    window.add('c');
    expect(window.has('a')).toBe(false);
    expect(window.has('b') && window.has('c')).toBe(true);
  });

  it('keeps the first value of a key', () => {
    const window = new RecentWindow<string>(2);
    window.add('a', 'first');
    window.add('a', 'second');
    expect(window.get('a')).toBe('first');
    expect(window.get('b')).toBeUndefined();
  });

  it('replaces a value with set, the key keeping its place in the window', () => {
    const window = new RecentWindow<string>(2);
    window.set('a', 'first');
    window.set('b', 'other');
    window.set('a', 'second');
    expect(window.get('a')).toBe('second');
    // 'a' is still the oldest: the next key pushes it out, not 'b'.
    window.set('c', 'third');
    expect(window.has('a')).toBe(false);
    expect(window.get('b')).toBe('other');
  });
});
