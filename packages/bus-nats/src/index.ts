// @polis/bus-nats: Polis across machines. The NATS transport (core NATS and JetStream), the
// schema registry and plugin state in NATS KV, and broker authorization from plugin manifests.
//
// Subjects (prefix `polis` unless configured; it isolates deployments sharing a server):
//   <prefix>.evt.<publisher>.<type>   events, e.g. polis.evt.safety.safety.incident.opened; a
//                         subscription to a pattern listens on <prefix>.evt.*.<pattern>
//   <prefix>.rpc.<type>   queries (NATS request/reply), answered in a queue group per plugin
// Wire format: the CloudEvents NATS binding, structured mode by default (the event as one JSON
// document) or binary mode (`wireMode: 'binary'`: each attribute a percent-encoded `ce-` header,
// `content-type` for the data, the data as the payload). Both modes are always decoded.
// Durability: with JetStream (the default) the stream `<PREFIX>_EVENTS` stores `<prefix>.evt.>`;
// publishes wait for the stream's ack and carry `Nats-Msg-Id` = source and event id. A durable subscription
// is a pull consumer named after its (group, pattern), shared by the plugin's replicas, resumed
// from its ack floor after a restart. A subscription with `durable: false`, or any subscription
// with `jetstream: false`, is a core NATS queue subscription.
// Least privilege: `generateAuthConfig` writes one broker user per plugin; `pluginAuth` gives
// each plugin its own connection as that user.
export { DEFAULT_PUBLISH_RATE, NatsTransport } from './nats-transport.js';
export type { NatsDeadLetterOptions, NatsJetStreamOptions, NatsTransportOptions } from './nats-transport.js';
export type { WireMode } from './binding-encoder.js';
export type { NatsAuth, NatsTls } from './nats-link.js';
export { NatsKvSchemaStore, DEFAULT_SCHEMA_BUCKET } from './nats-kv-schema-store.js';
export type { NatsKvSchemaStoreOptions } from './nats-kv-schema-store.js';
export { natsKvStateStores, DEFAULT_STATE_BUCKET } from './nats-kv-state-store.js';
export type { NatsKvStateOptions } from './nats-kv-state-store.js';
export { generateAuthConfig, nkeyPublicKey, pluginPermissions } from './auth-config.js';
export type { AuthConfigOptions, BrokerCredentials, BrokerPermissions, InProcessPublisher } from './auth-config.js';
export { SubjectScheme, durableName, pluginInboxPrefix, pluginPublishSubjects } from './subject-scheme.js';
export { STRUCTURED_CONTENT_TYPE } from './binding-decoder.js';
export { declaredPublishers } from './source-binding.js';
export type { DeclaredPublishers } from './source-binding.js';
export type { PublishRate } from './token-bucket.js';
