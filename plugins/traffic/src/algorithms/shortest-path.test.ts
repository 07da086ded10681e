import { describe, expect, it } from 'vitest';
import { haversineM } from './geo.js';
import { RoadNetwork, type LinkSpec, type NodeSpec } from './road-network.js';
import { fastestRoute, type RouteAlgorithm } from './shortest-path.js';

/*
 * A diamond, drawn with 0.001° ≈ 111 m:
 *
 *   A ──1000 m, 50 km/h──▶ B ──1000 m, 50 km/h──▶ D        E ──▶ A (E cannot be reached)
 *    ╲                                             ▲
 *     ╲──1200 m, 90 km/h──▶ C ──1300 m, 90 km/h───╯
 *
 * Free-flow times: A→B = B→D = 1000 / (50 / 3.6) = 72 s; A→C = 1200 / 25 = 48 s; C→D = 1300 / 25 = 52 s.
 * A-B-D is shorter (2000 m against 2500 m) but A-C-D is faster (100 s against 144 s).
 */
function diamond(): RoadNetwork {
  return new RoadNetwork({
    nodes: [
      { id: 'A', lat: 0, lon: 0 },
      { id: 'B', lat: 0, lon: 0.008 },
      { id: 'C', lat: -0.004, lon: 0.008 },
      { id: 'D', lat: 0, lon: 0.016 },
      { id: 'E', lat: 0.004, lon: 0 },
    ],
    links: [
      { id: 'AB', from: 'A', to: 'B', lengthM: 1000, freeFlowSpeedKph: 50, lanes: 1 },
      { id: 'BD', from: 'B', to: 'D', lengthM: 1000, freeFlowSpeedKph: 50, lanes: 1 },
      { id: 'AC', from: 'A', to: 'C', lengthM: 1200, freeFlowSpeedKph: 90, lanes: 2 },
      { id: 'CD', from: 'C', to: 'D', lengthM: 1300, freeFlowSpeedKph: 90, lanes: 2 },
      { id: 'EA', from: 'E', to: 'A', lengthM: 500, freeFlowSpeedKph: 50, lanes: 1 },
    ],
    intersections: [],
    detectors: [],
  });
}

const algorithms: RouteAlgorithm[] = ['a-star', 'dijkstra'];

describe.each(algorithms)('fastestRoute with %s', (algorithm) => {
  it('prefers the faster route over the shorter one', () => {
    const route = fastestRoute(diamond(), 'A', 'D', { algorithm });
    expect(route?.nodes).toEqual(['A', 'C', 'D']);
    expect(route?.links).toEqual(['AC', 'CD']);
    expect(route?.totalTimeS).toBeCloseTo(100, 9);
    expect(route?.arrivalsS[0]).toBe(0);
    expect(route?.arrivalsS[1]).toBeCloseTo(48, 9);
    expect(route?.arrivalsS[2]).toBeCloseTo(100, 9);
  });

  it('switches route when live speeds slow the fast one down', () => {
    const network = diamond();
    // C→D at 20 km/h: 1300 / (20 / 3.6) = 234 s, so A-C-D takes 282 s and A-B-D (144 s) wins.
    network.setLinkSpeed('CD', 20);
    const route = fastestRoute(network, 'A', 'D', { algorithm });
    expect(route?.nodes).toEqual(['A', 'B', 'D']);
    expect(route?.totalTimeS).toBeCloseTo(144, 9);
    expect(route?.arrivalsS[1]).toBeCloseTo(72, 9);
  });

  it('returns undefined when the destination cannot be reached along directed links', () => {
    expect(fastestRoute(diamond(), 'A', 'E', { algorithm })).toBeUndefined();
    expect(fastestRoute(diamond(), 'D', 'A', { algorithm })).toBeUndefined();
  });

  it('returns a zero-time route from a node to itself', () => {
    expect(fastestRoute(diamond(), 'B', 'B', { algorithm })).toEqual({ nodes: ['B'], links: [], totalTimeS: 0, arrivalsS: [0] });
  });

  it('rejects unknown nodes and unusable link costs', () => {
    expect(() => fastestRoute(diamond(), 'A', 'Z', { algorithm })).toThrow('toNode: unknown node "Z"');
    expect(() => fastestRoute(diamond(), 'Z', 'A', { algorithm })).toThrow('fromNode: unknown node "Z"');
    expect(() => fastestRoute(diamond(), 'A', 'D', { algorithm, travelTimeS: () => Number.NaN })).toThrow(/^travelTimeS\((AB|AC)\): must be a finite number >= 0, got NaN$/);
  });
});

describe('fastestRoute', () => {
  it('defaults to A*, which refuses costs faster than free flow that would break its heuristic', () => {
    // An emergency vehicle at twice free-flow speed.
    const twiceFreeFlow = (link: LinkSpec) => link.lengthM / ((2 * link.freeFlowSpeedKph) / 3.6);
    expect(() => fastestRoute(diamond(), 'A', 'D', { travelTimeS: twiceFreeFlow })).toThrow(/use algorithm 'dijkstra'/);
    // Dijkstra needs no heuristic: A→C 24 s + C→D 26 s = 50 s.
    const route = fastestRoute(diamond(), 'A', 'D', { travelTimeS: twiceFreeFlow, algorithm: 'dijkstra' });
    expect(route?.nodes).toEqual(['A', 'C', 'D']);
    expect(route?.totalTimeS).toBeCloseTo(50, 9);
  });

  it('agrees with Dijkstra on the fastest time across a random-ish 10x10 grid', () => {
    const network = randomGrid(mulberry32(20240611));
    const random = mulberry32(7);
    const pick = () => `n${Math.floor(random() * 10)}-${Math.floor(random() * 10)}`;
    let reachable = 0;
    for (let trial = 0; trial < 60; trial++) {
      const [from, to] = [pick(), pick()];
      const aStar = fastestRoute(network, from, to);
      const dijkstra = fastestRoute(network, from, to, { algorithm: 'dijkstra' });
      if (dijkstra === undefined) {
        expect(aStar).toBeUndefined();
        continue;
      }
      reachable++;
      expect(aStar?.totalTimeS).toBeCloseTo(dijkstra.totalTimeS, 9);
      // The route A* returns really takes the time it claims.
      const linksS = (aStar?.links ?? []).map((id) => network.travelTimeS(id));
      expect(linksS.reduce((sum, s) => sum + s, 0)).toBeCloseTo(aStar?.totalTimeS ?? Number.NaN, 9);
      expect(aStar?.nodes[0]).toBe(from);
      expect(aStar?.nodes.at(-1)).toBe(to);
    }
    expect(reachable).toBeGreaterThan(40);
  });
});

/** Mulberry32: a tiny seeded PRNG, so the "random" grid is the same on every run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * 10x10 nodes 0.001° apart, two-way links between neighbours with about 10 % of directions
 * missing, lengths 0-30 % longer than the straight line, mixed speed limits, and live speeds on
 * about a third of the links.
 */
function randomGrid(random: () => number): RoadNetwork {
  const nodes: NodeSpec[] = [];
  for (let row = 0; row < 10; row++) for (let col = 0; col < 10; col++) nodes.push({ id: `n${row}-${col}`, lat: row * 0.001, lon: col * 0.001 });
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const speedsKph = [30, 40, 50, 60, 80];
  const links: LinkSpec[] = [];
  const addLink = (from: string, to: string) => {
    if (random() < 0.1) return;
    const straightM = haversineM(byId.get(from)!, byId.get(to)!);
    const freeFlowSpeedKph = speedsKph[Math.floor(random() * speedsKph.length)]!;
    links.push({ id: `${from}>${to}`, from, to, lengthM: straightM * (1 + 0.3 * random()), freeFlowSpeedKph, lanes: 1 });
  };
  for (let row = 0; row < 10; row++) {
    for (let col = 0; col < 10; col++) {
      const here = `n${row}-${col}`;
      for (const there of [col < 9 ? `n${row}-${col + 1}` : undefined, row < 9 ? `n${row + 1}-${col}` : undefined]) {
        if (there === undefined) continue;
        addLink(here, there);
        addLink(there, here);
      }
    }
  }
  const network = new RoadNetwork({ nodes, links, intersections: [], detectors: [] });
  for (const link of links) if (random() < 0.3) network.setLinkSpeed(link.id, 5 + random() * 75);
  return network;
}

describe('fastestRoute with turn costs', () => {
  // From S to N three ways, each 2 x 1000 m at 50 km/h (144 s): by W, by E, or straight through M.
  //
  //        N
  //      ↗ ↑ ↖
  //     W  M  E        S→W→N and S→E→N turn twice; S→M→N goes straight.
  //      ↖ ↑ ↗
  //        S
  function block(): RoadNetwork {
    return new RoadNetwork({
      nodes: [
        { id: 'S', lat: 0, lon: 0 },
        { id: 'M', lat: 0.009, lon: 0 },
        { id: 'N', lat: 0.018, lon: 0 },
        { id: 'W', lat: 0.009, lon: -0.005 },
        { id: 'E', lat: 0.009, lon: 0.005 },
      ],
      links: [
        { id: 'SM', from: 'S', to: 'M', lengthM: 1000, freeFlowSpeedKph: 50, lanes: 1 },
        { id: 'MN', from: 'M', to: 'N', lengthM: 1000, freeFlowSpeedKph: 50, lanes: 1 },
        { id: 'SW', from: 'S', to: 'W', lengthM: 1000, freeFlowSpeedKph: 50, lanes: 1 },
        { id: 'WN', from: 'W', to: 'N', lengthM: 1000, freeFlowSpeedKph: 50, lanes: 1 },
        { id: 'SE', from: 'S', to: 'E', lengthM: 1000, freeFlowSpeedKph: 50, lanes: 1 },
        { id: 'EN', from: 'E', to: 'N', lengthM: 1000, freeFlowSpeedKph: 50, lanes: 1 },
        { id: 'MS', from: 'M', to: 'S', lengthM: 1000, freeFlowSpeedKph: 50, lanes: 1 },
      ],
      intersections: [],
      detectors: [],
    });
  }

  it('adds the cost of each turn at the node between two links', () => {
    const network = block();
    // 30 s at M only: the straight street now loses to W and E (144 s against 174 s).
    const route = fastestRoute(network, 'S', 'N', { algorithm: 'dijkstra', turnCostS: (from) => (from.id === 'SM' ? 30 : 0) });
    expect(route!.links).not.toContain('SM');
    expect(route!.totalTimeS).toBeCloseTo(144, 6);
  });

  it('reaches each node at the stop line, before the turn it makes there', () => {
    const network = block();
    const route = fastestRoute(network, 'S', 'N', { turnCostS: (from, to) => (from.id === 'SW' && to.id === 'WN' ? 5 : from.id === 'SE' ? 9 : from.id === 'SM' ? 20 : 0) });
    expect(route!.links).toEqual(['SW', 'WN']);
    expect(route!.arrivalsS[1]).toBeCloseTo(72, 6);
    expect(route!.arrivalsS[2]).toBeCloseTo(149, 6);
  });

  it('never turns back onto the link it came by', () => {
    const network = block();
    const route = fastestRoute(network, 'S', 'S', { turnCostS: () => 0 });
    expect(route!.links).toEqual([]);
    expect(fastestRoute(network, 'M', 'S', { turnCostS: () => 0 })!.links).toEqual(['MS']);
  });

  it('refuses a negative turn cost', () => {
    expect(() => fastestRoute(block(), 'S', 'N', { turnCostS: () => -1 })).toThrow(/turnCostS/);
  });
});
