import type { CloudEvent } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';
import { ProcessedEvents } from './processed-events.js';

const event = (source: string, id: string) => ({ source, id }) as CloudEvent;

describe('ProcessedEvents', () => {
  it('knows an event by its group, source and id', () => {
    const processed = new ProcessedEvents();
    processed.add(ProcessedEvents.key('healthcare', event('public-safety', 'e1')));
    expect(processed.has(ProcessedEvents.key('healthcare', event('public-safety', 'e1')))).toBe(true);
    expect(processed.has(ProcessedEvents.key('healthcare', event('traffic', 'e1')))).toBe(false);
    expect(processed.has(ProcessedEvents.key('healthcare#1', event('public-safety', 'e1')))).toBe(false);
  });

  it('forgets the oldest beyond its limit, and any entry older than its time to live', () => {
    let now = 0;
    const processed = new ProcessedEvents({ limit: 2, ttlMs: 1000, now: () => now });
    for (const id of ['a', 'b', 'c']) processed.add(id);
    expect([processed.has('a'), processed.has('b'), processed.has('c')]).toEqual([false, true, true]);
    now = 1001;
    expect(processed.has('b')).toBe(false);
  });
});
