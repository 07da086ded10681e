import { readFile } from 'node:fs/promises';
import type { PolisRoadNetwork } from '../network/sumo-network.js';

const ROAD_NETWORK = new URL('../../../../examples/city-demo/road-network.json', import.meta.url);

/** Where the evaluation puts each lane's two stations: near the upstream end and near the stop line. */
export const UPSTREAM_STATION_M = 50;
export const STOP_LINE_SETBACK_M = 25;

/**
 * The demo city's road network (examples/city-demo/road-network.json, the file `pnpm start`
 * runs) with each lane instrumented as a SCOOT/SCATS-style site would be: its detector placed
 * 50 m after the upstream junction, and a second one 25 m before the stop line (`<id>-stop`).
 */
export async function demoCityNetwork(): Promise<PolisRoadNetwork & { readonly intersections: readonly Record<string, unknown>[] }> {
  const spec = JSON.parse(await readFile(ROAD_NETWORK, 'utf8')) as PolisRoadNetwork & { intersections: Record<string, unknown>[] };
  const lengths = new Map(spec.links.map((link) => [link.id, link.lengthM]));
  const detectors = spec.detectors.flatMap((detector) => [
    { ...detector, positionM: UPSTREAM_STATION_M },
    { ...detector, id: `${detector.id}-stop`, positionM: lengths.get(detector.link)! - STOP_LINE_SETBACK_M },
  ]);
  return { ...spec, detectors };
}

/** The traffic plugin's configuration for the evaluation: the city's, with its two arterials coordinated. */
export function evaluationTrafficConfig(network: PolisRoadNetwork): Record<string, unknown> {
  return {
    network,
    // Row 2 (eastbound) and column 2 (northbound) are the demo city's arterials.
    // The grid's corners have two phases in the city's file, but no conflicting movements.
    signals: { mergeCompatiblePhases: true, arterials: [{ id: 'row-2', intersections: ['x20', 'x21', 'x22', 'x23', 'x24'] }, { id: 'column-2', intersections: ['x02', 'x12', 'x22', 'x32', 'x42'] }] },
    incidentDetection: { minBaselineReadings: 5 },
  };
}

/**
 * The city's network with SUMO's actuated timing constraints instead of its own (min green 5 s,
 * no all-red, cycles from 20 s; yellow as configured): `sumo:eval --timing sumo`, which compares
 * the controllers under equal constraints. The city's 10 s min greens, 2 s all-reds and 40 s
 * minimum cycle are a safety and pedestrian choice SUMO's programs do not make.
 */
export function withSumoTiming<N extends PolisRoadNetwork & { readonly intersections: readonly Record<string, unknown>[] }>(network: N): N {
  return {
    ...network,
    intersections: network.intersections.map((intersection) => ({
      ...intersection,
      minCycleS: 20,
      phases: (intersection.phases as readonly Record<string, unknown>[]).map((phase) => ({ ...phase, minGreenS: 5, allRedS: 0 })),
    })),
  };
}
