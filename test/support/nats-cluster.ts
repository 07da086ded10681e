import { connect, jetstreamManager } from '@polis/bus-nats/nats';
import { freePort, startNatsServer } from './nats-server.js';
import type { NatsServer } from './nats-server.js';

/** Three (or more) nats-servers clustered on loopback, each with its own JetStream store. */
export interface NatsCluster {
  readonly servers: readonly NatsServer[];
  /** Every client URL, for a connection that fails over between them. */
  readonly urls: readonly string[];
  /** Stops every server (SIGTERM) and deletes their stores. */
  stop(): Promise<void>;
}

/**
 * Starts `size` nats-servers with routes to each other and clustered JetStream (so streams,
 * KV buckets and consumers can have `size` replicas), and resolves once JetStream has a meta
 * leader and answers through every server.
 */
export async function startNatsCluster(size = 3, options: { name?: string } = {}): Promise<NatsCluster> {
  const name = options.name ?? `polis-test-${process.pid}`;
  const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routes = routePorts.map((port) => `nats-route://127.0.0.1:${port}`);
  const servers: NatsServer[] = [];
  try {
    for (let i = 0; i < size; i++) {
      servers.push(
        await startNatsServer({
          config: [
            `server_name: ${name}-n${i + 1}`,
            `cluster { name: ${name}, listen: 127.0.0.1:${routePorts[i]}, routes: [${routes.filter((_, j) => j !== i).join(', ')}] }`,
          ].join('\n'),
        }),
      );
    }
    for (const server of servers) await untilJetStreamAnswers(server.url);
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    throw error;
  }
  return {
    servers,
    urls: servers.map((server) => server.url),
    stop: async () => {
      await Promise.all(servers.map((server) => server.stop()));
    },
  };
}

/** Waits until the JetStream API answers through `url` (the cluster elected a meta leader). */
export async function untilJetStreamAnswers(url: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    const nc = await connect({ servers: url, reconnect: false }).catch((error: unknown) => {
      last = error;
      return undefined;
    });
    if (nc) {
      try {
        const jsm = await jetstreamManager(nc, { timeout: 2_000 });
        await jsm.getAccountInfo();
        return;
      } catch (error) {
        last = error;
      } finally {
        await nc.close();
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`JetStream did not answer through ${url} within ${ms} ms`, { cause: last });
}
