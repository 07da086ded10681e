import { describe, expect, it } from 'vitest';
import { childTraceparent, eventIds, newTraceparent, randomUuid } from './random-ids.js';
import { childEvent } from './trace-context.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('random ids of the publish path', () => {
  it('are UUID v4, all different, across many blocks of records', () => {
    // 20,000 ids and 20,000 traceparents take a record each: 78 blocks of 512, each drawn and formatted anew.
    const ids = Array.from({ length: 20_000 }, () => (newTraceparent(), randomUuid()));
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('spread their random bits evenly (no digit stuck, no byte repeated from the pool)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 5_000; i++) for (const digit of randomUuid().slice(24)) counts.set(digit, (counts.get(digit) ?? 0) + 1);
    // 60,000 digits over 16 values: 3,750 each expected; 6 standard deviations is about ±350.
    expect(counts.size).toBe(16);
    for (const count of counts.values()) expect(Math.abs(count - 3_750)).toBeLessThan(400);
  });

  it('make W3C traceparents of new traces, sampled or not, each with its own ids', () => {
    const sampled = newTraceparent();
    const unsampled = newTraceparent(false);
    expect(sampled).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(unsampled).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(unsampled.slice(3, 52)).not.toBe(sampled.slice(3, 52));
    // The string read out is a copy: making the next one does not change the last.
    expect(sampled.endsWith('-01')).toBe(true);
  });

  it('continue a trace as version 00, whatever version the parent had', () => {
    const child = childTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03-extra');
    expect(child).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-03$/);
  });

  it('make an event id and its traceparent in one piece, each from random bits of its own', () => {
    const made = Array.from({ length: 5_000 }, () => eventIds(undefined, true));
    for (const { id, traceparent } of made) {
      expect(id).toMatch(UUID_V4);
      expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      // No id bits reused as trace bits: what the wire shows of one predicts nothing of the other.
      expect(traceparent).not.toContain(id.replaceAll('-', '').slice(0, 16));
    }
    expect(new Set(made.map(({ id }) => id)).size).toBe(made.length);
    expect(new Set(made.map(({ traceparent }) => traceparent.slice(3, 35))).size).toBe(made.length);
    expect(eventIds(undefined, false).traceparent).toMatch(/-00$/);
  });

  it('continue a parent trace with the event id, its flags and tracestate kept', () => {
    const parent = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00', tracestate: 'vendor=1' };
    const child = childEvent(parent);
    expect(child.id).toMatch(UUID_V4);
    expect(child.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00$/);
    expect(child.traceparent.slice(36, 52)).not.toBe('00f067aa0ba902b7');
    expect(child.tracestate).toBe('vendor=1');
    expect(childEvent(undefined).traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});
