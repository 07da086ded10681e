import { NatsTransport, SubjectScheme, durableName, generateAuthConfig, pluginInboxPrefix } from '@polis/bus-nats';
import { AckPolicy, connect, errors, jetstreamManager } from '@polis/bus-nats/nats';
import type { NatsConnection, Status } from '@polis/bus-nats/nats';
import { Type, defineEvent, definePlugin, defineQuery } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer } from '../support/nats-server.js';
import type { NatsServer } from '../support/nats-server.js';

const IncidentDetected = defineEvent({ type: 'traffic.incident.detected', version: 1, schema: Type.Object({ junction: Type.String() }) });
const IncidentOpened = defineEvent({ type: 'safety.incident.opened', version: 1, schema: Type.Object({ junction: Type.String() }) });
const FindRoute = defineQuery({
  type: 'traffic.route.find',
  version: 1,
  request: Type.Object({ to: Type.String() }),
  response: Type.Object({ etaS: Type.Number() }),
});

const opened: CloudEvent[] = [];
/** The traffic plugin's own publish, kept by its setup so the test can report an incident through it. */
let reportIncident: ((junction: string) => Promise<unknown>) | undefined;
const traffic = definePlugin({
  name: 'traffic',
  version: '1.0.0',
  kernel: '^1',
  publishes: [IncidentDetected],
  answers: [FindRoute],
  setup(ctx) {
    ctx.answer(FindRoute, ({ to }) => ({ etaS: to.length * 60 }));
    reportIncident = (junction) => ctx.publish(IncidentDetected, { junction });
  },
});
const safety = definePlugin({
  name: 'safety',
  version: '1.0.0',
  kernel: '^1',
  consumes: [IncidentDetected],
  publishes: [IncidentOpened],
  requests: [FindRoute],
  setup(ctx) {
    ctx.on(IncidentDetected, async (event, scope) => {
      const route = await scope.request(FindRoute, { to: event.data.junction });
      opened.push(await scope.publish(IncidentOpened, { junction: `${event.data.junction} in ${route.etaS}s` }));
    });
  },
});

const password = (user: string) => `secret-of-${user}`;

describe('least privilege at the broker, from the plugin manifests', () => {
  let server: NatsServer;

  beforeAll(async () => {
    const config = generateAuthConfig([traffic, safety], {
      credentials: (plugin) => ({ password: password(plugin) }),
      kernel: { user: 'kernel', password: password('kernel') },
    });
    server = await startNatsServer({ config });
  });

  afterAll(async () => {
    await server.stop();
  });

  const connectAs = (user: string): Promise<NatsConnection> =>
    connect({ servers: server.url, user, pass: password(user), inboxPrefix: pluginInboxPrefix(user), maxReconnectAttempts: 0 });

  const firstError = async (nc: NatsConnection): Promise<Error> => {
    for await (const status of nc.status() as AsyncIterable<Status>) if (status.type === 'error') return status.error;
    throw new Error('the connection closed without an error');
  };

  it('refuses a plugin connection publishing an event type its manifest does not declare', async () => {
    const nc = await connectAs('traffic');
    const refused = firstError(nc);
    nc.publish('polis.evt.traffic.safety.incident.opened', '{}');
    const error = await refused;
    expect(error).toBeInstanceOf(errors.PermissionViolationError);
    expect(error).toMatchObject({ operation: 'publish', subject: 'polis.evt.traffic.safety.incident.opened' });
    await nc.close();
  });

  it("refuses a plugin login publishing under another plugin's publisher token, and lets the owner do it", async () => {
    // Both declare traffic.incident.detected here, so the type alone would not tell them apart.
    const config = generateAuthConfig([traffic, { ...safety, publishes: [IncidentOpened, IncidentDetected] }], {
      credentials: (plugin) => ({ password: password(plugin) }),
      kernel: { user: 'kernel', password: password('kernel') },
    });
    const shared = await startNatsServer({ config });
    const as = (user: string) => connect({ servers: shared.url, user, pass: password(user), inboxPrefix: pluginInboxPrefix(user), maxReconnectAttempts: 0 });
    const scheme = new SubjectScheme('polis');
    const [owner, other, listener] = await Promise.all([as('traffic'), as('safety'), as('kernel')]);
    try {
      const heard: string[] = [];
      listener.subscribe(scheme.event(IncidentDetected.type), { callback: (_error, msg) => void heard.push(`${msg.subject} ${msg.string()}`) });
      await listener.flush();
      const refused = firstError(other);
      // safety may publish the type, but only under its own token; the broker binds `source` to the login.
      other.publish(scheme.published('traffic', IncidentDetected.type), 'forged');
      const error = await refused;
      expect(error).toBeInstanceOf(errors.PermissionViolationError);
      expect(error).toMatchObject({ operation: 'publish', subject: 'polis.evt.traffic.traffic.incident.detected' });
      other.publish(scheme.published('safety', IncidentDetected.type), 'own');
      owner.publish(scheme.published('traffic', IncidentDetected.type), 'genuine');
      await Promise.all([other.flush(), owner.flush()]);
      await expect.poll(() => heard.length, { timeout: 5_000 }).toBe(2);
      expect(heard.sort()).toEqual(['polis.evt.safety.traffic.incident.detected own', 'polis.evt.traffic.traffic.incident.detected genuine']);
    } finally {
      await Promise.all([owner, other, listener].map((nc) => nc.close()));
      await shared.stop();
    }
  });

  it('refuses a plugin connection subscribing to events or replies that are not its own', async () => {
    const nc = await connectAs('traffic');
    const events = nc.subscribe('polis.evt.*.safety.>');
    // nats.js resolves `closed` with the error that ended the subscription.
    await expect(events.closed).resolves.toBeInstanceOf(errors.PermissionViolationError);
    const replies = nc.subscribe(`${pluginInboxPrefix('safety')}.>`);
    await expect(replies.closed).resolves.toBeInstanceOf(errors.PermissionViolationError);
    await nc.close();
  });

  it('lets each plugin do what it declared: publish, consume durably, request and answer', async () => {
    const transport = new NatsTransport({
      servers: server.url,
      auth: { user: 'kernel', pass: password('kernel') },
      pluginAuth: (plugin) => (plugin === 'traffic' || plugin === 'safety' ? { user: plugin, pass: password(plugin) } : undefined),
    });
    let kit: TestKernel | undefined;
    try {
      kit = await startTestKernel({ plugins: [traffic, safety], transport });
      await reportIncident!('j7');
      await expect.poll(() => opened.length, { timeout: 5000 }).toBe(1);
      expect(opened[0]?.data).toEqual({ junction: 'j7 in 120s' });
      expect(kit.logs.filter((record) => /permission/i.test(record.message))).toEqual([]);
    } finally {
      await kit?.stop();
    }
  });

  it("refuses a plugin's attempt to widen its durable consumer to events it did not declare", async () => {
    const nc = await connectAs('safety');
    const stream = new SubjectScheme('polis').defaultStream;
    const consumer = durableName('safety', 'traffic.incident.detected');
    const config = { durable_name: consumer, name: consumer, filter_subject: 'polis.evt.>', ack_policy: 'explicit' };
    try {
      // The create subject naming the wider filter is not in its permissions: nats.js's own call fails.
      const jsm = await jetstreamManager(nc, { checkAPI: false });
      await expect(jsm.consumers.add(stream, { ...config, ack_policy: AckPolicy.Explicit })).rejects.toThrow();
      // Nor does the permitted subject with the wider filter in the body pass: the server checks the two agree.
      const reply = await nc.request(`$JS.API.CONSUMER.CREATE.${stream}.${consumer}.polis.evt.*.traffic.incident.detected`, JSON.stringify({ stream_name: stream, config }), { timeout: 2000 });
      expect((reply.json() as { error?: { description?: string } }).error?.description).toMatch(/filter/i);
    } finally {
      await nc.close();
    }
  });
});
