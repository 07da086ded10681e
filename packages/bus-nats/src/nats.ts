// @polis/bus-nats/nats: the nats.js client this transport is built on (core, JetStream, KV),
// re-exported so tools, bridges and tests that talk to the same server without Polis in between
// use the same client, in the same version.
export * from '@nats-io/transport-node';
export * from '@nats-io/jetstream';
export * from '@nats-io/kv';
// Both modules name a type `Heartbeat`; here it is JetStream's (a consumer notification).
export type { Heartbeat } from '@nats-io/jetstream';
