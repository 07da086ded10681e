import { Type } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';

/**
 * A secret kept out of the deployment file: the name of an environment variable, or a file
 * (relative to the deployment file) whose content, trimmed, is the secret.
 */
export const SecretSpec = Type.Union(
  [
    Type.Object({ env: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }) }, { additionalProperties: false }),
    Type.Object({ file: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  ],
  { description: '{ env: NAME } or { file: path }' },
);

/** An event type or a pattern with NATS wildcards (`*` one token, `>` the rest). */
const Pattern = Type.String({ minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9_*>-]+(\\.[A-Za-z0-9_*>-]+)*$' });

/**
 * An external system allowed to talk to the city: it authenticates with its token and gets the
 * same least privilege as a plugin. Events it sends carry its name as `source`.
 */
export const SourceSpec = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9@][A-Za-z0-9@/._-]*$' }),
    token: SecretSpec,
    /** Event types (or patterns) it may send to `POST /events` (and NGSI-LD notifications). */
    publishes: Type.Array(Pattern, { default: [] }),
    /** Event types (or patterns) it may read from `GET /events/stream`. */
    consumes: Type.Array(Pattern, { default: [] }),
    /** Query types (or patterns) it may ask through `POST /queries/<type>`. */
    requests: Type.Array(Pattern, { default: [] }),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** Which NGSI-LD entity type becomes which event type, for `POST /ngsi-ld/notify`. */
export const NgsiLdEntitySpec = Type.Object(
  {
    /** The entity `type`, e.g. `AirQualityObserved`. */
    entityType: Type.String({ minLength: 1 }),
    /** The event type published for each entity, whose data is `{ entity }` (key-values). */
    event: Type.String({ minLength: 1 }),
    /** Default: the newest registered version. */
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    /** For a multi-attribute, the instance to keep (default: the one without a datasetId). */
    datasetId: Type.Optional(Type.String({ minLength: 1 })),
    /** For a LanguageProperty, the language to keep (default: `@none`, then `en`, then the first). */
    language: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

/** The `http:` section of a deployment file: the city's front door. */
export const GatewaySpec = Type.Object(
  {
    /** Interface to listen on (default 127.0.0.1: loopback only). */
    host: Type.String({ minLength: 1, default: '127.0.0.1' }),
    /** TCP port (0: any free port). */
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
    /** Largest request body, bytes (default 1 MiB). */
    maxBodyBytes: Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024, default: 1024 * 1024 }),
    /** Most events in one batch (default 1000). */
    maxBatchEvents: Type.Integer({ minimum: 1, maximum: 100_000, default: 1000 }),
    /** Browser origins allowed by CORS (default none; `*` for any). */
    cors: Type.Object({ origins: Type.Array(Type.String({ minLength: 1 }), { default: [] }) }, { additionalProperties: false, default: {} }),
    /** The admin API (`/admin/...`) exists only with a token of its own. */
    admin: Type.Optional(Type.Object({ token: SecretSpec }, { additionalProperties: false })),
    sources: Type.Array(SourceSpec, { default: [] }),
    stream: Type.Object(
      {
        /** Events kept for resuming streams on the memory transport (NATS resumes from JetStream). */
        bufferSize: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 10_000 }),
        /** Streams open at once (default 100). */
        maxClients: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
        /** A comment line every so often keeps proxies from closing an idle stream (default 15 s). */
        heartbeatS: Type.Number({ exclusiveMinimum: 0, maximum: 3600, default: 15 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Query timeout when the caller names none (default 5 s; at most 60 s). */
    queryTimeoutMs: Type.Integer({ minimum: 1, maximum: 60_000, default: 5_000 }),
    /** Open311 GeoReport v2 for citizens' requests at `/open311/v2`, within the city's bounds. */
    open311: Type.Optional(
      Type.Object(
        {
          bounds: Type.Object({ minLat: Type.Number(), maxLat: Type.Number(), minLong: Type.Number(), maxLong: Type.Number() }, { additionalProperties: false }),
          rateLimit: Type.Optional(Type.Object({ requests: Type.Integer({ minimum: 1 }), windowMs: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
    ),
    /** `/accountability.json` and `/transparency`: which events open and resolve cases, and their service levels. */
    accountability: Type.Optional(
      Type.Object(
        {
          openers: Type.Record(Type.String({ minLength: 1 }), Type.String({ minLength: 1 })),
          resolvers: Type.Array(Type.String({ minLength: 1 })),
          slas: Type.Record(Type.String(), Type.Object({ acknowledgeMs: Type.Integer({ minimum: 1 }), resolveMs: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), { default: {} }),
        },
        { additionalProperties: false },
      ),
    ),
    /** NGSI-LD broker notifications (`POST /ngsi-ld/notify`), by entity type. */
    ngsiLd: Type.Optional(Type.Object({ entities: Type.Array(NgsiLdEntitySpec, { minItems: 1 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export type GatewaySpec = Static<typeof GatewaySpec>;
export type SourceSpec = Static<typeof SourceSpec>;
export type SecretSpec = Static<typeof SecretSpec>;
export type NgsiLdEntitySpec = Static<typeof NgsiLdEntitySpec>;
