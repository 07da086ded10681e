import { readFileSync } from 'node:fs';
import { haversineM, traffic } from '@polis/contracts';
import type { FiwareEntity, waste } from '@polis/contracts';
import type { EventData } from '@polis/plugin-api';
import { standIn } from '@polis/testkit';

/*
 * Test fixtures: a depot and bins on a line running east of it, 0.001 degrees of longitude
 * (about 103 m) apart, in Futian; trucks at the depot. The stand-in for traffic answers straight
 * lines at 10 m/s (36 km/h) with no snapping, so every travel time is hand-checkable.
 */

/** The test kernel's clock starts here (the FakeClock default): 16:00 in Shenzhen. */
export const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);
export const HOUR = 3_600_000;

export const DEPOT = { id: 'depot', position: { lat: 22.54, lon: 114.05 } };

/** Bin `bin-<k>`, k x 0.001 degrees east of the depot. */
export function bin(k: number, overrides: Record<string, unknown> = {}) {
  return { id: `bin-${k}`, position: { lat: 22.54, lon: 114.05 + k * 0.001 }, capacityL: 240, ...overrides };
}

/** The waste configuration for `bins` bins and two trucks of 1000 l; searches are short. */
export function wasteConfig(overrides: Record<string, unknown> = {}, bins = 6): Record<string, unknown> {
  return {
    bins: Array.from({ length: bins }, (_, i) => bin(i + 1)),
    depots: [DEPOT],
    trucks: [
      { id: 'truck-1', depotId: 'depot', capacityL: 1000 },
      { id: 'truck-2', depotId: 'depot', capacityL: 1000 },
    ],
    forecast: { priorWeight: 0 },
    routing: { iterations: 30 },
    ...overrides,
  };
}

/** Straight-line seconds at 10 m/s, to 0.1 s, as the stand-in answers them. */
export function straightS(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  return Math.round(haversineM(a, b)) / 10;
}

/** traffic.travel-times.find answered with straight lines at 10 m/s and no snapping. */
export const straightLineTraffic = standIn(traffic.TravelTimesFind, ({ origins, destinations }) => ({
  found: true,
  travelTimesS: origins.map((from) => destinations.map((to) => straightS(from, to))),
  lengthsM: origins.map((from) => destinations.map((to) => Math.round(haversineM(from, to)))),
  originSnapM: origins.map(() => 0),
  destinationSnapM: destinations.map(() => 0),
}));

/** The timestamp `hours` after T0. */
export function at(hours: number): string {
  return new Date(T0 + hours * HOUR).toISOString();
}

/** A plain fill reading `hours` after T0. */
export function fill(binId: string, hours: number, fillPct: number): EventData<typeof waste.FillReported> {
  return { binId, observedAt: at(hours), fillPct };
}

/** Hourly readings of a bin filling at `ratePctPerHour`, ending at `lastPct` at T0. */
export function history(binId: string, lastPct: number, ratePctPerHour: number, readings = 4): EventData<typeof waste.FillReported>[] {
  return Array.from({ length: readings }, (_, i) => fill(binId, i - (readings - 1), lastPct - ratePctPerHour * (readings - 1 - i)));
}

// The real FIWARE examples (test/fixtures/smart-data-models, CC BY 4.0, see its README).
const EXAMPLES = new URL('../../../test/fixtures/smart-data-models/WasteContainer/examples/', import.meta.url);

/** The WasteContainer example's entity id; bin-1 is mapped to it in tests that use FIWARE. */
export const FIWARE_EXAMPLE_ID = 'urn:ngsi-ld:wastecontainer:1021:AAWD';

export function containerExample(file: 'example.json' | 'example-normalized.json' | 'example-normalized.jsonld'): FiwareEntity {
  return JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as FiwareEntity;
}
