import { NatsTransport, generateAuthConfig, pluginInboxPrefix } from '@polis/bus-nats';
import { connect, headers as natsHeaders, jetstream } from '@polis/bus-nats/nats';
import { ErrorCodes, Type, defineEvent, definePlugin, schemaUrn } from '@polis/plugin-api';
import type { CloudEvent, Logger } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { startNatsServer } from '../support/nats-server.js';
import type { NatsServer } from '../support/nats-server.js';

const IncidentDetected = defineEvent({ type: 'traffic.incident.detected', version: 1, schema: Type.Object({ n: Type.Number() }) });
const RogueNoise = defineEvent({ type: 'rogue.noise.made', version: 1, schema: Type.Object({ n: Type.Number() }) });

let reportIncident: ((n: number) => Promise<CloudEvent>) | undefined;
const traffic = definePlugin({
  name: 'traffic',
  version: '1.0.0',
  kernel: '^1',
  publishes: [IncidentDetected],
  setup(ctx) {
    reportIncident = (n) => ctx.publish(IncidentDetected, { n });
  },
});
const rogue = definePlugin({ name: 'rogue', version: '1.0.0', kernel: '^1', publishes: [RogueNoise], setup() {} });
const received: number[] = [];
const safety = definePlugin({
  name: 'safety',
  version: '1.0.0',
  kernel: '^1',
  consumes: [IncidentDetected],
  setup(ctx) {
    ctx.on(IncidentDetected, (event) => {
      received.push(event.data.n);
    });
  },
});

const password = (user: string) => `secret-of-${user}`;

/** Ids a process would use next if they were a readable prefix plus a counter: what an attacker who saw one id tries. */
function predictedIds(seen: string, count: number): string[] {
  const cut = seen.lastIndexOf('-') + 1;
  const counter = Number.parseInt(seen.slice(cut), 36);
  const from = Number.isFinite(counter) ? counter : 0;
  return Array.from({ length: count }, (_, i) => seen.slice(0, cut) + (from + i + 1).toString(36));
}

/** The outbox id of the `n`th event of a handler call if it were derived from its seed alone (SHA-256, shaped as a UUID v8): what an attacker computes. */
function outboxEventIdFromWhatTravels(seed: string, n: number): string {
  const hex = createHash('sha256').update(`${seed}\u0000${n}`).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

describe('no suppression of events by squatting on their ids', () => {
  let server: NatsServer;

  beforeAll(async () => {
    const config = generateAuthConfig([traffic, rogue, safety], {
      credentials: (plugin) => ({ password: password(plugin) }),
      kernel: { user: 'kernel', password: password('kernel') },
    });
    server = await startNatsServer({ config });
  });

  afterAll(async () => {
    await server.stop();
  });

  it("delivers traffic's next events although a plugin with only its own login stored their predicted ids first", async () => {
    const transport = new NatsTransport({
      servers: server.url,
      auth: { user: 'kernel', pass: password('kernel') },
      pluginAuth: (plugin) => (['traffic', 'rogue', 'safety'].includes(plugin) ? { user: plugin, pass: password(plugin) } : undefined),
    });
    const kit = await startTestKernel({ plugins: [traffic, rogue, safety], transport });
    const attacker = await connect({ servers: server.url, user: 'rogue', pass: password('rogue'), inboxPrefix: pluginInboxPrefix('rogue') });
    try {
      const seen = await reportIncident!(0);
      await expect.poll(() => received.length).toBe(1);
      const js = jetstream(attacker);
      // 400 ids after the one observed, under every Nats-Msg-Id form a kernel might write.
      for (const id of predictedIds(seen.id, 400)) {
        for (const msgId of [id, `traffic ${id}`]) {
          const h = natsHeaders();
          h.set('Nats-Msg-Id', msgId);
          // A well-formed event of the rogue's own type: nothing about it is refused or dead-lettered.
          const noise = { specversion: '1.0', id, source: 'rogue', type: RogueNoise.type, time: new Date().toISOString(), datacontenttype: 'application/json', dataschema: schemaUrn(RogueNoise.type, 1), data: { n: 0 } };
          h.set('content-type', 'application/cloudevents+json');
          await js.publish('polis.evt.rogue.rogue.noise.made', JSON.stringify(noise), { headers: h });
        }
      }
      const published = await Promise.all(Array.from({ length: 20 }, (_, i) => reportIncident!(i + 1)));
      expect(published).toHaveLength(20);
      await expect.poll(() => received.length, { timeout: 5_000 }).toBe(21);
      expect([...received].sort((a, b) => a - b)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    } finally {
      await attacker.close();
      await kit.stop();
    }
  });

  it("delivers what safety's handler publishes although the rogue saw the cause and stored every id an outbox could derive from it", async () => {
    // The outbox gives a handler's events ids derived from the event handled, so a re-run after a
    // crash sends the same ids; derived from what travels alone, anyone who saw the cause could
    // compute them. The rogue consumes the same public feed and stores those ids first.
    const IncidentOpened = defineEvent({ type: 'safety.incident.opened', version: 1, schema: Type.Object({ n: Type.Number() }) });
    let report: ((n: number) => Promise<CloudEvent>) | undefined;
    const detector = definePlugin({ name: 'detector', version: '1.0.0', kernel: '^1', publishes: [IncidentDetected], setup(ctx) { report = (n) => ctx.publish(IncidentDetected, { n }); } });
    const desk = definePlugin({
      name: 'desk',
      version: '1.0.0',
      kernel: '^1',
      consumes: [IncidentDetected],
      publishes: [IncidentOpened],
      setup(ctx) {
        ctx.on(IncidentDetected, async (event, scope) => {
          // A handler that works a while (a query, a computation) before it publishes.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await scope.publish(IncidentOpened, { n: event.data.n });
        });
      },
    });
    const opened: number[] = [];
    const dispatch = definePlugin({ name: 'dispatch', version: '1.0.0', kernel: '^1', consumes: [IncidentOpened], setup(ctx) { ctx.on(IncidentOpened, (event) => void opened.push(event.data.n)); } });
    const watcher = definePlugin({ name: 'watcher', version: '1.0.0', kernel: '^1', consumes: [IncidentDetected], publishes: [RogueNoise], setup() {} });
    const plugins = [detector, desk, dispatch, watcher];
    const own = await startNatsServer({ config: generateAuthConfig(plugins, { credentials: (plugin) => ({ password: password(plugin) }), kernel: { user: 'kernel', password: password('kernel') } }) });
    const transport = new NatsTransport({
      servers: own.url,
      auth: { user: 'kernel', pass: password('kernel') },
      pluginAuth: (plugin) => (['detector', 'desk', 'dispatch'].includes(plugin) ? { user: plugin, pass: password(plugin) } : undefined),
    });
    const kit = await startTestKernel({ plugins: [detector, desk, dispatch], transport });
    const attacker = await connect({ servers: own.url, user: 'watcher', pass: password('watcher'), inboxPrefix: pluginInboxPrefix('watcher') });
    const stored: string[] = [];
    try {
      const js = jetstream(attacker);
      const feed = attacker.subscribe('polis.evt.*.traffic.incident.detected');
      void (async () => {
        for await (const message of feed) {
          const cause = JSON.parse(message.string()) as CloudEvent;
          // Every seed the kernel could use: plugin, consumer group, the cause's source and id; the first event of the call.
          const id = outboxEventIdFromWhatTravels(`desk\u0000desk\u0000${cause.source}\u0000${cause.id}`, 0);
          const h = natsHeaders();
          h.set('Nats-Msg-Id', `desk ${id}`);
          h.set('content-type', 'application/cloudevents+json');
          const noise = { specversion: '1.0', id: `noise-${cause.id}`, source: 'watcher', type: RogueNoise.type, time: new Date().toISOString(), datacontenttype: 'application/json', dataschema: schemaUrn(RogueNoise.type, 1), data: { n: 0 } };
          await js.publish('polis.evt.watcher.rogue.noise.made', JSON.stringify(noise), { headers: h });
          stored.push(id);
        }
      })();
      await attacker.flush();
      for (let n = 0; n < 5; n++) await report!(n);
      await expect.poll(() => stored.length, { timeout: 5_000 }).toBe(5);
      await expect.poll(() => [...opened].sort(), { timeout: 10_000 }).toEqual([0, 1, 2, 3, 4]);
    } finally {
      await attacker.close();
      await kit.stop();
      await own.stop();
    }
  });
});

describe('de-duplication on CloudEvents identity', () => {
  let server: NatsServer;

  beforeAll(async () => {
    server = await startNatsServer();
  });

  afterAll(async () => {
    await server.stop();
  });

  it('keys de-duplication on source and id: a second gateway reusing ids 1-100 is delivered, a real duplicate is refused', async () => {
    const Reading = defineEvent({ type: 'gateway.reading.taken', version: 1, schema: Type.Object({ n: Type.Number() }) });
    const gatewayA = definePlugin({ name: 'gateway-a', version: '1.0.0', kernel: '^1', publishes: [Reading], setup() {} });
    const gatewayB = definePlugin({ name: 'gateway-b', version: '1.0.0', kernel: '^1', publishes: [Reading], setup() {} });
    const readings: string[] = [];
    const reader = definePlugin({
      name: 'reader',
      version: '1.0.0',
      kernel: '^1',
      consumes: [Reading],
      setup(ctx) {
        ctx.on(Reading, (event) => {
          readings.push(`${event.source} ${event.id}`);
        });
      },
    });
    const prefix = 'dedupe';
    const kit = await startTestKernel({
      plugins: [gatewayA, gatewayB, reader],
      transport: new NatsTransport({ servers: server.url, prefix }),
    });
    // Two other gateways write to the same stream through transports of their own.
    const writer = new NatsTransport({ servers: server.url, prefix });
    const squatter = new NatsTransport({ servers: server.url, prefix });
    const reading = (source: string, id: string): CloudEvent => ({
      specversion: '1.0',
      id,
      source,
      type: Reading.type,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      dataschema: schemaUrn(Reading.type, 1),
      data: { n: Number(id) },
      correlationid: id,
    });
    const seventh = reading('gateway-a', '7');
    try {
      for (const source of ['gateway-a', 'gateway-b']) {
        for (let id = 1; id <= 100; id++) await writer.publish(source === 'gateway-a' && id === 7 ? seventh : reading(source, String(id)));
      }
      await expect.poll(() => readings.length, { timeout: 5_000 }).toBe(200);
      expect(new Set(readings).size).toBe(200);

      // A retry of an event the stream holds (the same message: a lost ack, say) is acknowledged as
      // the duplicate it is, from this process or another.
      await expect(writer.publish(seventh)).resolves.toBeUndefined();
      const warnings: Array<{ message: string; fields: Record<string, unknown> | undefined }> = [];
      const logger: Logger = {
        debug() {},
        info() {},
        warn: (message, fields) => void warnings.push({ message, fields }),
        error() {},
        child: () => logger,
      };
      squatter.attach({ logger, admit() {}, deadLetter: async () => {} });
      await expect(squatter.publish(seventh)).resolves.toBeUndefined();
      // Another event with the same source and id (here a later reading's time) is told it was not
      // delivered, and the operator sees it.
      await expect(squatter.publish(reading('gateway-a', '7'))).rejects.toMatchObject({ code: ErrorCodes.EVENT_DUPLICATE });
      expect(warnings).toEqual([{ message: expect.stringMatching(/^security: /), fields: expect.objectContaining({ security: 'duplicate-id', source: 'gateway-a', id: '7' }) }]);
      expect(readings).toHaveLength(200);
    } finally {
      await squatter.close();
      await writer.close();
      await kit.stop();
    }
  });
});
