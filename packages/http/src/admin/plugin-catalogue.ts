import type { Kernel, PluginEntry } from '@polis/kernel';
import type { AnyPlugin } from '@polis/plugin-api';

/**
 * The manifests of the plugins running in the kernel, for the AsyncAPI document and the admin
 * API: the kernel reports plugins by name and state only, so the gateway keeps the definitions
 * it started with and those loaded through it. A plugin loaded into the kernel some other way
 * is listed by the kernel but has no manifest here.
 */
export class PluginCatalogue {
  private readonly byName = new Map<string, PluginEntry>();

  constructor(
    private readonly kernel: Kernel,
    initial: readonly PluginEntry[] = [],
  ) {
    for (const entry of initial) this.byName.set(entry.plugin.name, entry);
  }

  remember(entry: PluginEntry): void {
    this.byName.set(entry.plugin.name, entry);
  }

  /** The plugins running now, with the configuration they were given (for the dashboard's layers). */
  running(): PluginEntry[] {
    const running = new Set(this.kernel.plugins().filter((status) => status.state === 'running').map((status) => status.name));
    return [...this.byName.values()].filter((entry) => running.has(entry.plugin.name));
  }

  /** The manifests of the plugins the kernel has now (failed ones included). */
  plugins(): AnyPlugin[] {
    const loaded = new Set(this.kernel.plugins().map((status) => status.name));
    return [...this.byName.values()].filter((entry) => loaded.has(entry.plugin.name)).map((entry) => entry.plugin);
  }
}
