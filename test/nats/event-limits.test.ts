import { SubjectScheme } from '@polis/bus-nats';
import { connect, jetstream, jetstreamManager } from '@polis/bus-nats/nats';
import type { NatsConnection } from '@polis/bus-nats/nats';
import { ErrorCodes, EventDeadLettered, definePlugin, schemaUrn } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTransport, uniquePrefix } from '../support/nats-env.js';
import { startNatsServer } from '../support/nats-server.js';
import type { NatsServer } from '../support/nats-server.js';
import { SensorRead } from '../support/test-contracts.js';

/** A well-formed SensorRead whose sensor name makes the data `bytes` long. */
function bigReading(id: string, bytes: number): string {
  const event = {
    specversion: '1.0',
    id,
    source: 'urn:city:gateway',
    type: SensorRead.type,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    dataschema: schemaUrn(SensorRead.type, 1),
    data: { sensor: 'x'.repeat(bytes), value: 1 },
  };
  return JSON.stringify(event);
}

describe('limits against a broker that allows 8 MB payloads', () => {
  let server: NatsServer;
  let raw: NatsConnection;
  const handled: CloudEvent[] = [];
  let kit: TestKernel;
  const prefix = uniquePrefix('limits');

  beforeAll(async () => {
    server = await startNatsServer({ config: 'max_payload: 8MB' });
    const reader = definePlugin({
      name: 'reader',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      setup(ctx) {
        ctx.on(SensorRead, (event) => void handled.push(event));
      },
    });
    // On core NATS the stream's message size limit is not in the way: only the check on receipt is.
    kit = await startTestKernel({ plugins: [reader], transport: testTransport({ servers: server.url, prefix, jetstream: false }) });
    raw = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await raw.close();
    await kit.stop();
    await server.stop();
  });

  it('dead-letters a 5 MB event received over core NATS, and delivers a small one', async () => {
    const subject = new SubjectScheme(prefix).published('urn:city:gateway', SensorRead.type);
    raw.publish(subject, bigReading('huge', 5 * 1024 * 1024));
    raw.publish(subject, bigReading('small', 10));
    await expect.poll(() => handled.map((event) => event.id), { timeout: 5_000 }).toEqual(['small']);
    const letter = await kit.expectEvent(EventDeadLettered, { within: 5_000, where: (event) => event.data.plugin === 'reader' });
    expect(letter.data).toMatchObject({ code: ErrorCodes.EVENT_TOO_LARGE });
    expect(handled.map((event) => event.id)).toEqual(['small']);
  });

  it('gives the event stream limits: bytes, age, messages per subject and message size; the stream refuses a 5 MB event', async () => {
    const stored = uniquePrefix('limits-js');
    const writer = await startTestKernel({ plugins: [], transport: testTransport({ servers: server.url, prefix: stored }) });
    await writer.stop();
    const jsm = await jetstreamManager(raw);
    const { config } = await jsm.streams.info(new SubjectScheme(stored).defaultStream);
    expect(config.max_bytes).toBe(1024 * 1024 * 1024);
    expect(config.max_msgs_per_subject).toBe(1_000_000);
    expect(config.max_msg_size).toBe(1024 * 1024 + 64 * 1024);
    expect(config.max_age).toBeGreaterThan(0);
    const letters = (await jsm.streams.info(new SubjectScheme(stored).deadLetters().defaultStream)).config;
    expect(letters).toMatchObject({ max_bytes: 256 * 1024 * 1024, max_msgs: 100_000, max_msg_size: 1024 * 1024 + 128 * 1024, max_age: 7 * 24 * 3600 * 1e9 });
    await expect(jetstream(raw).publish(new SubjectScheme(stored).published('urn:city:gateway', SensorRead.type), bigReading('huge-stored', 5 * 1024 * 1024))).rejects.toThrow(/message size exceeds maximum/i);
  });

  it('keeps dead letters in a stream of their own, with limits of their own, out of the event stream', async () => {
    const stored = uniquePrefix('letters-js');
    const scheme = new SubjectScheme(stored);
    const reader = definePlugin({ name: 'reader', version: '1.0.0', kernel: '^1', consumes: [SensorRead], setup: (ctx) => void ctx.on(SensorRead, () => undefined) });
    const letters = { maxBytes: 4 * 1024 * 1024, maxAgeMs: 60 * 60_000, maxMsgs: 500, maxMsgSize: 256 * 1024 };
    const writer = await startTestKernel({ plugins: [reader], transport: testTransport({ servers: server.url, prefix: stored, jetstream: { deadLetters: letters } }) });
    const jsm = await jetstreamManager(raw);
    const deadLetterStream = scheme.deadLetters().defaultStream;
    try {
      const { config } = await jsm.streams.info(deadLetterStream);
      expect(deadLetterStream).toBe(`${stored.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_DEAD_LETTERS`);
      expect(config).toMatchObject({ subjects: [`${stored}.dlq.>`], max_bytes: letters.maxBytes, max_msgs: letters.maxMsgs, max_msg_size: letters.maxMsgSize, max_age: letters.maxAgeMs * 1_000_000 });
      const before = (await jsm.streams.info(scheme.defaultStream)).state.messages;
      // Not JSON: dead-lettered by the reader's durable subscription.
      raw.publish(scheme.published('urn:city:gateway', SensorRead.type), '{"not json');
      const letter = await writer.expectEvent(EventDeadLettered, { within: 5_000, where: (event) => event.data.plugin === 'reader' });
      expect(letter.data.code).toBe(ErrorCodes.EVENT_UNDECODABLE);
      // One letter per subscription that refused it (the reader's and the test kit's recorder's),
      // each in the dead-letter stream and each heard back from it by the recorder.
      await expect.poll(async () => (await jsm.streams.info(deadLetterStream)).state.messages === writer.deadLetters.length, { timeout: 5_000 }).toBe(true);
      expect(writer.deadLetters.length).toBeGreaterThanOrEqual(1);
      const stored_ = await jsm.streams.getMessage(deadLetterStream, { last_by_subj: scheme.deadLetters().published('kernel', EventDeadLettered.type) });
      expect((stored_?.json() as CloudEvent).type).toBe(EventDeadLettered.type);
      // The event stream holds the bad message itself, never its letter.
      expect((await jsm.streams.info(scheme.defaultStream)).state.messages).toBe(before + 1);
    } finally {
      await writer.stop();
      await jsm.streams.delete(deadLetterStream).catch(() => false);
      await jsm.streams.delete(scheme.defaultStream).catch(() => false);
    }
  });
});
