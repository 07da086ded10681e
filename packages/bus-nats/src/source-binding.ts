import type { AnyPlugin, CloudEvent } from '@polis/plugin-api';
import { ErrorCodes, PolisError } from '@polis/plugin-api';

/**
 * The plugins allowed to publish each event type, or undefined for a type the deployment binds
 * to no publisher (the kernel's own types): then any source is taken.
 */
export type DeclaredPublishers = (type: string) => readonly string[] | undefined;

/**
 * The declared publishers of a deployment, from its plugins' manifests (`publishes`): every type
 * some plugin publishes is bound to those plugins. Give every plugin of the deployment, not only
 * those this node runs: an event published on another node is checked against the same list.
 */
export function declaredPublishers(plugins: readonly AnyPlugin[]): DeclaredPublishers {
  const byType = new Map<string, string[]>();
  for (const plugin of plugins) {
    for (const event of plugin.publishes ?? []) {
      const sources = byType.get(event.type) ?? [];
      if (!sources.includes(plugin.name)) sources.push(plugin.name);
      byType.set(event.type, sources);
    }
  }
  return (type) => byType.get(type);
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
