import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { AnyPlugin } from '@polis/plugin-api';
import { describeDifferences } from '../schema/schema-registry.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';

interface Declaration {
  readonly plugin: string;
  readonly type: string;
  readonly version: number;
}

/**
 * Every consumer of an event bound to one version, next to a producer of another version whose
 * events cannot be converted to it soundly (schema/version-conversion.ts): each pair is refused,
 * naming both plugins, the type and both versions. Only pairs that involve one of `fresh` are
 * reported, so a load is refused for what it brings, never for what already runs. `registry` must
 * hold every version involved (the dry run's scratch copy, after the claims).
 */
export function versionPairProblems(registry: SchemaRegistry, plugins: readonly AnyPlugin[], fresh: ReadonlySet<string>): PolisError[] {
  const producers = new Map<string, Declaration[]>();
  for (const plugin of plugins) {
    for (const event of plugin.publishes ?? []) {
      const list = producers.get(event.type) ?? [];
      list.push({ plugin: plugin.name, type: event.type, version: event.version });
      producers.set(event.type, list);
    }
  }
  const problems: PolisError[] = [];
  for (const plugin of plugins) {
    for (const consumable of plugin.consumes ?? []) {
      if (typeof consumable === 'string') continue;
      for (const producer of producers.get(consumable.type) ?? []) {
        if (producer.version === consumable.version || !(fresh.has(plugin.name) || fresh.has(producer.plugin))) continue;
        if (!registry.has(consumable.type, producer.version) || !registry.has(consumable.type, consumable.version)) continue;
        const differences = registry.conversionProblems(consumable.type, producer.version, consumable.version);
        if (differences.length === 0) continue;
        const blamed = fresh.has(plugin.name) ? plugin.name : producer.plugin;
        problems.push(
          new PolisError(
            ErrorCodes.EVENT_VERSION_INCOMPATIBLE,
            `'${plugin.name}' consumes ${consumable.type} v${consumable.version}, but '${producer.plugin}' publishes v${producer.version}, ` +
              `whose events cannot be read as v${consumable.version}: ${describeDifferences(differences)}`,
            {
              plugin: blamed,
              details: {
                type: consumable.type,
                consumer: plugin.name,
                consumerVersion: consumable.version,
                producer: producer.plugin,
                producerVersion: producer.version,
                problems: differences,
              },
            },
          ),
        );
      }
    }
  }
  return problems;
}
