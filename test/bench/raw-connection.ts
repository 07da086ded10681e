import { connect } from '@polis/bus-nats/nats';
import type { NatsConnection } from '@polis/bus-nats/nats';

/**
 * A nats.js connection for a raw baseline, with the option Polis' own connections set:
 * `noAsyncTraces` (nats.js otherwise allocates an Error per request or JetStream publish to keep
 * its stack, which costs more than the rest of the call). The figures then compare what Polis
 * adds, not a connection option.
 */
export function connectRaw(url: string, name: string): Promise<NatsConnection> {
  return connect({ servers: url, name, noAsyncTraces: true });
}
