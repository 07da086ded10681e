// Imported from the traffic plugin's source: the routing module is the plugin's own code path for
// `traffic.route.find`, measured here without the bus so the figure is the search alone.
import { RoadNetwork } from '../../../plugins/traffic/src/algorithms/road-network.js';
import type { LinkSpec, NodeSpec, RoadNetworkSpec } from '../../../plugins/traffic/src/algorithms/road-network.js';
import { findRoute } from '../../../plugins/traffic/src/route-finder.js';
import { alternate } from '../measure.js';
import type { Contender } from '../measure.js';
import { scaleTable } from '../report.js';
import type { BenchKey, Result } from '../result.js';
import type { Scenario } from '../scenario.js';
import { sized } from '../settings.js';
import { quantileOfSorted } from '../stats.js';

/** Grid sizes (rows x columns) of the scale table: 25, 250 and 2,500 signalised intersections. */
const GRIDS: ReadonlyArray<{ rows: number; columns: number; key: BenchKey; bound: number | undefined }> = [
  { rows: 5, columns: 5, key: 'route_p99_ms_25', bound: undefined },
  { rows: 10, columns: 25, key: 'route_p99_ms_250', bound: undefined },
  { rows: 50, columns: 50, key: 'route_p99_ms_2500', bound: 5 },
];

/** About 300 m between junctions, as in Futian's arterial grid. */
const SPACING_DEG = 0.0027;

/**
 * A generated grid road network: every junction signalised (two phases, north-south and
 * east-west), every street two links of 300 m with speeds and lanes varying by a fixed pattern so
 * the fastest route is not simply the straight one.
 */
export function generatedGrid(rows: number, columns: number): RoadNetworkSpec {
  const id = (r: number, c: number) => `n${r}_${c}`;
  const nodes: NodeSpec[] = [];
  const links: LinkSpec[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      nodes.push({ id: id(r, c), lat: 22.5 + r * SPACING_DEG, lon: 114.0 + c * SPACING_DEG });
      for (const [r2, c2] of [[r, c + 1], [r + 1, c]] as const) {
        if (r2 >= rows || c2 >= columns) continue;
        const arterial = (r2 === r ? r : c) % 4 === 0;
        for (const [from, to] of [[id(r, c), id(r2, c2)], [id(r2, c2), id(r, c)]] as const) {
          links.push({ id: `${from}-${to}`, from, to, lengthM: 300, freeFlowSpeedKph: arterial ? 60 : 30 + ((r * 7 + c * 3) % 4) * 5, lanes: arterial ? 3 : 2 });
        }
      }
    }
  }
  const intoNode = new Map<string, LinkSpec[]>();
  for (const link of links) intoNode.set(link.to, [...(intoNode.get(link.to) ?? []), link]);
  const intersections = nodes.map((node) => {
    const approaches = intoNode.get(node.id) ?? [];
    const row = node.id.split('_')[0]!;
    const sameRow = (link: LinkSpec) => link.from.split('_')[0] === row;
    const phase = (phaseId: string, served: LinkSpec[]) => ({ id: phaseId, links: served.map((link) => link.id), minGreenS: 10, yellowS: 3, allRedS: 2 });
    return { id: `x${node.id.slice(1)}`, node: node.id, phases: [phase('NS', approaches.filter((link) => !sameRow(link))), phase('EW', approaches.filter(sameRow))], minCycleS: 30, maxCycleS: 120 };
  });
  return { nodes, links, intersections, detectors: [] };
}

/** A seeded sequence of node pairs, so every round routes the same trips. */
function trips(network: RoadNetwork, count: number): Array<readonly [NodeSpec, NodeSpec]> {
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, () => [network.nodes[Math.floor(next() * network.nodes.length)]!, network.nodes[Math.floor(next() * network.nodes.length)]!] as const);
}

/**
 * p99 latency of a route query on grids of 25, 250 and 2,500 signalised intersections: the
 * traffic plugin's `findRoute` (snap both ends, A* on live travel times) called directly.
 */
export const routingScenario: Scenario = {
  name: 'routing',
  keys: GRIDS.map((grid) => grid.key),
  async run({ settings }) {
    const queries = sized(settings, 200, 50);
    const results: Result[] = [];
    for (const { rows, columns, key, bound } of GRIDS) {
      const network = new RoadNetwork(generatedGrid(rows, columns));
      const pairs = trips(network, queries);
      const contender: Contender = {
        label: 'polis traffic findRoute',
        unit: 'ms p99',
        async measure() {
          const latencies: number[] = [];
          for (const [from, to] of pairs) {
            const began = performance.now();
            const search = findRoute(network, from, to, 1_000);
            latencies.push(performance.now() - began);
            if (!search.found) throw new Error(`no route on a connected grid: ${search.reason}`);
          }
          latencies.sort((a, b) => a - b);
          return quantileOfSorted(latencies, 0.99);
        },
      };
      const [figure] = await alternate([contender], settings);
      results.push({
        key,
        title: `route query p99 on a generated ${rows} x ${columns} grid (${(rows * columns).toLocaleString('en-US')} signalised intersections), the traffic plugin's findRoute called directly`,
        figures: [figure!],
        perRound: figure!.perRound,
        target: bound === undefined ? undefined : { op: '<', bound },
        notes: [`${queries} seeded random trips a round; the plugin's routing module without the bus (a route.find over the bus adds the request/reply cost measured by request_p50_vs_raw)`],
      });
    }
    console.log(scaleTable('route query p99', 'junctions', GRIDS.map((grid, i) => [grid.rows * grid.columns, results[i]!])));
    return results;
  },
};
