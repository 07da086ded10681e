import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { AnyPlugin } from '@polis/plugin-api';

export interface DependencyGraph {
  /** Plugins in an order where each comes after every plugin whose services it needs. */
  readonly order: readonly string[];
  /** For each plugin, the plugins it needs. */
  readonly needs: ReadonlyMap<string, ReadonlySet<string>>;
  readonly problems: readonly PolisError[];
}

/**
 * The service dependency graph from `provides` / `needs`: missing providers, duplicate
 * providers and cycles are reported, each naming the plugins; the order is stable (input order
 * among independent plugins) so start-up is predictable.
 */
export function buildDependencyGraph(plugins: readonly AnyPlugin[], kernelServices: ReadonlySet<string> = new Set()): DependencyGraph {
  const problems: PolisError[] = [];
  const providerOf = new Map<string, string>();
  for (const plugin of plugins) {
    for (const ref of plugin.provides ?? []) {
      const existing = providerOf.get(ref.id);
      // The kernel binds these (core services, a deployment's overrides): a plugin cannot replace them.
      if (kernelServices.has(ref.id)) {
        problems.push(new PolisError(ErrorCodes.SERVICE_DUPLICATE, `service '${ref.id}' is bound by the kernel; '${plugin.name}' cannot provide it`, {
          plugin: plugin.name,
          details: { service: ref.id, providers: ['kernel', plugin.name] },
        }));
      } else if (existing !== undefined && existing !== plugin.name) {
        problems.push(new PolisError(ErrorCodes.SERVICE_DUPLICATE, `service '${ref.id}' is provided by both '${existing}' and '${plugin.name}'`, {
          plugin: plugin.name,
          details: { service: ref.id, providers: [existing, plugin.name] },
        }));
      } else {
        providerOf.set(ref.id, plugin.name);
      }
    }
  }
  const needs = new Map<string, Set<string>>();
  for (const plugin of plugins) {
    const edges = new Set<string>();
    for (const [key, ref] of Object.entries(plugin.needs ?? {})) {
      const provider = providerOf.get(ref.id);
      if (kernelServices.has(ref.id)) continue;
      if (provider === undefined) {
        problems.push(new PolisError(ErrorCodes.DEPENDENCY_MISSING, `needs service '${ref.id}' (as deps.${key}) but no plugin provides it`, {
          plugin: plugin.name,
          details: { service: ref.id },
        }));
      } else if (provider !== plugin.name) {
        edges.add(provider);
      }
    }
    needs.set(plugin.name, edges);
  }

  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const visit = (name: string, trail: string[]): void => {
    const seen = state.get(name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      const key = [...new Set(cycle)].sort().join(',');
      if (!reported.has(key)) {
        reported.add(key);
        problems.push(new PolisError(ErrorCodes.DEPENDENCY_CYCLE, `service dependencies form a cycle: ${cycle.join(' -> ')}`, {
          plugin: name,
          details: { cycle },
        }));
      }
      return;
    }
    state.set(name, 'visiting');
    for (const dependency of needs.get(name) ?? []) visit(dependency, [...trail, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const plugin of plugins) visit(plugin.name, []);
  return { order, needs, problems };
}

/** The plugins that need `name`, directly or through others, in stop order (dependents of dependents first). */
export function dependentsOf(name: string, needs: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const result: string[] = [];
  const visit = (target: string): void => {
    for (const [plugin, deps] of needs) {
      if (deps.has(target) && !result.includes(plugin)) {
        visit(plugin);
        result.push(plugin);
      }
    }
  };
  visit(name);
  return result;
}
