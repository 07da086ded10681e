import { ErrorCodes } from '@polis/plugin-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admitEnvelope, causeFrom, isTraceparent, isTracestate } from './envelope-validation.js';

const received = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  specversion: '1.0',
  id: 'e1',
  source: 'urn:city:gateway',
  type: 'test.sensor.read',
  time: '2026-01-01T08:00:00Z',
  data: {},
  ...overrides,
});
const admit = (event: unknown) => admitEnvelope(event, () => '2026-01-01T09:00:00.000Z');

describe('the envelope attributes of a received event', () => {
  // W3C Trace Context level 1, section 3.2 ("traceparent header") and its examples.
  it.each([
    ['the specification example', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', true],
    ['flags not sampled', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00', true],
    ['a later version with more fields', 'cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds', true],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', false],
    ['version 00 with more fields', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x', false],
    ['upper-case hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01', false],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, false],
    ['an all-zero parent id', `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`, false],
    ['a short trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01', false],
  ])('traceparent: %s is %s', (_what, value, valid) => {
    expect(isTraceparent(value)).toBe(valid);
  });

  it('reads a version 00 traceparent as the W3C grammar does, whatever one character is changed to', () => {
    const grammar = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
    const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    // Near misses at every position: other hex cases, dashes, letters past f, non-ASCII code units.
    const replacement = fc.oneof(fc.constantFrom('0', '9', 'a', 'f', 'g', 'A', 'F', '-', ' ', '/', ':', '`', '{', '\u00e9', '\u0130', '\uff10'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 54 }), replacement, (at, char) => {
        const value = valid.slice(0, at) + char + valid.slice(at + 1);
        expect(isTraceparent(value)).toBe(grammar.test(value));
      }),
      { numRuns: 2_000 },
    );
  });

  // W3C Trace Context level 1, section 3.3 ("tracestate header").
  it.each([
    ['two members', 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7', true],
    ['a multi-tenant key', 'fw529a3039@dt=dGhpcyBpcyBh', true],
    ['empty members and spaces around commas', 'a=1 , ,b=2', true],
    ['a member without =', 'congo', false],
    ['an upper-case key', 'Congo=1', false],
    ['a value with a comma-free = sign', 'a=b=c', false],
    ['33 members', Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(','), false],
  ])('tracestate: %s is %s', (_what, value, valid) => {
    expect(isTracestate(value)).toBe(valid);
  });

  it('reads null as unset and fills the defaults a receiver should', () => {
    const event = received({ time: null, subject: null, traceparent: null, correlationid: null });
    admit(event);
    expect(event).toEqual({ ...received(), time: '2026-01-01T09:00:00.000Z', datacontenttype: 'application/json', correlationid: 'e1' });
  });

  it.each([
    ['not an object', 'event', 'an event must be an object'],
    ['another specversion', received({ specversion: '0.3' }), "attribute 'specversion' must be '1.0'"],
    ['an empty id', received({ id: '' }), "attribute 'id' must be a non-empty string"],
    ['a numeric type', received({ type: 5 }), "attribute 'type' must be a non-empty string; got number 5"],
    ['a time without a zone', received({ time: '2026-01-01T08:00:00' }), "attribute 'time' must be an RFC 3339 timestamp"],
    ['February 30', received({ time: '2026-02-30T08:00:00Z' }), "attribute 'time' must be an RFC 3339 timestamp"],
    ['a huge value, shown in part', received({ subject: { text: 'x'.repeat(10_000) } }), /got object \{"text":"x+\.\.\.$/],
  ])('refuses %s with EVENT_UNDECODABLE naming the attribute', (_what, event, reason) => {
    expect(() => admit(event)).toThrow(expect.objectContaining({ code: ErrorCodes.EVENT_UNDECODABLE, message: typeof reason === 'string' ? expect.stringContaining(reason) : expect.stringMatching(reason) }));
  });

  it('keeps of a malformed event only what can be a cause', () => {
    expect(causeFrom({ id: 'e9', correlationid: 7, traceparent: null, priority: 'emergency' })).toEqual({ id: 'e9', correlationid: 'e9', priority: 'emergency' });
    const traced = { id: 'e9', correlationid: 'c1', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'a=1' };
    expect(causeFrom(traced)).toEqual(traced);
    expect(causeFrom({ id: 42 })).toBeUndefined();
  });
});
