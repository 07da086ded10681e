// The sections' schemas alone: validating a file must not load express or the MQTT client.
import { MqttConnectorSpec } from '@polis/connector-mqtt/spec';
import { GatewaySpec } from '@polis/http/spec';
import { Type } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';

const MemoryTransportSpec = Type.Object({ kind: Type.Literal('memory') }, { additionalProperties: false });

const NatsTransportSpec = Type.Object(
  {
    kind: Type.Literal('nats'),
    /** Default `nats://127.0.0.1:4222`. */
    servers: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    /** Subject prefix, so several cities (or test runs) can share one NATS. */
    prefix: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]+$' })),
    /** Durable subscriptions on JetStream (default true). */
    jetstream: Type.Optional(Type.Boolean()),
    user: Type.Optional(Type.String()),
    pass: Type.Optional(Type.String()),
    token: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const PluginSpec = Type.Object(
  {
    /** An npm package name or a path relative to the deployment file; its default export is the plugin. */
    package: Type.String({ minLength: 1 }),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    /** Set false to keep a plugin listed but not loaded. */
    enabled: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);

/** The schema of a deployment file (city.yaml): one file says what runs, where and how. */
export const DeploymentSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    // A discriminated union, so an error names the problem in the chosen kind, not in every kind.
    transport: Type.Unsafe<Static<typeof MemoryTransportSpec> | Static<typeof NatsTransportSpec>>({
      type: 'object',
      required: ['kind'],
      discriminator: { propertyName: 'kind' },
      oneOf: [MemoryTransportSpec, NatsTransportSpec],
      default: { kind: 'memory' },
    }),
    /** `speed` > 1 runs simulated time faster than the wall clock (demos, simulations). */
    clock: Type.Object({ speed: Type.Number({ exclusiveMinimum: 0, default: 1 }) }, { additionalProperties: false, default: { speed: 1 } }),
    log: Type.Object(
      {
        level: Type.Union([Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error'), Type.Literal('silent')], { default: 'info' }),
        format: Type.Union([Type.Literal('pretty'), Type.Literal('json')], { default: 'pretty' }),
      },
      { additionalProperties: false, default: {} },
    ),
    limits: Type.Object(
      {
        maxEventBytes: Type.Optional(Type.Integer({ minimum: 1 })),
        setupTimeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
        startTimeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
        stopTimeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
      },
      { additionalProperties: false, default: {} },
    ),
    plugins: Type.Array(PluginSpec, { minItems: 1 }),
    /** The HTTP gateway (`@polis/http`): started by `polis start` when present. */
    http: Type.Optional(GatewaySpec),
    /** The MQTT connector (`@polis/connector-mqtt`): sensors' topics mapped to events. */
    mqtt: Type.Optional(MqttConnectorSpec),
  },
  { additionalProperties: false },
);

export type DeploymentSpec = Static<typeof DeploymentSchema>;
export type TransportSpec = DeploymentSpec['transport'];
