import { describe, expect, it } from 'vitest';
import { gridNetwork } from '../test-fixtures.js';
import { boundarySignals, gatePlan } from './inflow-gating.js';
import { RoadNetwork } from './road-network.js';

// Phases of 10 s min green with 3 s yellow and 2 s all-red: 10 s of clearances per two-phase cycle.
const phases = [
  { minGreenS: 10, yellowS: 3, allRedS: 2 },
  { minGreenS: 10, yellowS: 3, allRedS: 2 },
];

describe('gatePlan', () => {
  it("cuts a gated phase's green and gives the time to the other phase, keeping the cycle", () => {
    // Greens 30 + 20 + 10 clearance = 60 s; gating phase 0 at 0.5: 15 s, and phase 1 gets the 15 s: 35 s.
    expect(gatePlan([30, 20], phases, new Set([0]), 0.5, 40)).toEqual({ cycleS: 60, greensS: [15, 35] });
  });

  it('never cuts a green below its minimum', () => {
    // 30 x 0.2 = 6 s < 10 s min green: 10 s, and 20 s go to phase 1.
    expect(gatePlan([30, 20], phases, new Set([0]), 0.2, 40)).toEqual({ cycleS: 60, greensS: [10, 40] });
  });

  it('shortens the cycle when every phase is gated, not below the minimum cycle', () => {
    // 15 + 10 + 10 = 35 s, above a 30 s minimum.
    expect(gatePlan([30, 20], phases, new Set([0, 1]), 0.5, 30)).toEqual({ cycleS: 35, greensS: [15, 10] });
    // With a 40 s minimum the missing 5 s are shared 15 : 10: 18 and 12 s.
    expect(gatePlan([30, 20], phases, new Set([0, 1]), 0.5, 40)).toEqual({ cycleS: 40, greensS: [18, 12] });
  });
});

describe('boundarySignals', () => {
  it('finds the signals inside an area fed from outside, and the phases serving those roads', () => {
    // The north-east square of the 3 x 3 grid (rows and columns 1..2): n11, n12, n21, n22 inside.
    const network = new RoadNetwork(gridNetwork());
    const inside = ({ lat, lon }: { lat: number; lon: number }) => lat > 0.003 && lon > 0.003 && lat < 0.012 && lon < 0.012;
    // x11 is fed from n01 (NS, phase 0) and n10 (EW, phase 1); x12 from n02 (NS); x21 from n20 (EW);
    // x22 only from inside, so it is not a boundary signal.
    expect(boundarySignals(network, inside)).toEqual([
      { intersectionId: 'x11', phases: [0, 1] },
      { intersectionId: 'x12', phases: [0] },
      { intersectionId: 'x21', phases: [1] },
    ]);
  });
});
