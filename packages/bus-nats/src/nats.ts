// @polis/bus-nats/nats: the few parts of the nats.js client (core, JetStream) that tools, bridges
// and tests need to talk to the same server without Polis in between, in the version this
// transport is built on. Named, not the three packages whole: what is not listed here is not
// part of Polis's surface, and a nats.js upgrade cannot widen it unnoticed.
export { connect, headers, errors, nanos } from '@nats-io/transport-node';
export type { Msg, MsgHdrs, NatsConnection, Status } from '@nats-io/transport-node';
export { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, jetstream, jetstreamManager } from '@nats-io/jetstream';
export type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
