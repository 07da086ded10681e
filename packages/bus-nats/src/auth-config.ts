import { fromSeed } from '@nats-io/nkeys';
import { matchesPattern } from '@polis/kernel';
import { EventDeadLettered } from '@polis/plugin-api';
import type { AnyPlugin } from '@polis/plugin-api';
import { SubjectScheme, durableName, pluginInboxPrefix, pluginPublishSubjects } from './subject-scheme.js';

/** How one broker user proves who it is: a password (plain, or a bcrypt hash) or an nkey. */
export type BrokerCredentials = { readonly password: string } | { readonly nkey: string };

export interface AuthConfigOptions {
  /** The deployment's subject prefix (default `polis`), as given to its NatsTransports. */
  prefix?: string;
  /** The event stream's name (default `<PREFIX>_EVENTS`); `false` for a deployment on core NATS alone. */
  stream?: string | false;
  /** The dead-letter stream's name (default `<PREFIX>_DEAD_LETTERS`). */
  deadLetterStream?: string;
  /**
   * Each plugin's credentials; the user is named after the plugin. Undefined: the plugin shares
   * the kernel's connection, so the kernel's user gets that plugin's permissions too.
   */
  credentials: (plugin: string) => BrokerCredentials | undefined;
  /** The kernel's own connection: stream and KV management, dead letters, system subscriptions. */
  kernel: { readonly user: string } & BrokerCredentials;
  /**
   * Publishers that are not plugins but run in the kernel's process on its connection (the HTTP
   * gateway's declared sources and its Open311 desk, the MQTT connector): the kernel's user may
   * publish their event types (or patterns) under their own publisher token, and only those.
   */
  components?: readonly InProcessPublisher[];
  /** KV buckets the kernel uses (defaults: `<prefix>_schemas`, `<prefix>_state`, as `polis start` names them). */
  schemaBucket?: string;
  stateBucket?: string;
}

/** A publisher on the kernel's own connection: its `source` and what it may publish. */
export interface InProcessPublisher {
  readonly source: string;
  readonly publishes: readonly string[];
}

/** A user's permissions, as nats-server's `authorization` block has them. */
export interface BrokerPermissions {
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
  /** Whether the user may publish replies to requests it received (a plugin that answers queries). */
  readonly allowResponses: boolean;
}

/**
 * What a plugin's own broker connection needs, derived from its manifest: publishing the events
 * in `publishes` and the queries in `requests`, subscribing to what it `consumes` and `answers`,
 * the JetStream API of its own durable consumers (one per consumed pattern, named as the
 * transport names them) with their acks, and its own inbox (`_INBOX_<plugin>.>`) for replies,
 * publish acks and pulled messages. Nothing else: no other plugin's events, consumers or replies.
 *
 * A plugin that subscribes to a narrower pattern than it declared, or twice to one pattern, uses
 * consumers this does not name; widen its permissions by hand for that.
 */
export function pluginPermissions(plugin: AnyPlugin, options: Pick<AuthConfigOptions, 'prefix' | 'stream' | 'deadLetterStream'> = {}): BrokerPermissions {
  const scheme = new SubjectScheme(options.prefix);
  const letters = scheme.deadLetters();
  const stream = options.stream === undefined ? scheme.defaultStream : options.stream;
  const patterns = (plugin.consumes ?? []).map((consumable) => (typeof consumable === 'string' ? consumable : consumable.type));
  // Where each pattern is read, as the transport subscribes: dead letters travel apart.
  const reads = patterns.flatMap((pattern) => [
    ...(pattern === EventDeadLettered.type ? [] : [{ pattern, scheme, stream }]),
    ...(matchesPattern(pattern, EventDeadLettered.type) ? [{ pattern: EventDeadLettered.type, scheme: letters, stream: stream === false ? false : (options.deadLetterStream ?? letters.defaultStream) }] : []),
  ]);
  const publish = [
    ...pluginPublishSubjects(plugin, scheme),
    ...(plugin.requests ?? []).map((query) => scheme.rpc(query.type)),
  ];
  for (const read of reads) {
    if (read.stream === false) continue;
    const consumer = durableName(plugin.name, read.pattern);
    publish.push(
      `$JS.API.CONSUMER.INFO.${read.stream}.${consumer}`,
      // Only the create subject that carries the declared filter (nats-server >= 2.9 checks it
      // against the consumer's config): a plugin cannot create its consumer over other subjects.
      `$JS.API.CONSUMER.CREATE.${read.stream}.${consumer}.${read.scheme.event(read.pattern)}`,
      `$JS.API.CONSUMER.MSG.NEXT.${read.stream}.${consumer}`,
      `$JS.ACK.${read.stream}.${consumer}.>`,
    );
  }
  const subscribe = [
    `${pluginInboxPrefix(plugin.name)}.>`,
    ...reads.map((read) => read.scheme.event(read.pattern)),
    ...(plugin.answers ?? []).map((query) => scheme.rpc(query.type)),
  ];
  return { publish: unique(publish), subscribe: unique(subscribe), allowResponses: (plugin.answers ?? []).length > 0 };
}

/**
 * A nats-server `authorization` block for a deployment: one user per plugin with
 * {@link pluginPermissions}, and the kernel's user. Include it in the server's configuration and
 * give each plugin its credentials through `NatsTransportOptions.pluginAuth`; the server then
 * refuses (a permissions violation) whatever a plugin's connection does beyond its manifest.
 */
export function generateAuthConfig(plugins: readonly AnyPlugin[], options: AuthConfigOptions): string {
  const scheme = new SubjectScheme(options.prefix);
  const letters = scheme.deadLetters();
  const stream = options.stream === undefined ? scheme.defaultStream : options.stream;
  const deadLetterStream = options.deadLetterStream ?? letters.defaultStream;
  // A deployment's buckets carry its prefix, so two cities on one server keep their registries apart.
  const buckets = [options.schemaBucket ?? `${scheme.prefix}_schemas`, options.stateBucket ?? `${scheme.prefix}_state`];
  const own = plugins.flatMap((plugin) => {
    const credentials = options.credentials(plugin.name);
    return credentials === undefined ? [] : [{ plugin, credentials }];
  });
  const shared = plugins.filter((plugin) => options.credentials(plugin.name) === undefined).map((plugin) => pluginPermissions(plugin, { prefix: options.prefix, stream, deadLetterStream }));
  const kernel: BrokerPermissions = {
    publish: unique([
      // Stream, consumer and KV management, KV reads (direct get) included.
      '$JS.API.>',
      ...(stream === false ? [] : [`$JS.ACK.${stream}.>`, `$JS.ACK.${deadLetterStream}.>`]),
      ...buckets.map((bucket) => `$KV.${bucket}.>`),
      // Dead letters and the kernel's other events, under any publisher: the kernel's components
      // (the MQTT connector, say) dead-letter under their own source.
      scheme.event('kernel.>'),
      letters.event(EventDeadLettered.type),
      ...(options.components ?? []).flatMap((component) => component.publishes.map((type) => scheme.published(component.source, type))),
      ...shared.flatMap((permissions) => permissions.publish),
    ]),
    subscribe: unique(['_INBOX.>', scheme.event('>'), letters.event('>'), ...shared.flatMap((permissions) => permissions.subscribe.filter((subject) => !subject.startsWith('_INBOX_')))]),
    allowResponses: shared.some((permissions) => permissions.allowResponses),
  };
  const users = [
    user(options.kernel.user, options.kernel, kernel, 'the kernel'),
    ...own.map(({ plugin, credentials }) => user(plugin.name, credentials, pluginPermissions(plugin, { prefix: options.prefix, stream, deadLetterStream }), `plugin ${plugin.name}@${plugin.version}`)),
  ];
  return [
    `# Generated by @polis/bus-nats from ${plugins.length} plugin manifest(s); subject prefix '${scheme.prefix}'.`,
    'authorization {',
    '  users = [',
    users.join('\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
}

function user(name: string, credentials: BrokerCredentials, permissions: BrokerPermissions, comment: string): string {
  const identity = 'nkey' in credentials ? `nkey: ${quote(credentials.nkey)}` : `user: ${quote(name)}, password: ${quote(credentials.password)}`;
  const list = (subjects: readonly string[]) => `[${subjects.map(quote).join(', ')}]`;
  return [
    `    # ${comment}`,
    `    { ${identity}, permissions: {`,
    `        publish: { allow: ${list(permissions.publish)} }`,
    `        subscribe: { allow: ${list(permissions.subscribe)} }`,
    ...(permissions.allowResponses ? ['        allow_responses: true'] : []),
    '    } }',
  ].join('\n');
}

/** nats-server's configuration parser reads JSON string literals. */
function quote(text: string): string {
  return JSON.stringify(text);
}

function unique(subjects: string[]): string[] {
  return [...new Set(subjects)];
}

/** The public key (`U...`) nats-server knows a user by, from the seed (`SU...`) only the client holds. */
export function nkeyPublicKey(seed: string): string {
  return fromSeed(new TextEncoder().encode(seed)).getPublicKey();
}
