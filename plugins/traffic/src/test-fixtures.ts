import { readFileSync } from 'node:fs';
import type { FiwareEntity, traffic } from '@polis/contracts';
import type { EventData } from '@polis/plugin-api';
import type { LinkSpec, NodeSpec, RoadNetworkSpec } from './algorithms/road-network.js';

/*
 * Test fixtures. The grid: a 3 x 3 grid of signalised junctions 500 m apart, rows south to north, columns
 * west to east, plus an island node with no roads, 500 m east of n12:
 *
 *   n20 ── n21 ── n22
 *    │      │      │
 *   n10 ── n11 ── n12      island
 *    │      │      │
 *   n00 ── n01 ── n02
 *
 * Every street is two links (`n00-n01` and `n01-n00`) of 500 m at 36 km/h = 10 m/s: 50 s
 * each, 2 lanes, with a detector per lane (`d-n01-n11-1`). Junction `x<rc>` at node `n<rc>`
 * has phases NS (approaches from the other rows) and EW (from the same row), each 10 s min
 * green, 3 s yellow, 2 s all-red, in a 30-120 s cycle.
 */

const SPACING_DEG = 0.0045;

/** A node's position: node `n<r><c>` at (r x 0.0045, c x 0.0045) degrees, about 500 m apart. */
export function at(nodeId: string): { lat: number; lon: number } {
  const node = gridNetwork().nodes.find((candidate) => candidate.id === nodeId);
  if (node === undefined) throw new Error(`no node ${nodeId}`);
  return { lat: node.lat, lon: node.lon };
}

export function gridNetwork(): RoadNetworkSpec {
  const id = (r: number, c: number) => `n${r}${c}`;
  const nodes: NodeSpec[] = [];
  const links: LinkSpec[] = [];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      nodes.push({ id: id(r, c), lat: r * SPACING_DEG, lon: c * SPACING_DEG });
      for (const [r2, c2] of [[r, c + 1], [r + 1, c]] as const) {
        if (r2 > 2 || c2 > 2) continue;
        for (const [from, to] of [[id(r, c), id(r2, c2)], [id(r2, c2), id(r, c)]] as const) {
          links.push({ id: `${from}-${to}`, from, to, lengthM: 500, freeFlowSpeedKph: 36, lanes: 2 });
        }
      }
    }
  }
  nodes.push({ id: 'island', lat: SPACING_DEG, lon: 3 * SPACING_DEG });
  const intersections = nodes
    .filter((node) => node.id !== 'island')
    .map((node) => {
      const approaches = links.filter((link) => link.to === node.id);
      const sameRow = (from: string) => from[1] === node.id[1];
      const phase = (phaseId: string, served: string[]) => ({ id: phaseId, links: served, minGreenS: 10, yellowS: 3, allRedS: 2 });
      return {
        id: `x${node.id.slice(1)}`,
        node: node.id,
        phases: [phase('NS', approaches.filter((l) => !sameRow(l.from)).map((l) => l.id)), phase('EW', approaches.filter((l) => sameRow(l.from)).map((l) => l.id))],
        minCycleS: 30,
        maxCycleS: 120,
      };
    });
  const detectors = links.flatMap((link) => [1, 2].map((lane) => ({ id: `d-${link.id}-${lane}`, link: link.id, lane })));
  return { nodes, links, intersections, detectors };
}

/** The FIWARE example entity's id, mapped to the first lane of n01 -> n11 in {@link gridConfig}. */
export const FIWARE_EXAMPLE_ID = 'TrafficFlowObserved-Valladolid-osm-60821110';

/**
 * The plugin's configuration for the grid. Routing charges no turn or signal costs and
 * corridors use general traffic's speeds, so routes and ETAs stay hand-computable (tests of
 * those features turn them on); everything else keeps its default.
 */
export function gridConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    network: gridNetwork(),
    fiwareDetectors: { [FIWARE_EXAMPLE_ID]: 'd-n01-n11-1' },
    routing: { turnPenalties: false, signalDelay: false },
    signals: { announceIntervals: false },
    corridor: { emergencySpeed: { speedFactor: 1, congestionExponent: 1 } },
    ...overrides,
  };
}

/** The test kernel's clock starts here (the FakeClock default). */
export const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);

/** A detector reading at `T0 + seconds`; free-flowing traffic unless overridden. */
export function reading(detectorId: string, seconds: number, values: Partial<EventData<typeof traffic.DetectorReported>> = {}): EventData<typeof traffic.DetectorReported> {
  return {
    detectorId,
    observedAt: new Date(T0 + seconds * 1000).toISOString(),
    intervalS: 30,
    flowVph: 400,
    occupancyPct: 10,
    speedKph: 35,
    ...values,
  };
}

// The real FIWARE examples, beside the repository (see the design's "Real data to test against").
const FIWARE_EXAMPLES = new URL('../../../test/fixtures/smart-data-models/TrafficFlowObserved/examples/', import.meta.url);

/** A FIWARE TrafficFlowObserved example, as published: `example.json`, `example-normalized.json(ld)`. */
export function fiwareExample(file: string): FiwareEntity & Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, FIWARE_EXAMPLES), 'utf8')) as FiwareEntity & Record<string, unknown>;
}
