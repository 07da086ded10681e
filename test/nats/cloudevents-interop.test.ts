import { STRUCTURED_CONTENT_TYPE, SubjectScheme } from '@polis/bus-nats';
import { connect, headers } from '@polis/bus-nats/nats';
import type { Msg, NatsConnection } from '@polis/bus-nats/nats';
import { Type, defineEvent, definePlugin, defineQuery, schemaUrn } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATS_URL, removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';

// A plain nats.js client, with no Polis code, on one side; a Polis kernel on the other. What
// they share is the CloudEvents NATS protocol binding and nothing else.

const SignalChanged = defineEvent({
  type: 'traffic.signal.changed',
  version: 1,
  schema: Type.Object({ signal: Type.String(), phase: Type.Union([Type.Literal('red'), Type.Literal('green')]) }),
});
const Eta = defineQuery({
  type: 'traffic.eta.ask',
  version: 1,
  request: Type.Object({ to: Type.String() }),
  response: Type.Object({ etaS: Type.Number() }),
});

describe.each(['structured', 'binary'] as const)('CloudEvents NATS binding interoperability with a plain nats.js client (Polis writing %s mode)', (wireMode) => {
  const prefix = uniquePrefix(`interop-${wireMode}`);
  const received: CloudEvent[] = [];
  let publishSignal: ((subject: string) => Promise<CloudEvent>) | undefined;
  let kit: TestKernel;
  let raw: NatsConnection;

  beforeAll(async () => {
    const signals = definePlugin({
      name: 'signals',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SignalChanged],
      publishes: [SignalChanged],
      answers: [Eta],
      setup(ctx) {
        ctx.on(SignalChanged, (event) => void received.push(event));
        ctx.answer(Eta, ({ to }) => ({ etaS: to.length }));
        publishSignal = (subject) => ctx.publish(SignalChanged, { signal: 's-12', phase: 'green' }, { subject });
      },
    });
    kit = await startTestKernel({ plugins: [signals], transport: testTransport({ prefix, wireMode }) });
    raw = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await raw.close();
    await kit.stop();
    await removeNatsState(prefix);
  });

  const arrival = async (id: string): Promise<CloudEvent> => {
    await expect.poll(() => received.some((event) => event.id === id), { timeout: 5000 }).toBe(true);
    return received.find((event) => event.id === id)!;
  };

  it('delivers to a plugin an event a plain client publishes in binary mode, percent-decoding its attributes', async () => {
    const h = headers();
    h.set('ce-specversion', '1.0');
    h.set('ce-id', 'raw-binary-1');
    h.set('ce-source', 'urn:city:legacy-scada');
    h.set('ce-type', 'traffic.signal.changed');
    h.set('ce-time', '2026-01-01T08:00:00Z');
    h.set('ce-dataschema', schemaUrn('traffic.signal.changed', 1));
    // "Straße Nord 7", encoded as the binding requires: space and non-ASCII as UTF-8 %XX.
    h.set('ce-subject', 'Stra%C3%9Fe%20Nord%207');
    h.set('content-type', 'application/json');
    raw.publish(new SubjectScheme(prefix).published('urn:city:legacy-scada', 'traffic.signal.changed'), JSON.stringify({ signal: 's-3', phase: 'red' }), { headers: h });

    const event = await arrival('raw-binary-1');
    expect(event).toMatchObject({
      specversion: '1.0',
      source: 'urn:city:legacy-scada',
      type: 'traffic.signal.changed',
      subject: 'Straße Nord 7',
      datacontenttype: 'application/json',
      data: { signal: 's-3', phase: 'red' },
    });
  });

  it('delivers to a plugin an event a plain client publishes in structured mode', async () => {
    const h = headers();
    h.set('content-type', STRUCTURED_CONTENT_TYPE);
    const structured = {
      specversion: '1.0',
      id: 'raw-structured-1',
      source: 'urn:city:legacy-scada',
      type: 'traffic.signal.changed',
      time: '2026-01-01T08:00:01Z',
      dataschema: schemaUrn('traffic.signal.changed', 1),
      subject: 'Kreuzung "Süd"',
      datacontenttype: 'application/json',
      data: { signal: 's-4', phase: 'green' },
    };
    raw.publish(new SubjectScheme(prefix).published('urn:city:legacy-scada', 'traffic.signal.changed'), JSON.stringify(structured), { headers: h });

    const event = await arrival('raw-structured-1');
    expect(event).toMatchObject({ ...structured });
  });

  // Each mode's reading test is declared only for its mode: nothing is reported as skipped.
  if (wireMode === 'binary') it('lets a plain client read a Polis event: every attribute a ce- header, percent-encoded, data as the payload', async () => {
    const seen = new Promise<Msg>((resolve) => {
      const sub = raw.subscribe(new SubjectScheme(prefix).event('traffic.signal.changed'), {
        callback: (_error, msg) => {
          if (msg.headers?.get('ce-source') !== 'signals') return;
          sub.unsubscribe();
          resolve(msg);
        },
      });
    });
    await raw.flush();
    const sent = await publishSignal!('Kreuzung Nord/Süd 100%');
    const msg = await seen;

    const h = msg.headers!;
    expect(h.get('ce-specversion')).toBe('1.0');
    expect(h.get('ce-id')).toBe(sent.id);
    expect(h.get('ce-type')).toBe('traffic.signal.changed');
    expect(h.get('ce-time')).toBe(sent.time);
    expect(h.get('ce-dataschema')).toBe('urn:polis:schema:traffic.signal.changed:1');
    expect(h.get('ce-correlationid')).toBe(sent.correlationid);
    expect(h.get('ce-traceparent')).toBe(sent.traceparent);
    expect(h.get('content-type')).toBe('application/json');
    expect(h.get('ce-datacontenttype')).toBe('application/json');
    // Space, '%' and each UTF-8 byte of 'ü' are percent-encoded; '/' is printable ASCII and stays.
    expect(h.get('ce-subject')).toBe('Kreuzung%20Nord/S%C3%BCd%20100%25');
    // JetStream drops a second publish of the same event: same source and id.
    expect(h.get('Nats-Msg-Id')).toBe(`${sent.source} ${sent.id}`);
    expect(msg.json()).toEqual({ signal: 's-12', phase: 'green' });
  });

  if (wireMode === 'structured') it('lets a plain client read a Polis event: the whole event as one JSON document', async () => {
    const seen = new Promise<Msg>((resolve) => {
      const sub = raw.subscribe(new SubjectScheme(prefix).event('traffic.signal.changed'), {
        callback: (_error, msg) => {
          if ((msg.json() as { source?: string }).source !== 'signals') return;
          sub.unsubscribe();
          resolve(msg);
        },
      });
    });
    await raw.flush();
    const sent = await publishSignal!('Kreuzung Nord/Süd 100%');
    const msg = await seen;
    expect(msg.json()).toEqual(JSON.parse(JSON.stringify(sent)));
    expect(msg.json()).toMatchObject({ specversion: '1.0', subject: 'Kreuzung Nord/Süd 100%', data: { signal: 's-12', phase: 'green' } });
    // Stored by JetStream: the only headers say what the payload is and de-duplicate it.
    expect(msg.headers?.get('content-type')).toBe(STRUCTURED_CONTENT_TYPE);
    expect(msg.headers?.get('Nats-Msg-Id')).toBe(`${sent.source} ${sent.id}`);
  });

  it('answers a plain client that sends a query in structured mode, with a structured reply', async () => {
    const request = { specversion: '1.0', id: 'raw-query-s', source: 'urn:city:kiosk', type: 'traffic.eta.ask', time: '2026-01-01T08:00:02Z', dataschema: schemaUrn('traffic.eta.ask', 1), data: { to: 'port' } };
    const reply = await raw.request(`${prefix}.rpc.traffic.eta.ask`, JSON.stringify(request), { timeout: 5000 });
    expect(reply.json()).toMatchObject({ type: 'traffic.eta.ask.reply', causationid: 'raw-query-s', source: 'signals', data: { etaS: 4 } });
  });

  it('answers a plain client that sends a query in binary mode, with a binary-mode reply', async () => {
    const h = headers();
    h.set('ce-specversion', '1.0');
    h.set('ce-id', 'raw-query-1');
    h.set('ce-source', 'urn:city:kiosk');
    h.set('ce-type', 'traffic.eta.ask');
    h.set('ce-time', '2026-01-01T08:00:02Z');
    h.set('ce-dataschema', schemaUrn('traffic.eta.ask', 1));
    h.set('content-type', 'application/json');
    const reply = await raw.request(`${prefix}.rpc.traffic.eta.ask`, JSON.stringify({ to: 'harbour' }), { headers: h, timeout: 5000 });

    expect(reply.headers?.get('ce-type')).toBe('traffic.eta.ask.reply');
    expect(reply.headers?.get('ce-causationid')).toBe('raw-query-1');
    expect(reply.headers?.get('ce-source')).toBe('signals');
    expect(reply.json()).toEqual({ etaS: 7 });
  });
});
