import { ErrorCodes, PolisError } from '@polis/plugin-api';

/**
 * A plugin's life: loaded (manifest and config valid) -> setting-up -> starting -> running
 * -> stopping -> stopped. `failed` is reachable from every active state; a failed plugin holds
 * no subscriptions and no services.
 */
export type PluginState = 'loaded' | 'setting-up' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

const NEXT: Record<PluginState, readonly PluginState[]> = {
  loaded: ['setting-up', 'failed', 'stopped'],
  'setting-up': ['starting', 'failed', 'stopping'],
  starting: ['running', 'failed', 'stopping'],
  running: ['stopping', 'failed'],
  stopping: ['stopped'],
  stopped: [],
  failed: ['stopping', 'stopped'],
};

export function assertTransition(plugin: string, from: PluginState, to: PluginState): void {
  if (!NEXT[from].includes(to)) {
    throw new PolisError(ErrorCodes.INVALID_STATE, `cannot go from '${from}' to '${to}'`, { plugin, details: { from, to } });
  }
}

/** States in which a plugin may publish, subscribe and answer. */
export function isActive(state: PluginState): boolean {
  return state === 'setting-up' || state === 'starting' || state === 'running';
}
