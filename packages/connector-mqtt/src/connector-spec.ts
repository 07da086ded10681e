import { SecretSpec } from '@polis/http/spec';
import { Type } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';

const Conversion = Type.Union([Type.Literal('number'), Type.Literal('integer'), Type.Literal('string'), Type.Literal('boolean'), Type.Literal('timestamp')], {
  description: 'Convert the value: number, integer, string, boolean, or timestamp (epoch seconds or milliseconds, or a date string, to RFC 3339)',
});

/** Where one field of the event comes from. */
export const FieldSource = Type.Union([
  /** A JSON Pointer into the payload, e.g. `/readings/0/speed`. */
  Type.Object({ payload: Type.String({ pattern: '^(/.*)?$' }), as: Type.Optional(Conversion), default: Type.Optional(Type.Unknown()) }, { additionalProperties: false }),
  /** A level of the topic, counted from 0: `city/detectors/d-17/flow` has `d-17` at 2. */
  Type.Object({ topic: Type.Integer({ minimum: 0, maximum: 64 }), as: Type.Optional(Conversion) }, { additionalProperties: false }),
  /** A constant. */
  Type.Object({ value: Type.Unknown() }, { additionalProperties: false }),
]);

/** Messages on a topic filter, and the event each becomes. */
export const TopicMapping = Type.Object(
  {
    /** An MQTT topic filter (`+` one level, `#` the rest). */
    topic: Type.String({ minLength: 1, maxLength: 1024 }),
    /** The event type published for each message. */
    type: Type.String({ minLength: 1 }),
    /** Default: the newest registered version. */
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    /** The event's data field by field (`position.lat` builds nested objects); without it, the payload as it is. */
    fields: Type.Optional(Type.Record(Type.String({ minLength: 1, pattern: '^[^.]+(\\.[^.]+)*$' }), FieldSource)),
    /** The payload (or the mapped fields) is an entity of this FIWARE Smart Data Model: the event's data is `{ entity }` in key-values. */
    model: Type.Optional(Type.String({ minLength: 1 })),
    subject: Type.Optional(FieldSource),
    priority: Type.Optional(Type.Union([Type.Literal('emergency'), Type.Literal('routine')])),
  },
  { additionalProperties: false },
);

/** The `mqtt:` section of a deployment file. */
export const MqttConnectorSpec = Type.Object(
  {
    /** Default mqtt://127.0.0.1:1883. */
    url: Type.String({ pattern: '^(mqtts?|wss?)://', default: 'mqtt://127.0.0.1:1883' }),
    /** Events carry it as `source`; it also names the connector in logs, metrics and dead letters (default `mqtt`). */
    source: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9@][A-Za-z0-9@/._-]*$', default: 'mqtt' }),
    /** Keep it stable: the broker keeps the session (and QoS 1 messages) of this client id (default `polis-<source>`). */
    clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    username: Type.Optional(Type.String()),
    password: Type.Optional(SecretSpec),
    /** Default 1: at least once. */
    qos: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)], { default: 1 }),
    /** Pause between reconnect attempts (default 1000 ms). */
    reconnectPeriodMs: Type.Integer({ minimum: 10, maximum: 600_000, default: 1000 }),
    /** Larger payloads are dead letters (default 256 KiB). */
    maxPayloadBytes: Type.Integer({ minimum: 16, maximum: 64 * 1024 * 1024, default: 256 * 1024 }),
    mappings: Type.Array(TopicMapping, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type MqttConnectorSpec = Static<typeof MqttConnectorSpec>;
export type TopicMapping = Static<typeof TopicMapping>;
export type FieldSource = Static<typeof FieldSource>;
