import type { CloudEvent } from '@polis/plugin-api';
import { MemoryStateStore } from '../runtime/memory-state-store.js';
import { describe, expect, it } from 'vitest';
import { ProcessedEvents } from './processed-events.js';

const event = (source: string, id: string) => ({ source, id }) as CloudEvent;

describe('ProcessedEvents', () => {
  it('knows an event by its source and id', () => {
    const processed = new ProcessedEvents('healthcare');
    processed.add(event('public-safety', 'e1'));
    expect(processed.has(event('public-safety', 'e1'))).toBe(true);
    expect(processed.has(event('traffic', 'e1'))).toBe(false);
    expect(processed.has(event('public-safety', 'e2'))).toBe(false);
  });

  it('keeps two sources that used the same id apart, and forgets each on its own', () => {
    const processed = new ProcessedEvents('g', { limit: 3 });
    processed.add(event('a', 'same'));
    processed.add(event('b', 'same'));
    expect([processed.has(event('a', 'same')), processed.has(event('b', 'same')), processed.has(event('c', 'same'))]).toEqual([true, true, false]);
    processed.add(event('x', '1'));
    processed.add(event('x', '2'));
    expect([processed.has(event('a', 'same')), processed.has(event('b', 'same'))]).toEqual([false, true]);
    processed.add(event('x', '3'));
    expect(processed.has(event('b', 'same'))).toBe(false);
    expect([processed.has(event('x', '1')), processed.has(event('x', '2')), processed.has(event('x', '3'))]).toEqual([true, true, true]);
  });

  it('forgets the oldest beyond its limit, and any entry older than its time to live', () => {
    let now = 0;
    const processed = new ProcessedEvents('g', { limit: 2, ttlMs: 1000, now: () => now });
    for (const id of ['a', 'b', 'c']) processed.add(event('s', id));
    expect([processed.has(event('s', 'a')), processed.has(event('s', 'b')), processed.has(event('s', 'c'))]).toEqual([false, true, true]);
    now = 1001;
    expect(processed.has(event('s', 'b'))).toBe(false);
  });

  it('an event recorded again keeps its newest entry when the older one falls out', () => {
    const processed = new ProcessedEvents('g', { limit: 2 });
    processed.add(event('s', 'a'));
    processed.add(event('s', 'a'));
    processed.add(event('s', 'b'));
    expect([processed.has(event('s', 'a')), processed.has(event('s', 'b'))]).toEqual([true, true]);
  });

  it('writes its entries to the store under the group, and removes there what falls out here', async () => {
    const store = new MemoryStateStore();
    const processed = new ProcessedEvents('waste#1', { limit: 1, store });
    processed.add(event('s', 'a'));
    await Promise.resolve();
    expect(typeof (await store.get('waste#1\u0000s\u0000a'))).toBe('number');
    processed.add(event('s', 'b'));
    await Promise.resolve();
    expect(await store.get('waste#1\u0000s\u0000a')).toBeUndefined();
    const afterRestart = new ProcessedEvents('waste#1', { store });
    expect(afterRestart.has(event('s', 'b'))).toBe(false);
    expect(await afterRestart.hasDurably(event('s', 'b'))).toBe(true);
  });

  it('without the in-process record (the transport drops repeats itself), keeps only the store, bounded the same way', async () => {
    const store = new MemoryStateStore();
    const processed = new ProcessedEvents('safety', { limit: 2, store, inProcess: false });
    for (const id of ['a', 'b', 'c']) processed.add(event('s', id));
    await Promise.resolve();
    expect(processed.has(event('s', 'c'))).toBe(false);
    expect(await processed.hasDurably(event('s', 'c'))).toBe(true);
    expect(await processed.hasDurably(event('s', 'b'))).toBe(true);
    // The oldest fell out of the ring, and so out of the store.
    expect(await store.get('safety\u0000s\u0000a')).toBeUndefined();
    expect(await processed.hasDurably(event('s', 'a'))).toBe(false);
  });
});
