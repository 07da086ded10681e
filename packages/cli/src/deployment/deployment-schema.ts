// The sections' schemas alone: validating a file must not load express or the MQTT client.
import { MqttConnectorSpec } from '@polis/connector-mqtt/spec';
import { GatewaySpec } from '@polis/http/spec';
import { Type } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';
import { DURATION_PATTERN, MAX_TIMER_MS } from './duration.js';

/** Text that never holds a control character (a newline in a name is a pasted file, not a name). */
const Text = (options: { maxLength: number; minLength?: number }) => Type.String({ pattern: '^[^\\u0000-\\u001f\\u007f]*$', ...options });
/** Milliseconds that a timer can wait. */
const TimeoutMs = () => Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TIMER_MS }));

const MemoryTransportSpec = Type.Object({ kind: Type.Literal('memory') }, { additionalProperties: false });

/** Where a secret is read at start: an environment variable, or a file inside the deployment's folder. Never the secret itself. */
const SecretSource = Type.Union([
  Type.Object({ env: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 256 }) }, { additionalProperties: false }),
  Type.Object({ file: Text({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
]);

/** One plugin's own broker login (see `polis auth`): a user and password, or an nkey seed. */
const PluginLogin = Type.Union([
  Type.Object({ user: Text({ minLength: 1, maxLength: 1024 }), password: SecretSource }, { additionalProperties: false }),
  Type.Object({ nkeySeed: SecretSource }, { additionalProperties: false }),
]);

const TlsFile = () => Type.Optional(Text({ minLength: 1, maxLength: 1024 }));

/** A whole number of bytes, messages or the like, up to `maximum` (finite, positive). */
const Count = (maximum: number) => Type.Optional(Type.Integer({ minimum: 1, maximum }));
const GiB = 1024 * 1024 * 1024;

/** The event stream's limits (docs/security.md, "Limits and their defaults"); unset keeps the transport's default. */
const JetStreamSpec = Type.Object(
  {
    storage: Type.Optional(Type.Union([Type.Literal('file'), Type.Literal('memory')])),
    replicas: Count(5),
    maxBytes: Count(1024 * GiB),
    maxAgeMs: Count(Number.MAX_SAFE_INTEGER / 1_000_000),
    maxMsgsPerSubject: Count(1e12),
    maxMsgSize: Count(64 * 1024 * 1024),
    duplicateWindowMs: Count(24 * 60 * 60 * 1000),
    /** The dead-letter stream's own limits. */
    deadLetters: Type.Optional(
      Type.Object(
        { maxBytes: Count(1024 * GiB), maxAgeMs: Count(Number.MAX_SAFE_INTEGER / 1_000_000), maxMsgs: Count(1e12), maxMsgSize: Count(64 * 1024 * 1024) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const Rate = Type.Object({ perSecond: Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }), burst: Type.Integer({ minimum: 1, maximum: 1e9 }) }, { additionalProperties: false });

/** Each plugin's publish rate limit: the default for all, overrides by plugin name, `false` for none. */
const PublishRateSpec = Type.Union([
  Type.Literal(false),
  Type.Object(
    {
      perSecond: Type.Optional(Rate.properties.perSecond),
      burst: Type.Optional(Rate.properties.burst),
      plugins: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9-]*$', maxLength: 64 }), Type.Union([Type.Literal(false), Rate]), { maxProperties: 1000 })),
    },
    { additionalProperties: false },
  ),
]);

const NatsTransportSpec = Type.Object(
  {
    kind: Type.Literal('nats'),
    /** Default `nats://127.0.0.1:4222`. */
    servers: Type.Optional(Type.Array(Text({ minLength: 1, maxLength: 2048 }), { minItems: 1, maxItems: 100 })),
    /** Subject prefix, so several cities (or test runs) can share one NATS. */
    prefix: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]+$', maxLength: 64 })),
    /** Durable subscriptions on JetStream (default true), or the limits of its streams. */
    jetstream: Type.Optional(Type.Union([Type.Boolean(), JetStreamSpec])),
    /** Dead-letter a received event whose source is not a declared publisher of its type (default false; see docs/security.md). */
    sourceCheck: Type.Optional(Type.Boolean()),
    publishRate: Type.Optional(PublishRateSpec),
    /** Stored publishes held through a broker outage (default 100,000), and for how long (default 5 min). */
    outageBuffer: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    outageBufferBytes: Count(64 * GiB),
    outageMaxMs: TimeoutMs(),
    /** The kernel's own login: a user and password, a token, an nkey seed or a `.creds` file; each secret written or (better) read from `{ env }` or `{ file }`. */
    user: Type.Optional(Text({ maxLength: 1024 })),
    pass: Type.Optional(Type.Union([Type.String({ maxLength: 4096 }), SecretSource])),
    token: Type.Optional(Type.Union([Type.String({ maxLength: 4096 }), SecretSource])),
    nkeySeed: Type.Optional(SecretSource),
    creds: Type.Optional(SecretSource),
    /** TLS: PEM files relative to the deployment's folder (the CA, and this client's certificate and key for mutual TLS). */
    tls: Type.Optional(Type.Object({ ca: TlsFile(), cert: TlsFile(), key: TlsFile() }, { additionalProperties: false })),
    /** Per-plugin logins by plugin name: each such plugin gets its own connection with its own credentials. */
    logins: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9-]*$', maxLength: 64 }), PluginLogin, { maxProperties: 1000 })),
  },
  { additionalProperties: false },
);

const PluginSpec = Type.Object(
  {
    /** An npm package name or a path relative to the deployment file; its default export is the plugin. */
    package: Text({ minLength: 1, maxLength: 1024 }),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    /** Set false to keep a plugin listed but not loaded. */
    enabled: Type.Boolean({ default: true }),
    /**
     * Hot-plug the plugin this long after the city started, on the city's clock (seconds, or a
     * duration such as `'90s'`, `'10m'`, `'1h30m'`): `polis start` loads it into the running
     * kernel then, so a demo can add a domain while the city runs.
     */
    startAfter: Type.Optional(
      Type.Union([Type.Number({ minimum: 0, maximum: MAX_TIMER_MS / 1000 }), Type.String({ pattern: DURATION_PATTERN, maxLength: 64 })]),
    ),
  },
  { additionalProperties: false },
);

/** The schema of a deployment file (city.yaml): one file says what runs, where and how. */
export const DeploymentSchema = Type.Object(
  {
    name: Text({ minLength: 1, maxLength: 200 }),
    // A discriminated union, so an error names the problem in the chosen kind, not in every kind.
    transport: Type.Unsafe<Static<typeof MemoryTransportSpec> | Static<typeof NatsTransportSpec>>({
      type: 'object',
      required: ['kind'],
      discriminator: { propertyName: 'kind' },
      oneOf: [MemoryTransportSpec, NatsTransportSpec],
      default: { kind: 'memory' },
    }),
    /** `speed` > 1 runs simulated time faster than the wall clock (demos, simulations). */
    clock: Type.Object({ speed: Type.Number({ exclusiveMinimum: 0, maximum: 100_000, default: 1 }) }, { additionalProperties: false, default: { speed: 1 } }),
    log: Type.Object(
      {
        level: Type.Union([Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error'), Type.Literal('silent')], { default: 'info' }),
        format: Type.Union([Type.Literal('pretty'), Type.Literal('json')], { default: 'pretty' }),
      },
      { additionalProperties: false, default: {} },
    ),
    limits: Type.Object(
      {
        maxEventBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 * 1024 * 1024 })),
        setupTimeoutMs: TimeoutMs(),
        startTimeoutMs: TimeoutMs(),
        stopTimeoutMs: TimeoutMs(),
        /** Default handler timeout of every subscription. */
        handlerTimeoutMs: TimeoutMs(),
      },
      { additionalProperties: false, default: {} },
    ),
    plugins: Type.Array(PluginSpec, { minItems: 1, maxItems: 1000 }),
    /** The HTTP gateway (`@polis/http`): started by `polis start` when present. */
    http: Type.Optional(GatewaySpec),
    /** The MQTT connector (`@polis/connector-mqtt`): sensors' topics mapped to events. */
    mqtt: Type.Optional(MqttConnectorSpec),
    /** OpenTelemetry traces of the bus and the gateway, exported over OTLP/HTTP to a collector. */
    tracing: Type.Optional(
      Type.Object(
        {
          /** The collector's traces endpoint (OTLP/HTTP, JSON), e.g. http://127.0.0.1:4318/v1/traces. */
          otlpUrl: Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2048 }),
          /** The share of new traces recorded; a trace that arrives sampled (or not) keeps its caller's choice. */
          sampleRatio: Type.Number({ minimum: 0, maximum: 1, default: 0.01 }),
          /** `service.name` of the spans (default: the deployment's `name`). */
          serviceName: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type DeploymentSpec = Static<typeof DeploymentSchema>;
export type TransportSpec = DeploymentSpec['transport'];
export type PluginSpec = DeploymentSpec['plugins'][number];
