import { describe, expect, it } from 'vitest';
import { laneDemandVph } from './lane-demand.js';

describe('laneDemandVph', () => {
  it('is the count in free flow, where occupancy is low', () => {
    expect(laneDemandVph(600, 8, 1800)).toBe(600);
  });

  it('is saturation flow x occupancy when a queue stands over the detector', () => {
    expect(laneDemandVph(700, 60, 1800)).toBe(1080);
  });

  it('reaches the saturation flow for a detector under a queue that never moves', () => {
    expect(laneDemandVph(0, 100, 1800)).toBe(1800);
  });

  it('refuses impossible readings', () => {
    expect(() => laneDemandVph(-1, 10, 1800)).toThrow(/flowVph/);
    expect(() => laneDemandVph(100, 101, 1800)).toThrow(/occupancyPct/);
    expect(() => laneDemandVph(100, 10, 0)).toThrow(/saturationFlowVph/);
  });
});
