import type { KernelOptions, PluginInput } from '../kernel.js';
import { coreServices } from '@polis/plugin-api';
import { invalidArgument, isOptions } from './invalid-argument.js';

/** The plugins argument of start, load or check: an array, or ARGUMENT_INVALID. */
export function pluginList(plugins: unknown): readonly PluginInput[] {
  if (!Array.isArray(plugins)) throw invalidArgument('plugins', 'an array of plugins (or { plugin, config } entries)', plugins);
  return plugins;
}

/** What would otherwise fail later and far from its cause: each option checked when the kernel is made. */
export function assertKernelOptions(options: KernelOptions): void {
  if (!isOptions(options)) throw invalidArgument('kernel options', 'an object', options);
  const positive = (name: string, value: unknown) => {
    if (value !== undefined && (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))) throw invalidArgument(name, 'a positive number', value);
  };
  positive('maxEventBytes', options.maxEventBytes);
  if (!isOptions(options.timeouts)) throw invalidArgument('timeouts', 'an object', options.timeouts);
  positive('timeouts.setupMs', options.timeouts?.setupMs);
  positive('timeouts.startMs', options.timeouts?.startMs);
  positive('timeouts.stopMs', options.timeouts?.stopMs);
  if (options.stateStore !== undefined && typeof options.stateStore !== 'function') throw invalidArgument('stateStore', 'a function of the plugin name', options.stateStore);
  if (options.services !== undefined) {
    if (!Array.isArray(options.services)) throw invalidArgument('services', 'an array of { ref, implementation } bindings', options.services);
    const seen = new Set<string>();
    for (const binding of options.services as unknown[]) {
      const id = binding !== undefined && isOptions(binding) ? (binding as { ref?: { id?: unknown } }).ref?.id : undefined;
      if (typeof id !== 'string' || !('implementation' in (binding as object))) throw invalidArgument('a service binding', '{ ref: a serviceRef, implementation }', binding);
      // Plugin-scoped: each plugin has its own state and config, set through stateStore and its config entry.
      if (id === coreServices.state.id || id === coreServices.config.id) throw invalidArgument(`the binding of '${id}'`, 'a root service (state and config are set per plugin)', id);
      if (seen.has(id)) throw invalidArgument(`the bindings of '${id}'`, 'one binding per service', id);
      seen.add(id);
    }
  }
}
