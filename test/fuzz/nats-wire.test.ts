import { randomUUID } from 'node:crypto';
import { SubjectScheme } from '@polis/bus-nats';
import { connect, headers as natsHeaders } from '@polis/bus-nats/nats';
import type { NatsConnection } from '@polis/bus-nats/nats';
import { definePlugin, schemaUrn } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATS_URL, removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';
import { SensorRead } from '../support/test-contracts.js';

// Property tests of the NATS wire (issue #9): whatever arrives on a subscribed subject, the
// process stays up, every good event among the bad is handled exactly once, and every bad
// message is dead-lettered with a stable code, in structured and binary mode. `pnpm fuzz` runs
// 100,000 cases (about 17 ms each on JetStream: allow half an hour or more per wire).
const RUNS = Number(process.env.POLIS_FUZZ_RUNS ?? 150);
const STABLE_CODES = ['POLIS_EVENT_UNDECODABLE', 'POLIS_EVENT_INVALID', 'POLIS_EVENT_UNKNOWN_TYPE', 'POLIS_EVENT_TOO_LARGE', 'POLIS_EVENT_VERSION_INCOMPATIBLE'];

interface Message {
  readonly good: boolean;
  /** A good event's id. */
  readonly id?: string;
  readonly payload: Uint8Array | string;
  readonly headers?: Record<string, string>;
}

const envelope = (id: string, data: unknown, overrides: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id,
  source: 'urn:city:fuzz',
  type: SensorRead.type,
  time: '2026-01-01T08:00:00Z',
  datacontenttype: 'application/json',
  dataschema: schemaUrn(SensorRead.type, 1),
  data,
  ...overrides,
});

/** Largest event data the fuzzed kernel takes: small, so oversized events are cheap to make. */
const MAX_EVENT_BYTES = 4096;

const reading = fc.record({ sensor: fc.string({ maxLength: 20 }), value: fc.double({ min: 0, max: 1e9, noNaN: true }) });

const good: fc.Arbitrary<Message> = fc.oneof(
  // Structured mode: the whole CloudEvent as JSON.
  reading.map((data) => ({ good: true, id: `good-${randomUUID()}`, data })).map(({ id, data }) => ({ good: true, id, payload: JSON.stringify(envelope(id, data)) })),
  // Binary mode: the attributes in ce- headers, the data alone as the payload.
  reading.map((data) => {
    const id = `good-${randomUUID()}`;
    const headers = { 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': 'urn:city:fuzz', 'ce-type': SensorRead.type, 'ce-time': '2026-01-01T08:00:00Z', 'ce-dataschema': schemaUrn(SensorRead.type, 1), 'content-type': 'application/json' };
    return { good: true, id, payload: JSON.stringify(data), headers };
  }),
);

const bad: fc.Arbitrary<Message> = fc.oneof(
  // Bytes that are no event at all.
  fc.uint8Array({ minLength: 0, maxLength: 200 }).map((payload) => ({ good: false, payload })),
  // JSON that is not an event.
  fc.jsonValue({ maxDepth: 3 }).map((value) => ({ good: false, payload: JSON.stringify(value) ?? 'null' })),
  // An event whose data breaks its schema.
  fc.jsonValue({ maxDepth: 2 }).filter((data) => !(typeof data === 'object' && data !== null && typeof (data as { sensor?: unknown }).sensor === 'string' && typeof (data as { value?: unknown }).value === 'number' && (data as { value: number }).value >= 0)).map((data) => ({ good: false, payload: JSON.stringify(envelope(`bad-${randomUUID()}`, data)) })),
  // An event with one envelope attribute wrong.
  fc
    .constantFrom<Record<string, unknown>>({ time: 'yesterday' }, { specversion: '0.3' }, { id: '' }, { type: 'test.other.thing' }, { dataschema: 7 }, { traceparent: 'nope' }, { priority: 'urgent' })
    .map((override) => ({ good: false, payload: JSON.stringify(envelope(`bad-${randomUUID()}`, { sensor: 's', value: 1 }, override)) })),
  // Binary mode with headers that do not make an event.
  fc
    .record({ 'ce-id': fc.string({ maxLength: 10 }), 'ce-specversion': fc.constantFrom('1.0', '2', ''), 'ce-type': fc.constantFrom(SensorRead.type, 'x') })
    .map((headers) => ({ good: false, payload: '{"sensor":"s","value":-1}', headers })),
  // A valid event over the size limit, in either mode.
  fc.tuple(fc.integer({ min: MAX_EVENT_BYTES, max: 4 * MAX_EVENT_BYTES }), fc.boolean()).map(([length, binary]) => {
    const id = `big-${randomUUID()}`;
    const data = { sensor: 'x'.repeat(length), value: 1 };
    if (!binary) return { good: false, payload: JSON.stringify(envelope(id, data)) };
    const headers = { 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': 'urn:city:fuzz', 'ce-type': SensorRead.type, 'ce-time': '2026-01-01T08:00:00Z', 'content-type': 'application/json' };
    return { good: false, payload: JSON.stringify(data), headers };
  }),
);

describe.each([
  { mode: 'JetStream', jetstream: true },
  { mode: 'core NATS', jetstream: false },
])('fuzzed messages on the $mode wire', ({ jetstream }) => {
  const prefix = uniquePrefix(jetstream ? 'fuzz-js' : 'fuzz-core');
  const handled = new Map<string, number>();
  let kit: TestKernel;
  let raw: NatsConnection;

  beforeAll(async () => {
    const listener = definePlugin({
      name: 'listener',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      setup(ctx) {
        ctx.on(SensorRead, (event) => void handled.set(event.id, (handled.get(event.id) ?? 0) + 1));
      },
    });
    kit = await startTestKernel({ plugins: [listener], transport: testTransport({ prefix, jetstream, maxEventBytes: MAX_EVENT_BYTES }) });
    raw = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await raw.close();
    await kit.stop();
    await removeNatsState(prefix);
  });

  // The listener's dead letters (the test kit's own subscription gets a copy of each refusal),
  // collected as they come: a filter of every letter on each poll grew quadratically over 100,000 cases.
  const mine: Array<TestKernel['deadLetters'][number]> = [];
  let scanned = 0;
  const letters = () => {
    for (; scanned < kit.deadLetters.length; scanned++) if (kit.deadLetters[scanned]!.data.plugin === 'listener') mine.push(kit.deadLetters[scanned]!);
    return mine;
  };

  it('handles every good event once and dead-letters every bad one with a stable code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(good, bad), { minLength: 1, maxLength: 12 }), async (messages) => {
        const lettersBefore = letters().length;
        for (const message of messages) {
          const h = message.headers === undefined ? undefined : natsHeaders();
          for (const [name, value] of Object.entries(message.headers ?? {})) h!.set(name, value);
          raw.publish(new SubjectScheme(prefix).published('urn:city:fuzz', SensorRead.type), message.payload, h === undefined ? {} : { headers: h });
        }
        await raw.flush();
        const goodIds = messages.filter((message) => message.good).map((message) => message.id!);
        const badCount = messages.length - goodIds.length;
        await expect.poll(() => goodIds.every((id) => handled.has(id)) && letters().length >= lettersBefore + badCount, { timeout: 5_000, interval: 5 }).toBe(true);
        const fresh = letters().slice(lettersBefore);
        expect(fresh).toHaveLength(badCount);
        for (const letter of fresh) expect(STABLE_CODES).toContain(letter.data.code);
      }),
      { numRuns: RUNS },
    );
    expect([...handled.values()].every((count) => count === 1)).toBe(true);
    expect(kit.kernel.plugin('listener')?.state).toBe('running');
  }, Math.max(600_000, RUNS * 60));
});
