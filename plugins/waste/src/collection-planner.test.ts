import { haversineM } from '@polis/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILL_FORECAST_OPTIONS } from './algorithms/fill-forecast.js';
import { BinRegistry } from './bin-registry.js';
import { dueBins, planCollection } from './collection-planner.js';
import type { WasteConfig } from './config.js';
import { RouteTracker } from './route-tracker.js';
import { HOUR, T0 } from './test-fixtures.js';
import type { TravelMatrix } from './travel-times-client.js';

/** Straight lines at 10 m/s: the matrix the planner gets. */
async function straightLines(points: readonly { lat: number; lon: number }[]): Promise<TravelMatrix> {
  const lengthsM = points.map((a) => points.map((b) => haversineM(a, b)));
  return { timesS: lengthsM.map((row) => row.map((metres) => metres / 10)), lengthsM, source: 'live' };
}

const defaults = {
  shifts: { starts: ['06:00', '14:00'], utcOffsetMinutes: 480, lengthS: 8 * 3600, planAheadS: 900, serviceS: 60 },
  forecast: { priorRatePctPerHour: 1.5, priorWeight: 0, emptiedDropPct: 30, emptiedBelowPct: 30 },
  readings: { maxClockSkewS: 300, maxAgeS: 172_800 },
  routing: { seed: 1, iterations: 15, timeLimitMs: 5000, kerbSpeedKph: 15, fallbackSpeedKph: 25, detourFactor: 1.3, travelTimesTimeoutMs: 5000 },
};

/** A district of up to 40 bins around one or two depots, with trucks of any size and shift, each bin read twice. */
const districts = fc
  .record({
    bins: fc.array(
      fc.record({ dLat: fc.double({ min: -0.01, max: 0.01, noNaN: true }), dLon: fc.double({ min: -0.01, max: 0.01, noNaN: true }), capacityL: fc.constantFrom(120, 240, 660, 1100), before: fc.integer({ min: 0, max: 90 }), now: fc.integer({ min: 0, max: 100 }) }),
      { minLength: 1, maxLength: 40 },
    ),
    depots: fc.integer({ min: 1, max: 2 }),
    trucks: fc.array(fc.record({ depot: fc.nat(), capacityL: fc.integer({ min: 500, max: 8000 }), shiftS: fc.integer({ min: 600, max: 8 * 3600 }) }), { minLength: 1, maxLength: 5 }),
  })
  .map(({ bins, depots, trucks }) => {
    const config: WasteConfig = {
      ...defaults,
      bins: bins.map((bin, i) => ({ id: `bin-${i}`, position: { lat: 22.54 + bin.dLat, lon: 114.05 + bin.dLon }, capacityL: bin.capacityL, thresholdPct: 80, overflowPct: 95 })),
      depots: Array.from({ length: depots }, (_, d) => ({ id: `depot-${d}`, position: { lat: 22.54, lon: 114.045 + d * 0.01 } })),
      trucks: trucks.map((truck, t) => ({ id: `truck-${t}`, depotId: `depot-${truck.depot % depots}`, capacityL: truck.capacityL, shiftS: truck.shiftS })),
    };
    const registry = new BinRegistry(config.bins, { ...DEFAULT_FILL_FORECAST_OPTIONS, ...config.forecast });
    bins.forEach((bin, i) => {
      let state = registry.state(`bin-${i}`);
      for (const reading of [{ timeMs: T0 - HOUR, fillPct: bin.before }, { timeMs: T0, fillPct: bin.now }]) {
        state = { ...state, forecast: state.forecast.observe(reading).forecast, latest: reading };
      }
      registry.commit(`bin-${i}`, state);
    });
    return { config, registry };
  });

describe('planCollection, property-checked', () => {
  it('visits every due bin exactly once or defers it, and never exceeds a truck\'s capacity or shift', async () => {
    await fc.assert(
      fc.asyncProperty(districts, async ({ config, registry }) => {
        const tracker = new RouteTracker();
        const shiftStartMs = T0 + HOUR;
        const nextShiftStartMs = T0 + 14 * HOUR;
        const due = dueBins(registry, tracker, shiftStartMs, nextShiftStartMs).map(({ bin }) => bin.id);
        const plan = await planCollection({ planId: 'PLAN-1', nowMs: T0, shiftStartMs, nextShiftStartMs, registry, tracker, config, travel: straightLines, signal: { aborted: false } });
        const visited = plan.routes.flatMap((route) => route.stops.map((stop) => stop.binId));
        expect([...visited, ...plan.deferred.map((bin) => bin.binId)].sort()).toEqual([...due].sort());
        expect(new Set(visited).size).toBe(visited.length);
        const trucks = new Map(config.trucks.map((truck) => [truck.id, truck]));
        expect(new Set(plan.routes.map((route) => route.truckId)).size).toBe(plan.routes.length);
        for (const route of plan.routes) {
          const truck = trucks.get(route.truckId)!;
          expect(route.depotId).toBe(truck.depotId);
          expect(route.loadL).toBeLessThanOrEqual(truck.capacityL + 1e-6);
          expect(route.durationS).toBeLessThanOrEqual(truck.shiftS! + 0.1);
          expect((Date.parse(route.returnAt) - Date.parse(route.departAt)) / 1000).toBeCloseTo(route.durationS, -1);
          const etas = route.stops.map((stop) => Date.parse(stop.etaAt));
          expect(etas).toEqual([...etas].sort((a, b) => a - b));
        }
      }),
      { numRuns: 40 },
    );
  });
});
