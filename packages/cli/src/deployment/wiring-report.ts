import { matchesPattern } from '@polis/kernel';
import type { PluginEntry } from '@polis/kernel';
import { WarningCodes } from './diagnostics.js';

/** A loose end in a deployment's event wiring. */
export interface WiringWarning {
  readonly plugin: string;
  readonly code: (typeof WarningCodes)['NOT_PUBLISHED' | 'NOT_ANSWERED'];
  readonly message: string;
}

/**
 * Loose ends in a deployment's event wiring: nothing is wrong enough to refuse it (an event can
 * arrive from outside, over HTTP or another node), but an integrator wants to see them.
 */
export function wiringWarnings(entries: readonly PluginEntry[]): WiringWarning[] {
  const plugins = entries.map((entry) => entry.plugin);
  const published = new Set(plugins.flatMap((p) => (p.publishes ?? []).map((e) => e.type)));
  const answered = new Set(plugins.flatMap((p) => (p.answers ?? []).map((q) => q.type)));
  const warnings: WiringWarning[] = [];
  for (const plugin of plugins) {
    for (const consumed of plugin.consumes ?? []) {
      const pattern = typeof consumed === 'string' ? consumed : consumed.type;
      if (![...published].some((type) => matchesPattern(pattern, type))) {
        warnings.push({ plugin: plugin.name, code: WarningCodes.NOT_PUBLISHED, message: `consumes '${pattern}', which no plugin in this deployment publishes (it must come from outside)` });
      }
    }
    for (const query of plugin.requests ?? []) {
      if (!answered.has(query.type)) warnings.push({ plugin: plugin.name, code: WarningCodes.NOT_ANSWERED, message: `requests '${query.type}', which no plugin in this deployment answers` });
    }
  }
  return warnings;
}
