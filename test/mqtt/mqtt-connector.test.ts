import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MqttConnector } from '@polis/connector-mqtt';
import type { MqttConnectorOptions } from '@polis/connector-mqtt';
import { traffic } from '@polis/contracts';
import { PromMetricsService } from '@polis/http';
import { Kernel, MemoryTransport, createLogger } from '@polis/kernel';
import { EventDeadLettered, Type, defineEvent, definePlugin } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { MQTT_URL, startMosquitto } from '../support/mosquitto.js';
import type { Mosquitto } from '../support/mosquitto.js';
import { waitFor } from '../support/wait-for.js';

const LaneReading = defineEvent({
  type: 'test.lane.reading',
  version: 1,
  schema: Type.Object(
    { detectorId: Type.String({ minLength: 1 }), laneId: Type.Integer({ minimum: 1 }), speedKph: Type.Number({ minimum: 0, maximum: 300 }), observedAt: Type.String({ format: 'date-time' }), position: Type.Object({ lat: Type.Number(), lon: Type.Number() }) },
    { additionalProperties: false },
  ),
});
const RawPing = defineEvent({ type: 'test.raw.ping', version: 1, schema: Type.Object({ n: Type.Integer() }) });

const trafficExample = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/smart-data-models/TrafficFlowObserved/examples/example.json'), 'utf8')) as Record<string, unknown>;

interface Harness {
  kernel: Kernel;
  events: CloudEvent[];
  deadLetters: CloudEvent<{ code?: string; reason: string; subscription: string; raw?: { subject: string; payload: string; headers: Record<string, string> } }>[];
  connector: MqttConnector;
  prefix: string;
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function start(url: string, options: Partial<MqttConnectorOptions> = {}, prefix = `polis-test/${randomBytes(4).toString('hex')}`): Promise<Harness> {
  const events: CloudEvent[] = [];
  const deadLetters: Harness['deadLetters'] = [];
  const recorder = definePlugin({
    name: 'recorder',
    version: '1.0.0',
    kernel: '^1',
    consumes: [LaneReading, RawPing, traffic.TrafficFlowObserved, EventDeadLettered],
    setup(ctx) {
      for (const event of [LaneReading, RawPing, traffic.TrafficFlowObserved] as const) ctx.on(event, (e: CloudEvent) => void events.push(e));
      ctx.on(EventDeadLettered, (e) => void deadLetters.push(e as Harness['deadLetters'][number]));
    },
  });
  const kernel = new Kernel({ transport: new MemoryTransport(), logger: createLogger({ level: 'silent' }) });
  await kernel.start([recorder]);
  cleanup.push(() => kernel.stop());
  const connector = await MqttConnector.start({
    kernel,
    url,
    source: 'roadside-mqtt',
    clientId: `polis-test-${randomBytes(4).toString('hex')}`,
    reconnectPeriodMs: 50,
    mappings: [
      {
        topic: `${prefix}/detectors/+/lane/+`,
        type: 'test.lane.reading',
        fields: {
          detectorId: { topic: 3 },
          laneId: { topic: 5, as: 'integer' },
          speedKph: { payload: '/v', as: 'number' },
          observedAt: { payload: '/ts', as: 'timestamp' },
          'position.lat': { payload: '/gps/0' },
          'position.lon': { payload: '/gps/1' },
        },
        subject: { topic: 3 },
      },
      { topic: `${prefix}/ping`, type: 'test.raw.ping' },
      { topic: `${prefix}/fiware/#`, type: 'traffic.flow.observed', model: 'TrafficFlowObserved' },
    ],
    ...options,
  });
  cleanup.push(() => connector.stop());
  return { kernel, events, deadLetters, connector, prefix };
}

async function publisher(url: string): Promise<mqtt.MqttClient> {
  const client = await mqtt.connectAsync(url, { clientId: `polis-test-pub-${randomBytes(4).toString('hex')}` });
  cleanup.push(() => client.endAsync());
  return client;
}

describe('the MQTT connector, against the real Mosquitto', () => {
  it('maps topic levels and payload fields into an event, converting them, as the connector source', async () => {
    const city = await start(MQTT_URL);
    const pub = await publisher(MQTT_URL);
    await pub.publishAsync(`${city.prefix}/detectors/d-n10-n11/lane/2`, JSON.stringify({ v: '41.5', ts: 1_767_254_400, gps: [22.5366, 114.0489] }), { qos: 1 });
    await waitFor(() => city.events.length === 1, 5000);
    expect(city.events[0]).toMatchObject({
      type: 'test.lane.reading',
      source: 'roadside-mqtt',
      subject: 'd-n10-n11',
      data: { detectorId: 'd-n10-n11', laneId: 2, speedKph: 41.5, observedAt: '2026-01-01T08:00:00.000Z', position: { lat: 22.5366, lon: 114.0489 } },
    });
  });

  it('publishes a payload as it is, and a FIWARE entity as key-values validated against its Smart Data Model', async () => {
    const city = await start(MQTT_URL);
    const pub = await publisher(MQTT_URL);
    await pub.publishAsync(`${city.prefix}/ping`, '{"n": 7}', { qos: 1 });
    await pub.publishAsync(`${city.prefix}/fiware/flow/1`, JSON.stringify(trafficExample), { qos: 1 });
    await waitFor(() => city.events.length === 2, 5000);
    expect(city.events.find((e) => e.type === 'test.raw.ping')!.data).toEqual({ n: 7 });
    expect(city.events.find((e) => e.type === 'traffic.flow.observed')!.data).toMatchObject({ entity: { id: trafficExample.id, type: 'TrafficFlowObserved' } });
  });

  it('dead-letters every payload that does not map or validate, with its code and the raw payload, and keeps going', async () => {
    const metrics = new PromMetricsService({ processMetrics: false });
    const city = await start(MQTT_URL, { maxPayloadBytes: 1024, metrics });
    const pub = await publisher(MQTT_URL);
    const lane = `${city.prefix}/detectors/d1/lane`;
    const bad: Array<[string, string | Buffer, string]> = [
      [`${lane}/1`, 'not json {', 'POLIS_EVENT_UNDECODABLE'],
      [`${lane}/1`, Buffer.from([0xff, 0xfe, 0x00]), 'POLIS_EVENT_UNDECODABLE'],
      [`${lane}/1`, JSON.stringify({ v: 'fast', ts: 1, gps: [0, 0] }), 'POLIS_MQTT_MAPPING_FAILED'],
      [`${lane}/one`, JSON.stringify({ v: 40, ts: 1, gps: [0, 0] }), 'POLIS_MQTT_MAPPING_FAILED'],
      [`${lane}/1`, JSON.stringify({ v: 40, ts: 1, gps: 'here' }), 'POLIS_MQTT_MAPPING_FAILED'],
      [`${lane}/1`, JSON.stringify({ v: 400, ts: 1, gps: [0, 0] }), 'POLIS_EVENT_INVALID'],
      [`${lane}/1`, JSON.stringify({ v: 40, ts: 1, gps: [0, 0], pad: 'x'.repeat(2000) }), 'POLIS_MQTT_PAYLOAD_TOO_LARGE'],
      [`${city.prefix}/fiware/flow/2`, JSON.stringify({ ...trafficExample, laneId: 0 }), 'POLIS_EVENT_INVALID'],
      [`${city.prefix}/ping`, '{"n": 1.5}', 'POLIS_EVENT_INVALID'],
    ];
    for (const [topic, payload] of bad) await pub.publishAsync(topic, payload, { qos: 1 });
    await pub.publishAsync(`${city.prefix}/ping`, '{"n": 8}', { qos: 1 });
    await waitFor(() => city.deadLetters.length === bad.length && city.events.length === 1, 5000);
    expect(city.deadLetters.map((letter) => letter.data.code)).toEqual(bad.map(([, , code]) => code));
    expect(city.deadLetters[0]!.data).toMatchObject({ subscription: `${city.prefix}/detectors/+/lane/+`, raw: { subject: `${lane}/1`, payload: 'not json {', headers: { 'mqtt-qos': '1' } } });
    expect(city.deadLetters[1]!.data.raw).toMatchObject({ payload: Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), headers: { 'content-transfer-encoding': 'base64' } });
    expect(city.deadLetters[5]!.data.reason).toMatch(/speedKph/);
    expect(city.deadLetters[7]!.data.reason).toMatch(/laneId/);
    expect(city.events[0]!.data).toEqual({ n: 8 });
    const { text } = await metrics.exposition();
    expect(text).toContain(`polis_mqtt_messages_total{connector="roadside-mqtt",filter="${city.prefix}/ping",outcome="deadlettered"} 1`);
  });

  it('refuses a mapping to a model Polis does not ship, and a malformed topic filter, before connecting', async () => {
    const kernel = new Kernel({ logger: createLogger({ level: 'silent' }) });
    await kernel.start([]);
    cleanup.push(() => kernel.stop());
    await expect(MqttConnector.start({ kernel, url: MQTT_URL, source: 's', mappings: [{ topic: 'a/#/b', type: 'test.raw.ping' }] })).rejects.toMatchObject({ code: 'POLIS_DEPLOYMENT_INVALID' });
    await expect(MqttConnector.start({ kernel, url: MQTT_URL, source: 's', mappings: [{ topic: 'a/b', type: 'test.raw.ping', model: 'Parking' }] })).rejects.toThrow(/no Smart Data Model/);
  });

  it('fails to start, naming the broker, when none answers', async () => {
    const kernel = new Kernel({ logger: createLogger({ level: 'silent' }) });
    await kernel.start([]);
    cleanup.push(() => kernel.stop());
    await expect(MqttConnector.start({ kernel, url: 'mqtt://127.0.0.1:1', source: 's', connectTimeoutMs: 500, mappings: [{ topic: 'a', type: 'test.raw.ping' }] })).rejects.toMatchObject({ code: 'POLIS_TRANSPORT_FAILED' });
  });

  describe('with a broker of its own', () => {
    let broker: Mosquitto | undefined;
    afterEach(async () => {
      await broker?.stop();
      broker = undefined;
    });

    it('reconnects after the broker restarts and maps what is published then', async () => {
      broker = await startMosquitto();
      const city = await start(broker.url);
      const before = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
      await before.publishAsync(`${city.prefix}/ping`, '{"n": 1}', { qos: 1 });
      await before.endAsync();
      await waitFor(() => city.events.length === 1, 5000);

      await broker.kill();
      await waitFor(() => !city.connector.isConnected, 5000);
      expect(city.connector.readiness().check()).toEqual({ ready: false, state: 'reconnecting' });
      await broker.restart();
      await waitFor(() => city.connector.isConnected, 10_000);

      const after = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
      await after.publishAsync(`${city.prefix}/ping`, '{"n": 2}', { qos: 1 });
      await after.endAsync();
      await waitFor(() => city.events.length === 2, 5000);
      expect(city.events.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    }, 30_000);

    it('gets the QoS 1 messages sent while it was away, from its persistent session', async () => {
      broker = await startMosquitto();
      const clientId = `polis-test-${randomBytes(4).toString('hex')}`;
      const prefix = `polis-test/${randomBytes(4).toString('hex')}`;
      const first = await start(broker.url, { clientId }, prefix);
      await first.connector.stop();
      const pub = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
      await pub.publishAsync(`${prefix}/ping`, '{"n": 42}', { qos: 1 });
      await pub.endAsync();
      const second = await start(broker.url, { clientId }, prefix);
      await waitFor(() => second.events.length === 1, 5000);
      expect(second.events[0]!.data).toEqual({ n: 42 });
    }, 30_000);
  });
});
