import { SubjectScheme, declaredPublishers } from '@polis/bus-nats';
import { connect } from '@polis/bus-nats/nats';
import type { NatsConnection } from '@polis/bus-nats/nats';
import { ErrorCodes, EventDeadLettered, Type, defineEvent, definePlugin, schemaUrn } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATS_URL, removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';

const IncidentOpened = defineEvent({ type: 'safety.incident.opened', version: 1, schema: Type.Object({ junction: Type.String() }) });
const RoadClosed = defineEvent({ type: 'traffic.road.closed', version: 1, schema: Type.Object({ road: Type.String() }) });

describe.each([
  { path: 'a durable (JetStream) subscription', jetstream: true },
  { path: 'a core NATS subscription', jetstream: false },
])('events bound to their declared publishers, reaching $path without per-plugin logins', ({ jetstream }) => {
  const prefix = uniquePrefix(jetstream ? 'source-js' : 'source-core');
  const opened: CloudEvent[] = [];
  let kit: TestKernel;
  let raw: NatsConnection;

  const safety = definePlugin({ name: 'safety', version: '1.0.0', kernel: '^1', publishes: [IncidentOpened], setup() {} });
  const traffic = definePlugin({ name: 'traffic', version: '1.0.0', kernel: '^1', publishes: [RoadClosed], setup() {} });
  const dispatch = definePlugin({
    name: 'dispatch',
    version: '1.0.0',
    kernel: '^1',
    consumes: [IncidentOpened],
    setup(ctx) {
      ctx.on(IncidentOpened, (event) => void opened.push(event));
    },
  });

  beforeAll(async () => {
    const plugins = [safety, traffic, dispatch];
    kit = await startTestKernel({ plugins, transport: testTransport({ prefix, jetstream, publishers: declaredPublishers(plugins) }) });
    raw = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await raw.close();
    await kit.stop();
    await removeNatsState(prefix);
  });

  /** What traffic's connection could send: safety's event type, under any source it likes. */
  const forge = (id: string, source: string) => {
    const event = { specversion: '1.0', id, source, type: IncidentOpened.type, time: new Date().toISOString(), datacontenttype: 'application/json', dataschema: schemaUrn(IncidentOpened.type, 1), data: { junction: id } };
    // Under the claimed publisher's token: without logins, nothing at the broker stops that.
    raw.publish(new SubjectScheme(prefix).published(source, IncidentOpened.type), JSON.stringify(event));
  };

  it('dead-letters an event whose source does not publish its type, and delivers the genuine one', async () => {
    forge('forged-as-traffic', 'traffic');
    forge('forged-as-stranger', 'urn:somebody');
    forge('genuine', 'safety');
    await expect.poll(() => opened.map((event) => event.id), { timeout: 5_000 }).toEqual(['genuine']);
    for (const id of ['forged-as-traffic', 'forged-as-stranger']) {
      const letter = await kit.expectEvent(EventDeadLettered, { within: 5_000, where: (event) => event.data.plugin === 'dispatch' && (event.data.event as CloudEvent | undefined)?.id === id });
      expect(letter.data).toMatchObject({ code: ErrorCodes.EVENT_SOURCE_UNDECLARED, plugin: 'dispatch' });
    }
    expect(opened.map((event) => event.id)).toEqual(['genuine']);
  });
});
