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
// message is dead-lettered with a stable code. `pnpm fuzz` runs 100,000 cases.
const RUNS = Number(process.env.POLIS_FUZZ_RUNS ?? 150);
const STABLE_CODES = ['POLIS_EVENT_UNDECODABLE', 'POLIS_EVENT_INVALID', 'POLIS_EVENT_UNKNOWN_TYPE', 'POLIS_EVENT_TOO_LARGE', 'POLIS_EVENT_VERSION_INCOMPATIBLE'];

interface Message {
  readonly good: boolean;
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

const good: fc.Arbitrary<Message> = fc
  .record({ sensor: fc.string({ maxLength: 20 }), value: fc.double({ min: 0, max: 1e9, noNaN: true }) })
  .map((data) => ({ good: true, payload: JSON.stringify(envelope(`good-${randomUUID()}`, data)) }));

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
    kit = await startTestKernel({ plugins: [listener], transport: testTransport({ prefix, jetstream }) });
    raw = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await raw.close();
    await kit.stop();
    await removeNatsState(prefix);
  });

  const letters = () => kit.deadLetters.filter((letter) => letter.data.plugin === 'listener');

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
        const goodIds = messages.filter((message) => message.good).map((message) => (JSON.parse(String(message.payload)) as { id: string }).id);
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
  }, 600_000);
});
