import type { Clock } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';
import { ReadableIds } from './readable-ids.js';

describe('ReadableIds', () => {
  it('stamps ids with the UTC second and a sequence, so a restarted plugin never repeats one', () => {
    let now = Date.UTC(2026, 0, 1, 8, 0, 0);
    const clock = { now: () => now } as Clock;
    const first = new ReadableIds(clock);
    expect([first.next('INC'), first.next('COR-amb-1')]).toEqual(['INC-20260101T080000-1', 'COR-amb-1-20260101T080000-2']);
    now += 1000;
    expect(new ReadableIds(clock).next('INC')).toBe('INC-20260101T080001-1');
  });
});
