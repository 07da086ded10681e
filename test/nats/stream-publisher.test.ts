import { RetentionPolicy, StorageType, connect, errors as natsErrors, jetstreamManager, headers as natsHeaders } from '@polis/bus-nats/nats';
import type { NatsConnection } from '@polis/bus-nats/nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamPublisher } from '../../packages/bus-nats/src/stream-publisher.js';
import { startNatsServer } from '../support/nats-server.js';
import type { NatsServer } from '../support/nats-server.js';

/**
 * The publisher behind every stored publish of NatsTransport, against a real nats-server: what it
 * resolves with and each way it fails must be what `js.publish` gave, since the transport judges
 * outages (retry) from refusals (report) by those errors.
 */
describe('StreamPublisher', () => {
  let server: NatsServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer({
      config: 'authorization { users = [ { user: writer, password: w, permissions: { publish: { allow: [">"], deny: ["denied.>"] }, subscribe: ">" } } ] }',
    });
    nc = await connect({ servers: server.url, user: 'writer', pass: 'w' });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'ACKS', subjects: ['acks.>', 'denied.>'], storage: StorageType.Memory, retention: RetentionPolicy.Limits, max_msg_size: 1024, duplicate_window: 60_000_000_000 });
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('resolves with the stream, the sequence and whether the stream already held the message id', async () => {
    const publisher = new StreamPublisher(nc, undefined, 2_000);
    const withId = (id: string) => {
      const h = natsHeaders();
      h.set('Nats-Msg-Id', id);
      return h;
    };
    const first = await publisher.publish('acks.one', Buffer.from('a'), withId('m-1'));
    const second = await publisher.publish('acks.one', Buffer.from('b'), undefined);
    const repeat = await publisher.publish('acks.one', Buffer.from('a'), withId('m-1'));
    expect(first).toMatchObject({ stream: 'ACKS', duplicate: false });
    expect(second).toEqual({ stream: 'ACKS', seq: first.seq + 1, duplicate: false });
    expect(repeat).toEqual({ stream: 'ACKS', seq: first.seq, duplicate: true });
  });

  it('keeps many publishes in flight on one reply subscription, each answered with its own sequence', async () => {
    const publisher = new StreamPublisher(nc, undefined, 2_000);
    const acks = await Promise.all(Array.from({ length: 500 }, (_, i) => publisher.publish(`acks.many.${i % 7}`, Buffer.from(String(i)), undefined)));
    const sequences = acks.map((ack) => ack.seq);
    expect(new Set(sequences).size).toBe(500);
    // Sent in order on one connection, stored in order.
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  });

  it('fails with NoRespondersError when no stream takes the subject', async () => {
    const publisher = new StreamPublisher(nc, undefined, 2_000);
    await expect(publisher.publish('nostream.here', Buffer.from('x'), undefined)).rejects.toBeInstanceOf(natsErrors.NoRespondersError);
  });

  it("fails with the stream's JetStreamApiError when the stream refuses the message", async () => {
    const publisher = new StreamPublisher(nc, undefined, 2_000);
    const refusal = await publisher.publish('acks.big', Buffer.alloc(4096), undefined).catch((error: unknown) => error);
    // nats.js's class (not re-exported by @polis/bus-nats/nats), with the stream's error code.
    expect(refusal).toMatchObject({ name: 'JetStreamApiError', code: 10054 });
    expect((refusal as Error).message).toMatch(/size/i);
  });

  it('fails with TimeoutError when whoever takes the subject never acknowledges, within 1.25 timeouts', async () => {
    const silent = nc.subscribe('silent.>', { callback: () => {} });
    await nc.flush();
    const publisher = new StreamPublisher(nc, undefined, 400);
    const started = performance.now();
    await expect(publisher.publish('silent.one', Buffer.from('x'), undefined)).rejects.toBeInstanceOf(natsErrors.TimeoutError);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(390);
    expect(waited).toBeLessThan(400 * 1.25 + 300);
    silent.unsubscribe();
  });

  it('fails a publish the broker denied with its PermissionViolationError, at once rather than at the timeout', async () => {
    const denied = await connect({ servers: server.url, user: 'writer', pass: 'w' });
    try {
      const publisher = new StreamPublisher(denied, undefined, 30_000);
      // NatsLink passes the connection's permission errors on, as here.
      void (async () => {
        for await (const status of denied.status()) if (status.type === 'error' && status.error instanceof natsErrors.PermissionViolationError) publisher.denied(status.error);
      })();
      const started = performance.now();
      const [refused, allowed] = await Promise.allSettled([publisher.publish('denied.one', Buffer.from('x'), undefined), publisher.publish('acks.allowed', Buffer.from('y'), undefined)]);
      expect(refused.status).toBe('rejected');
      expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(natsErrors.PermissionViolationError);
      expect((refused as PromiseRejectedResult).reason).toMatchObject({ operation: 'publish', subject: 'denied.one' });
      expect(allowed).toMatchObject({ status: 'fulfilled', value: { stream: 'ACKS', duplicate: false } });
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await denied.close();
    }
  });

  it('fails what waits when the connection closes, and refuses publishes on the closed connection', async () => {
    const closing = await connect({ servers: server.url, user: 'writer', pass: 'w' });
    const silent = closing.subscribe('silent.>', { callback: () => {} });
    await closing.flush();
    const publisher = new StreamPublisher(closing, undefined, 30_000);
    const waiting = publisher.publish('silent.two', Buffer.from('x'), undefined);
    await closing.flush();
    await closing.close();
    await expect(waiting).rejects.toBeInstanceOf(natsErrors.ClosedConnectionError);
    await expect(publisher.publish('acks.after', Buffer.from('y'), undefined)).rejects.toBeInstanceOf(natsErrors.ClosedConnectionError);
    expect(silent.isClosed()).toBe(true);
  });
});
