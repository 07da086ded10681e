import { describe, expect, it } from 'vitest';
import { assertTransition, isActive } from './plugin-state.js';

describe('plugin state machine', () => {
  it('allows the lifecycle in order and failure from every active state', () => {
    for (const [from, to] of [
      ['loaded', 'setting-up'],
      ['setting-up', 'starting'],
      ['starting', 'running'],
      ['running', 'stopping'],
      ['stopping', 'stopped'],
      ['setting-up', 'failed'],
      ['starting', 'failed'],
      ['running', 'failed'],
      ['failed', 'stopping'],
    ] as const) {
      expect(() => assertTransition('p', from, to)).not.toThrow();
    }
  });

  it('refuses skipping or reversing steps with a clear error', () => {
    expect(() => assertTransition('traffic', 'loaded', 'running')).toThrow(/cannot go from 'loaded' to 'running'/);
    expect(() => assertTransition('traffic', 'stopped', 'setting-up')).toThrowError(expect.objectContaining({ code: 'POLIS_INVALID_STATE', plugin: 'traffic' }));
  });

  it('lets only setting-up, starting and running plugins use the bus', () => {
    expect(['loaded', 'setting-up', 'starting', 'running', 'stopping', 'stopped', 'failed'].filter((s) => isActive(s as never))).toEqual(['setting-up', 'starting', 'running']);
  });
});
