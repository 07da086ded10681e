import type { AnyPlugin, CloudEvent } from '@polis/plugin-api';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import { matchesPattern } from '@polis/kernel';
import type { InProcessPublisher } from './auth-config.js';

/**
 * The plugins allowed to publish each event type, or undefined for a type the deployment binds
 * to no publisher (the kernel's own types): then any source is taken.
 */
export type DeclaredPublishers = (type: string) => readonly string[] | undefined;

/** Types whose publishers are remembered; past it a type's list is worked out on each event (the wire may name any type). */
const REMEMBERED_TYPES = 10_000;

/**
 * The declared publishers of a deployment, from its plugins' manifests (`publishes`) and the
 * components that publish on the kernel's connection under their own source (the HTTP gateway's
 * declared sources, the MQTT connector: `InProcessPublisher`s, whose `publishes` may be patterns):
 * every type some plugin or component publishes is bound to them. Give every plugin of the
 * deployment, not only those this node runs: an event published on another node is checked
 * against the same list.
 */
export function declaredPublishers(plugins: readonly AnyPlugin[], components: readonly InProcessPublisher[] = []): DeclaredPublishers {
  const byPlugins = new Map<string, string[]>();
  for (const plugin of plugins) {
    for (const event of plugin.publishes ?? []) {
      const sources = byPlugins.get(event.type) ?? [];
      if (!sources.includes(plugin.name)) sources.push(plugin.name);
      byPlugins.set(event.type, sources);
    }
  }
  if (components.length === 0) return (type) => byPlugins.get(type);
  const known = new Map<string, readonly string[] | undefined>();
  return (type) => {
    if (known.has(type)) return known.get(type);
    const sources = [...(byPlugins.get(type) ?? [])];
    for (const component of components) {
      if (!sources.includes(component.source) && component.publishes.some((pattern) => matchesPattern(pattern, type))) sources.push(component.source);
    }
    const found = sources.length === 0 ? undefined : sources;
    if (known.size < REMEMBERED_TYPES) known.set(type, found);
    return found;
  };
}

/**
 * Refuses an event whose `source` is not a declared publisher of its type. Without per-plugin
 * broker logins any connection may write any subject, so a plugin allowed to publish one type
 * could otherwise send another plugin's events under that plugin's name.
 */
export function assertDeclaredSource(event: CloudEvent, publishers: DeclaredPublishers): void {
  const allowed = publishers(event.type);
  if (allowed !== undefined && !allowed.includes(event.source)) {
    throw new PolisError(ErrorCodes.EVENT_SOURCE_UNDECLARED, `'${event.source}' is not a declared publisher of '${event.type}' (declared: ${allowed.join(', ') || 'none'})`, {
      details: { type: event.type, source: event.source, declared: [...allowed] },
    });
  }
}
