import { afterAll } from 'vitest';
import { removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';
import { describeBusConformance } from './bus-conformance.js';

// The same promises as the memory transport, kept by a real nats-server: once with JetStream
// (every subscription the bus makes is durable by default, so this is the JetStream path) and
// once on core NATS alone.
const durablePrefix = uniquePrefix('conformance');
const corePrefix = uniquePrefix('conformance-core');

afterAll(async () => {
  await removeNatsState(durablePrefix);
  await removeNatsState(corePrefix);
});

describeBusConformance({
  name: 'nats',
  async createTransports(nodes) {
    return Array.from({ length: nodes }, () => testTransport({ prefix: durablePrefix }));
  },
});

describeBusConformance({
  name: 'nats-core',
  async createTransports(nodes) {
    return Array.from({ length: nodes }, () => testTransport({ prefix: corePrefix, jetstream: false }));
  },
});
