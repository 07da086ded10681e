import { describe, expect, it } from 'vitest';
import { statesOf } from './sumo-bridge.js';

describe('statesOf', () => {
  const phases = { NS: { green: 'GGrr', yellow: 'yyrr', allRed: 'rrrr' }, EW: { green: 'rrGg', yellow: 'rryy', allRed: 'rrrr' } };

  it("gives a phase's own states", () => {
    expect(statesOf(phases, 'EW')).toBe(phases.EW);
  });

  it('shows every part of a merged phase (NS+EW) at once', () => {
    expect(statesOf(phases, 'NS+EW')).toEqual({ green: 'GGGg', yellow: 'yyyy', allRed: 'rrrr' });
  });

  it('knows no phase with an unknown part', () => {
    expect(statesOf(phases, 'NS+X')).toBeUndefined();
    expect(statesOf(phases, 'X')).toBeUndefined();
  });
});
