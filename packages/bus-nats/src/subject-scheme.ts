import { createHash } from 'node:crypto';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { AnyPlugin } from '@polis/plugin-api';

export const DEFAULT_PREFIX = 'polis';

const PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/**
 * Where Polis puts things on NATS. Events travel on `<prefix>.evt.<publisher>.<type>` and queries
 * on `<prefix>.rpc.<type>`. The publisher token (the event's `source`, see `subjectToken`) is in
 * the subject so that a broker login's publish permission binds `source` to the login: plugin B
 * cannot write `<prefix>.evt.A.<type>`. Subscriptions wildcard it (`<prefix>.evt.*.<pattern>`);
 * event types are dot-separated tokens, so a pattern such as `traffic.*.detected` is a NATS
 * subject pattern as it stands. The prefix isolates deployments (and test runs) that share a server.
 */
export class SubjectScheme {
  readonly prefix: string;
  /** `evt` for events; `dlq` for the scheme of dead letters (`deadLetters`). */
  readonly kind: string;
  /** `<prefix>.evt.`: what precedes the publisher token of every event subject. */
  readonly eventRoot: string;
  /** `<prefix>.rpc.`: what precedes every query type. */
  readonly rpcRoot: string;
  /** Name of the JetStream stream holding this deployment's events, unless configured. */
  readonly defaultStream: string;

  constructor(prefix: string = DEFAULT_PREFIX, kind: 'evt' | 'dlq' = 'evt') {
    if (!PREFIX.test(prefix)) {
      throw new PolisError(ErrorCodes.ARGUMENT_INVALID, `subject prefix '${prefix}' must be dot-separated tokens of letters, digits, '-' and '_'`, {
        details: { prefix },
      });
    }
    this.prefix = prefix;
    this.kind = kind;
    this.eventRoot = `${prefix}.${kind}.`;
    this.rpcRoot = `${prefix}.rpc.`;
    this.defaultStream = `${prefix.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_${kind === 'evt' ? 'EVENTS' : 'DEAD_LETTERS'}`;
  }

  /**
   * Where dead letters (`kernel.event.deadlettered`) travel: `<prefix>.dlq.<publisher>.<type>`,
   * stored in a stream of their own with limits of their own. JetStream streams may not share
   * subjects, so the dead letters cannot sit under `<prefix>.evt.>` beside the events.
   */
  deadLetters(): SubjectScheme {
    return this.kind === 'dlq' ? this : new SubjectScheme(this.prefix, 'dlq');
  }

  /** The subjects of an event type, or of an event type pattern, from every publisher (`<prefix>.evt.*.<pattern>`). */
  event(typeOrPattern: string): string {
    return `${this.eventRoot}*.${typeOrPattern}`;
  }

  /** The subject a publisher's events of one type travel on (`<prefix>.evt.<publisher>.<type>`). */
  published(source: string, typeOrPattern: string): string {
    return `${this.eventRoot}${subjectToken(source)}.${typeOrPattern}`;
  }

  rpc(queryType: string): string {
    return this.rpcRoot + queryType;
  }
}

/**
 * The durable consumer of one subscription group on one pattern, shared by every replica of the
 * plugin. Consumer names may not hold `.`, `*` or `>`, so the readable part is a sanitized copy
 * and a hash of the exact pair keeps two pairs that sanitize alike apart.
 */
export function durableName(group: string, pattern: string): string {
  const readable = `${group}__${pattern}`
    .replace(/\*/g, 'STAR')
    .replace(/>/g, 'ALL')
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .slice(0, 80);
  const digest = createHash('sha256').update(`${group}\u0000${pattern}`).digest('hex').slice(0, 10);
  return `${readable}_${digest}`;
}

/**
 * A plugin name as one subject token (for inbox prefixes and KV keys): every character outside
 * letters, digits and `-` becomes `_` and its hex code, so two names never share a token.
 */
export function subjectToken(name: string): string {
  // Most names are one token already; only the others pay for the replace.
  if (PLAIN_TOKEN.test(name)) return name;
  return name.replace(/[^A-Za-z0-9-]/g, (char) => `_${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

const PLAIN_TOKEN = /^[A-Za-z0-9-]+$/;

/** The inbox prefix of a plugin's own connection: the transport and the broker permissions agree on it. */
export function pluginInboxPrefix(plugin: string): string {
  return `_INBOX_${subjectToken(plugin)}`;
}

/**
 * The event subjects a plugin's own broker login may publish on: one per event type its manifest
 * publishes, each under the plugin's own publisher token. Broker permissions are generated from
 * this, so they and the transport's subjects cannot drift apart.
 */
export function pluginPublishSubjects(plugin: AnyPlugin, scheme: SubjectScheme): string[] {
  return (plugin.publishes ?? []).map((event) => scheme.published(plugin.name, event.type));
}
