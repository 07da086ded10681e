import { createHash } from 'node:crypto';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { AnyPlugin } from '@polis/plugin-api';

export const DEFAULT_PREFIX = 'polis';

const PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/**
 * Where Polis puts things on NATS. Events travel on `<prefix>.evt.<type>` and queries on
 * `<prefix>.rpc.<type>`; event types are dot-separated tokens, so a pattern such as
 * `traffic.*.detected` is a NATS subject pattern as it stands. The prefix isolates deployments
 * (and test runs) that share a server.
 */
export class SubjectScheme {
  readonly prefix: string;
  /** `<prefix>.evt.`: what precedes every event type. */
  readonly eventRoot: string;
  /** `<prefix>.rpc.`: what precedes every query type. */
  readonly rpcRoot: string;
  /** Name of the JetStream stream holding this deployment's events, unless configured. */
  readonly defaultStream: string;

  constructor(prefix: string = DEFAULT_PREFIX) {
    if (!PREFIX.test(prefix)) {
      throw new PolisError(ErrorCodes.ARGUMENT_INVALID, `subject prefix '${prefix}' must be dot-separated tokens of letters, digits, '-' and '_'`, {
        details: { prefix },
      });
    }
    this.prefix = prefix;
    this.eventRoot = `${prefix}.evt.`;
    this.rpcRoot = `${prefix}.rpc.`;
    this.defaultStream = `${prefix.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase()}_EVENTS`;
  }

  /** The subject of an event type, or of an event type pattern. */
  event(typeOrPattern: string): string {
    return this.eventRoot + typeOrPattern;
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
  return name.replace(/[^A-Za-z0-9-]/g, (char) => `_${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The inbox prefix of a plugin's own connection: the transport and the broker permissions agree on it. */
export function pluginInboxPrefix(plugin: string): string {
  return `_INBOX_${subjectToken(plugin)}`;
}

/**
 * The event subjects a plugin's own broker login may publish on: one per event type its manifest
 * publishes. Broker permissions are generated from this, so they and the transport's subjects
 * cannot drift apart.
 */
export function pluginPublishSubjects(plugin: AnyPlugin, scheme: SubjectScheme): string[] {
  return (plugin.publishes ?? []).map((event) => scheme.event(event.type));
}
