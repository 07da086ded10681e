import { connect as connectTcp } from 'node:net';
import { SubjectScheme } from '@polis/bus-nats';
import { connect, headers } from '@polis/bus-nats/nats';
import type { MsgHdrs, NatsConnection } from '@polis/bus-nats/nats';
import { ErrorCodes, EventDeadLettered, definePlugin, schemaUrn } from '@polis/plugin-api';
import type { CloudEvent, EventData } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATS_URL, removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';
import { SensorRead } from '../support/test-contracts.js';

type Letter = EventData<typeof EventDeadLettered>;

/** Binary-mode headers of a test.sensor.read event, with some of them overridden. */
function sensorHeaders(id: string, overrides: Record<string, string> = {}): MsgHdrs {
  const h = headers();
  const values: Record<string, string> = {
    'ce-specversion': '1.0',
    'ce-id': id,
    'ce-source': 'urn:city:field-gateway',
    'ce-type': 'test.sensor.read',
    'ce-time': '2026-01-01T08:00:00Z',
    'ce-dataschema': schemaUrn('test.sensor.read', 1),
    'content-type': 'application/json',
    ...overrides,
  };
  for (const [name, value] of Object.entries(values)) h.set(name, value);
  return h;
}

/**
 * Publishes a message whose header block nats.js would never build (a line without a colon),
 * over a bare TCP connection speaking the NATS protocol; resolves once the server has it.
 */
function publishMalformedHeaders(subject: string, headerBlock: string, payload: string): Promise<void> {
  const [host, port] = NATS_URL.split(':');
  return new Promise((resolve, reject) => {
    const socket = connectTcp(Number(port), host, () => {
      const total = Buffer.byteLength(headerBlock) + Buffer.byteLength(payload);
      socket.write(`CONNECT {"verbose":false,"pedantic":false,"headers":true,"protocol":1}\r\n`);
      socket.write(`HPUB ${subject} ${Buffer.byteLength(headerBlock)} ${total}\r\n${headerBlock}${payload}\r\nPING\r\n`);
    });
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('PONG')) {
        socket.end();
        resolve();
      } else if (answer.includes('-ERR')) {
        socket.destroy();
        reject(new Error(`the server refused the message: ${answer}`));
      }
    });
    socket.on('error', reject);
  });
}

describe.each([
  { path: 'a durable (JetStream) subscription', jetstream: true },
  { path: 'a core NATS subscription', jetstream: false },
])('bad input from the wire reaching $path', ({ jetstream }) => {
  const prefix = uniquePrefix(jetstream ? 'bad-input-js' : 'bad-input-core');
  const handled: CloudEvent[] = [];
  let kit: TestKernel;
  let raw: NatsConnection;
  const subject = (type: string, publisher = 'urn:city:field-gateway') => new SubjectScheme(prefix).published(publisher, type);

  beforeAll(async () => {
    const listener = definePlugin({
      name: 'listener',
      version: '1.0.0',
      kernel: '^1',
      // SensorRead is declared so its schema is registered; the handler takes the whole domain.
      consumes: ['test.>', SensorRead],
      setup(ctx) {
        ctx.on('test.>', (event) => void handled.push(event));
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

  const letterFor = async (where: (letter: Letter) => boolean): Promise<Letter> => {
    const letter = await kit.expectEvent(EventDeadLettered, { within: 5000, where: (event) => event.data.plugin === 'listener' && where(event.data) });
    return letter.data;
  };
  const rawLetter = (id: string) => letterFor((letter) => letter.raw?.headers['ce-id'] === id);
  const eventLetter = (id: string) => letterFor((letter) => (letter.event as CloudEvent | undefined)?.id === id);

  it('dead-letters a header that is not valid percent-encoding, with the raw message', async () => {
    raw.publish(subject('test.sensor.read'), '{"sensor":"a","value":1}', { headers: sensorHeaders('bad-%ZZ') });
    const letter = await rawLetter('bad-%ZZ');
    expect(letter).toMatchObject({ code: ErrorCodes.EVENT_UNDECODABLE, attempts: 0, subscription: 'test.>', reason: expect.stringContaining('ce-id') });
    expect(letter.raw).toMatchObject({ subject: subject('test.sensor.read'), payload: '{"sensor":"a","value":1}' });
  });

  it('dead-letters a header whose percent-encoding is not valid UTF-8 (an overlong form)', async () => {
    raw.publish(subject('test.sensor.read'), '{"sensor":"a","value":1}', { headers: sensorHeaders('overlong', { 'ce-subject': '%C0%A0' }) });
    const letter = await rawLetter('overlong');
    expect(letter).toMatchObject({ code: ErrorCodes.EVENT_UNDECODABLE, reason: expect.stringContaining('not valid UTF-8') });
  });

  it('dead-letters a header block with a malformed line', async () => {
    const block = 'NATS/1.0\r\nce-specversion: 1.0\r\nce-id: malformed-line\r\nthis line has no colon\r\n\r\n';
    await publishMalformedHeaders(subject('test.sensor.read'), block, '{"sensor":"a","value":1}');
    const letter = await rawLetter('malformed-line');
    expect(letter).toMatchObject({ code: ErrorCodes.EVENT_UNDECODABLE, reason: "malformed header line 'this line has no colon'" });
  });

  it('dead-letters a payload that is not JSON', async () => {
    raw.publish(subject('test.sensor.read'), '{"sensor": "a", ', { headers: sensorHeaders('not-json') });
    const letter = await rawLetter('not-json');
    expect(letter).toMatchObject({ code: ErrorCodes.EVENT_UNDECODABLE, reason: expect.stringContaining('the data is not valid JSON') });
    expect(letter.raw?.payload).toBe('{"sensor": "a", ');
  });

  it('dead-letters an event whose type is not the one its subject names', async () => {
    raw.publish(subject('test.sensor.read'), '{"sensor":"a","value":1}', { headers: sensorHeaders('smuggled', { 'ce-type': 'test.alarm.raised' }) });
    const letter = await rawLetter('smuggled');
    expect(letter).toMatchObject({ code: ErrorCodes.EVENT_UNDECODABLE, reason: expect.stringContaining("is not the publisher and type its subject names ('urn_3Acity_3Afield-gateway.test.sensor.read')") });
  });

  it('dead-letters an event whose source is not the publisher its subject names', async () => {
    // A login allowed to write under 'urn:city:other' claims the field gateway's name.
    raw.publish(subject('test.sensor.read', 'urn:city:other'), '{"sensor":"a","value":1}', { headers: sensorHeaders('impersonated') });
    const letter = await rawLetter('impersonated');
    expect(letter).toMatchObject({ code: ErrorCodes.EVENT_UNDECODABLE, reason: expect.stringContaining("source 'urn:city:field-gateway') is not the publisher and type its subject names") });
  });

  it('dead-letters data failing its schema with the path and rule, and the decoded event', async () => {
    raw.publish(subject('test.sensor.read'), JSON.stringify({ sensor: 7, value: -1 }), { headers: sensorHeaders('invalid-data') });
    const letter = await eventLetter('invalid-data');
    expect(letter).toMatchObject({
      code: ErrorCodes.EVENT_INVALID,
      reason: 'test.sensor.read v1: /sensor must be string (type); /value must be >= 0 (minimum)',
      event: { id: 'invalid-data', source: 'urn:city:field-gateway', data: { sensor: 7, value: -1 } },
    });
  });

  it('dead-letters an event of a type no schema is registered for', async () => {
    raw.publish(subject('test.sensor.exploded'), '{}', {
      headers: sensorHeaders('unknown-type', { 'ce-type': 'test.sensor.exploded', 'ce-dataschema': schemaUrn('test.sensor.exploded', 1) }),
    });
    const letter = await eventLetter('unknown-type');
    expect(letter).toMatchObject({ code: ErrorCodes.EVENT_UNKNOWN_TYPE, reason: expect.stringContaining('test.sensor.exploded') });
  });

  it.each([
    ['ce-time', '12345', 'time'],
    ['ce-priority', '797', 'priority'],
    ['ce-traceparent', '00-not-a-trace-01', 'traceparent'],
    ['ce-tracestate', 'no equals sign', 'tracestate'],
  ])('dead-letters a binary-mode event whose %s header is %s, naming the attribute', async (header, value, attribute) => {
    const id = `bad-${attribute}`;
    const overrides: Record<string, string> = { [header]: value };
    if (attribute === 'tracestate') overrides['ce-traceparent'] = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    raw.publish(subject('test.sensor.read'), '{"sensor":"a","value":1}', { headers: sensorHeaders(id, overrides) });
    const letter = await eventLetter(id);
    expect(letter).toMatchObject({ code: ErrorCodes.EVENT_UNDECODABLE, reason: expect.stringContaining(`attribute '${attribute}'`) });
  });

  it('reads a binary-mode event without ce-dataschema as the latest version of its type, keeping its tracestate', async () => {
    const h = sensorHeaders('no-dataschema', {
      'ce-traceparent': '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      'ce-tracestate': 'congo=t61rcWkgMzE',
    });
    h.delete('ce-dataschema');
    raw.publish(subject('test.sensor.read'), JSON.stringify({ sensor: 'plain', value: 3 }), { headers: h });
    await expect.poll(() => handled.find((event) => event.id === 'no-dataschema'), { timeout: 5000 }).toMatchObject({
      dataschema: schemaUrn('test.sensor.read', 1),
      tracestate: 'congo=t61rcWkgMzE',
      correlationid: 'no-dataschema',
    });
    handled.splice(handled.findIndex((event) => event.id === 'no-dataschema'), 1);
  });

  it('keeps consuming: the next good event is handled, and no bad one ever reached the handler', async () => {
    raw.publish(subject('test.sensor.read'), JSON.stringify({ sensor: 'ok', value: 2 }), { headers: sensorHeaders('good-after-bad') });
    await expect.poll(() => handled.map((event) => event.id), { timeout: 5000 }).toContain('good-after-bad');
    expect(handled.map((event) => event.id)).toEqual(['good-after-bad']);
  });
});
