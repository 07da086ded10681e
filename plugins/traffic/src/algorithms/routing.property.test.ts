import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haversineM } from './geo.js';
import { RoadNetwork, type LinkSpec, type NodeSpec } from './road-network.js';
import { fastestRoute, type Route } from './shortest-path.js';
import { fastestFrom } from './travel-times.js';

/*
 * The route searches (A* and Dijkstra on the indexed search graph with a typed heap, over nodes
 * or, with turn costs, over links) against the plainest Dijkstra there is: an array scan for the
 * closest unsettled state, no heap, no heuristic, on the network's own lookups. On random
 * networks, every search must find the same fastest time, or none.
 */

interface Case {
  readonly network: RoadNetwork;
  readonly trips: ReadonlyArray<readonly [string, string]>;
  /** A turn cost per (from link, to link), from the case's seed values. */
  readonly turnCostS: (from: LinkSpec, to: LinkSpec) => number;
}

/**
 * A jittered grid of up to 8 x 8 junctions 0.001° apart, each neighbour link present one way or
 * both, plus a few links between random nodes (long stretches, flyovers), with speed limits from
 * 10 to 120 km/h so a fast detour often beats the direct way, and live speeds on some links.
 */
const networkCase: fc.Arbitrary<Case> = fc
  .record({
    rows: fc.integer({ min: 1, max: 8 }),
    columns: fc.integer({ min: 2, max: 8 }),
    jitter: fc.array(fc.tuple(fc.double({ min: -0.3, max: 0.3, noNaN: true }), fc.double({ min: -0.3, max: 0.3, noNaN: true })), { minLength: 64, maxLength: 64 }),
    streets: fc.array(fc.record({ forward: fc.boolean(), backward: fc.boolean(), stretch: fc.double({ min: 1, max: 1.5, noNaN: true }), speedKph: fc.integer({ min: 10, max: 120 }) }), { minLength: 128, maxLength: 128 }),
    extra: fc.array(fc.record({ from: fc.nat(), to: fc.nat(), stretch: fc.double({ min: 1, max: 3, noNaN: true }), speedKph: fc.integer({ min: 10, max: 120 }) }), { maxLength: 10 }),
    live: fc.array(fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { freq: 2 }), { minLength: 240, maxLength: 240 }),
    trips: fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 8 }),
    turns: fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 1, maxLength: 16 }),
  })
  .map(({ rows, columns, jitter, streets, extra, live, trips, turns }) => {
    const nodes: NodeSpec[] = [];
    for (let row = 0; row < rows; row++) {
      for (let col = 0; col < columns; col++) {
        const [dLat, dLon] = jitter[row * 8 + col]!;
        nodes.push({ id: `n${row}-${col}`, lat: 22.5 + (row + dLat) * 0.001, lon: 114 + (col + dLon) * 0.001 });
      }
    }
    const specs: LinkSpec[] = [];
    const addLink = (from: NodeSpec, to: NodeSpec, stretch: number, speedKph: number) => {
      specs.push({ id: `l${specs.length}`, from: from.id, to: to.id, lengthM: haversineM(from, to) * stretch, freeFlowSpeedKph: speedKph, lanes: 1 });
    };
    let street = 0;
    for (let row = 0; row < rows; row++) {
      for (let col = 0; col < columns; col++) {
        const here = nodes[row * columns + col]!;
        for (const there of [col + 1 < columns ? nodes[row * columns + col + 1] : undefined, row + 1 < rows ? nodes[(row + 1) * columns + col] : undefined]) {
          const { forward, backward, stretch, speedKph } = streets[street++]!;
          if (there === undefined) continue;
          if (forward) addLink(here, there, stretch, speedKph);
          if (backward) addLink(there, here, stretch, speedKph);
        }
      }
    }
    for (const { from, to, stretch, speedKph } of extra) {
      if (from % nodes.length !== to % nodes.length) addLink(nodes[from % nodes.length]!, nodes[to % nodes.length]!, stretch, speedKph);
    }
    const network = new RoadNetwork({ nodes, links: specs, intersections: [], detectors: [] });
    for (const [i, link] of specs.entries()) {
      const speedKph = live[i % live.length];
      if (speedKph !== null && speedKph !== undefined) network.setLinkSpeed(link.id, speedKph);
    }
    const index = new Map(specs.map((spec, i) => [spec.id, i]));
    return {
      network,
      trips: trips.map(([a, b]) => [nodes[a % nodes.length]!.id, nodes[b % nodes.length]!.id] as const),
      turnCostS: (from: LinkSpec, to: LinkSpec) => turns[(index.get(from.id)! * 7 + index.get(to.id)!) % turns.length]!,
    };
  });

/** Fastest time from `from` to every node over nodes: Dijkstra by array scan. */
function referenceTimes(network: RoadNetwork, from: string): Map<string, number> {
  const best = new Map<string, number>([[from, 0]]);
  const settled = new Map<string, number>();
  for (;;) {
    let next: string | undefined;
    for (const [node, timeS] of best) if (!settled.has(node) && (next === undefined || timeS < best.get(next)!)) next = node;
    if (next === undefined) return settled;
    settled.set(next, best.get(next)!);
    for (const link of network.outgoingLinks(next)) {
      const timeS = best.get(next)! + network.travelTimeS(link.id);
      if (timeS < (best.get(link.to) ?? Number.POSITIVE_INFINITY)) best.set(link.to, timeS);
    }
  }
}

/** Fastest time with turn costs: Dijkstra by array scan over "at the end of this link", no U-turns onto the link just driven. */
function referenceTurnTime(network: RoadNetwork, from: string, to: string, turnCostS: (a: LinkSpec, b: LinkSpec) => number): number | undefined {
  if (from === to) return 0;
  const best = new Map<LinkSpec, number>(network.outgoingLinks(from).map((link) => [link, network.travelTimeS(link.id)]));
  const settled = new Set<LinkSpec>();
  for (;;) {
    let next: LinkSpec | undefined;
    for (const [link, timeS] of best) if (!settled.has(link) && (next === undefined || timeS < best.get(next)!)) next = link;
    if (next === undefined) return undefined;
    if (next.to === to) return best.get(next);
    settled.add(next);
    for (const link of network.outgoingLinks(next.to)) {
      if (link.to === next.from) continue;
      const timeS = best.get(next)! + turnCostS(next, link) + network.travelTimeS(link.id);
      if (timeS < (best.get(link) ?? Number.POSITIVE_INFINITY)) best.set(link, timeS);
    }
  }
}

/** The route is a real path from `from` to `to` that takes the time it claims. */
function expectWholeRoute(network: RoadNetwork, route: Route, from: string, to: string, turnCostS?: (a: LinkSpec, b: LinkSpec) => number): void {
  expect(route.nodes[0]).toBe(from);
  expect(route.nodes.at(-1)).toBe(to);
  let timeS = 0;
  for (const [i, id] of route.links.entries()) {
    const link = network.link(id)!;
    expect([link.from, link.to]).toEqual([route.nodes[i], route.nodes[i + 1]]);
    if (turnCostS !== undefined && i > 0) timeS += turnCostS(network.link(route.links[i - 1]!)!, link);
    timeS += network.travelTimeS(id);
  }
  expect(timeS).toBeCloseTo(route.totalTimeS, 6);
}

describe('route searches against a plain Dijkstra', () => {
  it('A* and Dijkstra find the reference time between any two nodes, or no route when there is none', () => {
    fc.assert(
      fc.property(networkCase, ({ network, trips }) => {
        for (const [from, to] of trips) {
          const expected = referenceTimes(network, from).get(to);
          for (const algorithm of ['a-star', 'dijkstra'] as const) {
            const route = fastestRoute(network, from, to, { algorithm });
            if (expected === undefined) expect(route).toBeUndefined();
            else {
              expect(route?.totalTimeS).toBeCloseTo(expected, 6);
              expectWholeRoute(network, route!, from, to);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('with turn costs, both find the reference time over links', () => {
    fc.assert(
      fc.property(networkCase, ({ network, trips, turnCostS }) => {
        for (const [from, to] of trips) {
          const expected = referenceTurnTime(network, from, to, turnCostS);
          for (const algorithm of ['a-star', 'dijkstra'] as const) {
            const route = fastestRoute(network, from, to, { algorithm, turnCostS });
            if (expected === undefined) expect(route).toBeUndefined();
            else {
              expect(route?.totalTimeS).toBeCloseTo(expected, 6);
              expectWholeRoute(network, route!, from, to, turnCostS);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the one-to-all search reaches exactly the reference nodes, in the reference times', () => {
    fc.assert(
      fc.property(networkCase, ({ network, trips }) => {
        const [from] = trips[0]!;
        const expected = referenceTimes(network, from);
        const reached = fastestFrom(network, from);
        expect([...reached.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [node, reach] of reached) expect(reach.timeS).toBeCloseTo(expected.get(node)!, 6);
      }),
      { numRuns: 300 },
    );
  });
});
