import { randomBytes } from 'node:crypto';
import { NatsTransport, SubjectScheme } from '@polis/bus-nats';
import type { NatsTransportOptions } from '@polis/bus-nats';
import { connect, jetstreamManager } from '@polis/bus-nats/nats';

/** The shared nats-server (with JetStream) the NATS tests talk to unless they start their own. */
export const NATS_URL = process.env.POLIS_NATS_URL ?? '127.0.0.1:4222';

/** A subject prefix of its own for one test run, so runs sharing a server never see each other. */
export function uniquePrefix(label: string): string {
  return `t-${label}-${randomBytes(4).toString('hex')}`;
}

/**
 * A transport with settings for tests: what a crashed run leaves on the shared server expires
 * within minutes instead of a day.
 */
export function testTransport(options: NatsTransportOptions & { prefix: string }): NatsTransport {
  const jetstream = options.jetstream === false ? false : { maxAgeMs: 10 * 60_000, consumerInactiveThresholdMs: 10 * 60_000, ...(options.jetstream === true ? {} : options.jetstream) };
  return new NatsTransport({ servers: NATS_URL, reconnectTimeWaitMs: 100, ...options, jetstream });
}

/** Deletes the event stream of a prefix and the named KV buckets (their streams are `KV_<bucket>`). */
export async function removeNatsState(prefix: string, buckets: readonly string[] = [], servers: string = NATS_URL): Promise<void> {
  const nc = await connect({ servers });
  try {
    const jsm = await jetstreamManager(nc);
    for (const stream of [new SubjectScheme(prefix).defaultStream, new SubjectScheme(prefix).deadLetters().defaultStream, ...buckets.map((bucket) => `KV_${bucket}`)]) {
      await jsm.streams.delete(stream).catch(() => false);
    }
  } finally {
    await nc.close();
  }
}
