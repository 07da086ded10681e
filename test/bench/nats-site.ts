import { startNatsServer } from '../support/nats-server.js';
import { natsServerVersion } from './machine.js';
import type { NatsSite } from './scenario.js';

/**
 * The bench's own nats-server, on a free port with a fresh JetStream store: no stream or consumer
 * of another run or test is on it, and stopping it removes everything the bench created.
 * `max_pending` is raised from 64 MB so that a consumer which falls behind a flat-out publisher
 * is measured falling behind, not disconnected as a slow consumer.
 */
export async function startNatsSite(): Promise<NatsSite & { stop(): Promise<void> }> {
  const binary = process.env.NATS_SERVER_BIN ?? 'nats-server';
  let version: string;
  try {
    version = natsServerVersion(binary);
  } catch (cause) {
    throw new Error(`the NATS scenarios need nats-server ('${binary}' did not run: apt-get install nats-server, or set NATS_SERVER_BIN)`, { cause });
  }
  const server = await startNatsServer({ config: 'max_pending: 512MB' });
  return {
    url: server.url,
    description: `private nats-server ${version} started by the bench on ${server.url} (JetStream file store in ${server.storeDir})`,
    stop: () => server.stop(),
  };
}
