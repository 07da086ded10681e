import { connect, jetstream, jetstreamManager } from '@polis/bus-nats/nats';
import type { JetStreamClient } from '@polis/bus-nats/nats';
import { afterAll, describe, expect, it } from 'vitest';
import { startNatsCluster } from './nats-cluster.js';
import type { NatsCluster } from './nats-cluster.js';

/** Publishes, retrying while the stream elects a new leader (no responders until it has one). */
async function publishThroughElection(js: JetStreamClient, subject: string, data: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await js.publish(subject, data, { timeout: 2_000, msgID: `${subject}-${data}` });
      return;
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('the three-node NATS cluster tests run on', () => {
  let cluster: NatsCluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
  });

  it('keeps an R3 stream whole when the server leading it is killed with -9', async () => {
    cluster = await startNatsCluster(3);
    const nc = await connect({ servers: [...cluster.urls], reconnectTimeWait: 100, maxReconnectAttempts: -1 });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'CLUSTER_SMOKE', subjects: ['smoke.>'], num_replicas: 3 });
      const js = jetstream(nc);
      for (let i = 0; i < 50; i++) await js.publish('smoke.before', String(i));
      const { cluster: placement } = await jsm.streams.info('CLUSTER_SMOKE');
      expect(placement?.replicas?.length).toBe(2);

      const leader = cluster.servers.findIndex((_, i) => placement?.leader?.endsWith(`-n${i + 1}`));
      expect(leader).toBeGreaterThanOrEqual(0);
      await cluster.servers[leader]!.kill9();
      for (let i = 0; i < 50; i++) await publishThroughElection(js, 'smoke.after', String(i));

      const after = await jsm.streams.info('CLUSTER_SMOKE');
      expect(after.state.messages).toBe(100);
      expect(after.cluster?.leader).not.toBe(placement?.leader);
    } finally {
      await nc.close();
    }
  }, 60_000);
});
