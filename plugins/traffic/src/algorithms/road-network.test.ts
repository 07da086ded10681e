import { describe, expect, it } from 'vitest';
import { TrafficInputError } from './errors.js';
import { haversineM } from './geo.js';
import { MIN_LINK_SPEED_KPH, RoadNetwork, validateRoadNetwork, type RoadNetworkSpec } from './road-network.js';

// A T-junction: A and C feed the signal at B, B continues to D. 0.001° ≈ 111 m.
function tJunction(): RoadNetworkSpec {
  return {
    nodes: [
      { id: 'A', lat: 0, lon: 0 },
      { id: 'B', lat: 0, lon: 0.004 },
      { id: 'C', lat: 0.004, lon: 0.004 },
      { id: 'D', lat: 0, lon: 0.008 },
    ],
    links: [
      { id: 'AB', from: 'A', to: 'B', lengthM: 500, freeFlowSpeedKph: 50, lanes: 2 },
      { id: 'CB', from: 'C', to: 'B', lengthM: 450, freeFlowSpeedKph: 30, lanes: 1 },
      { id: 'BD', from: 'B', to: 'D', lengthM: 500, freeFlowSpeedKph: 50, lanes: 2 },
    ],
    intersections: [
      {
        id: 'sig-B',
        node: 'B',
        minCycleS: 40,
        maxCycleS: 120,
        phases: [
          { id: 'main', links: ['AB'], minGreenS: 10, yellowS: 3, allRedS: 2 },
          { id: 'side', links: ['CB'], minGreenS: 7, yellowS: 3, allRedS: 2, saturationFlowVphPerLane: 1700 },
        ],
      },
    ],
    detectors: [{ id: 'det-AB-2', link: 'AB', lane: 2 }],
  };
}

describe('validateRoadNetwork', () => {
  it('finds nothing wrong with a consistent network', () => {
    expect(validateRoadNetwork(tJunction())).toEqual([]);
  });

  it('reports every problem at once, each with its path', () => {
    const spec = tJunction();
    const broken: RoadNetworkSpec = {
      nodes: [...spec.nodes, { id: 'A', lat: 95, lon: 0 }],
      links: [
        { id: 'AB', from: 'A', to: 'Z', lengthM: 0, freeFlowSpeedKph: -5, lanes: 1.5 },
        ...spec.links.slice(1),
        { id: 'AA', from: 'A', to: 'A', lengthM: 10, freeFlowSpeedKph: 30, lanes: 1 },
      ],
      intersections: [
        {
          ...spec.intersections[0]!,
          phases: [
            { id: 'main', links: ['BD', 'nope'], minGreenS: 0, yellowS: -1, allRedS: 2 },
            { id: 'main', links: ['CB'], minGreenS: 7, yellowS: 3, allRedS: 2, saturationFlowVphPerLane: 0 },
          ],
        },
        { id: 'sig-B2', node: 'B', minCycleS: 60, maxCycleS: 50, phases: [] },
      ],
      detectors: [
        { id: 'd1', link: 'XY', lane: 1 },
        { id: 'd2', link: 'CB', lane: 2 },
      ],
    };
    expect(validateRoadNetwork(broken)).toEqual([
      { path: 'nodes[4].id', message: 'duplicate id "A" (first used at nodes[0])' },
      { path: 'nodes[4].lat', message: 'must be a finite number >= -90 and <= 90, got 95' },
      { path: 'links[0].to', message: 'unknown node "Z"' },
      { path: 'links[0].lengthM', message: 'must be a finite number > 0, got 0' },
      { path: 'links[0].freeFlowSpeedKph', message: 'must be a finite number > 0, got -5' },
      { path: 'links[0].lanes', message: 'must be an integer >= 1, got 1.5' },
      { path: 'links[3].to', message: 'a link must join two different nodes' },
      { path: 'intersections[0].phases[1].id', message: 'duplicate id "main" (first used at intersections[0].phases[0])' },
      { path: 'intersections[0].phases[0].links[0]', message: 'link "BD" ends at node "D", not at this intersection\'s node "B"' },
      { path: 'intersections[0].phases[0].links[1]', message: 'unknown link "nope"' },
      { path: 'intersections[0].phases[0].minGreenS', message: 'must be a finite number > 0, got 0' },
      { path: 'intersections[0].phases[0].yellowS', message: 'must be a finite number >= 0, got -1' },
      { path: 'intersections[0].phases[1].saturationFlowVphPerLane', message: 'must be a finite number > 0, got 0' },
      { path: 'intersections[1].node', message: 'node "B" already has intersection "sig-B"' },
      { path: 'intersections[1].maxCycleS', message: 'must be a finite number >= 60, got 50' },
      { path: 'intersections[1].phases', message: 'an intersection needs at least one phase' },
      { path: 'detectors[0].link', message: 'unknown link "XY"' },
      { path: 'detectors[1].lane', message: 'must be an integer >= 1 and <= 1, got 2' },
    ]);
  });

  it('reports phases whose min greens and clearances cannot fit in the longest cycle', () => {
    const spec = tJunction();
    const tight = { ...spec, intersections: [{ ...spec.intersections[0]!, minCycleS: 20, maxCycleS: 26 }] };
    // (10 + 3 + 2) + (7 + 3 + 2) = 27 s > 26 s
    expect(validateRoadNetwork(tight)).toEqual([
      { path: 'intersections[0].maxCycleS', message: "the phases' min greens and clearances need 27 s, more than maxCycleS 26 s" },
    ]);
  });

  it('reports missing arrays and missing ids', () => {
    const malformed = { nodes: [{ lat: 0, lon: 0 }], links: null } as unknown as RoadNetworkSpec;
    expect(validateRoadNetwork(malformed)).toEqual([
      { path: 'nodes[0].id', message: 'must be a non-empty string' },
      { path: 'links', message: 'must be an array' },
      { path: 'intersections', message: 'must be an array' },
      { path: 'detectors', message: 'must be an array' },
    ]);
  });
});

describe('RoadNetwork', () => {
  it('refuses an invalid spec, listing all its problems', () => {
    const spec = tJunction();
    const bad = { ...spec, detectors: [{ id: 'd', link: 'XY', lane: 0 }] };
    expect(() => new RoadNetwork(bad)).toThrow(TrafficInputError);
    expect(() => new RoadNetwork(bad)).toThrow(
      'detectors[0].link: invalid road network (2 problems): detectors[0].link: unknown link "XY"; detectors[0].lane: must be an integer >= 1, got 0',
    );
  });

  it('looks up nodes, links and outgoing links', () => {
    const network = new RoadNetwork(tJunction());
    expect(network.node('C')).toEqual({ id: 'C', lat: 0.004, lon: 0.004 });
    expect(network.node('Q')).toBeUndefined();
    expect(network.link('BD')?.to).toBe('D');
    expect(network.link('DB')).toBeUndefined();
    expect(network.outgoingLinks('B').map((link) => link.id)).toEqual(['BD']);
    expect(network.outgoingLinks('D')).toEqual([]);
    expect(() => network.outgoingLinks('Q')).toThrow('nodeId: unknown node "Q"');
  });

  it('finds the intersection at a signalised node and none elsewhere', () => {
    const network = new RoadNetwork(tJunction());
    expect(network.intersectionAtNode('B')?.id).toBe('sig-B');
    expect(network.intersectionAtNode('A')).toBeUndefined();
    expect(() => network.intersectionAtNode('Q')).toThrow('nodeId: unknown node "Q"');
  });

  it('keeps its own copy, so editing the spec afterwards changes nothing', () => {
    const spec = tJunction();
    const network = new RoadNetwork(spec);
    (spec.links[0] as { lengthM: number }).lengthM = -1;
    expect(network.link('AB')?.lengthM).toBe(500);
  });

  it('uses free-flow travel time until a speed is measured', () => {
    const network = new RoadNetwork(tJunction());
    // 500 m at 50 km/h = 500 / (50 / 3.6) = 36 s
    expect(network.travelTimeS('AB')).toBeCloseTo(36, 9);
    expect(network.linkSpeedKph('AB')).toBe(50);
  });

  it('uses the measured speed once set, and free flow again once cleared', () => {
    const network = new RoadNetwork(tJunction());
    network.setLinkSpeed('AB', 20);
    // 500 m at 20 km/h = 90 s
    expect(network.travelTimeS('AB')).toBeCloseTo(90, 9);
    network.clearLinkSpeed('AB');
    expect(network.travelTimeS('AB')).toBeCloseTo(36, 9);
  });

  it('clamps a measured standstill to the speed floor so travel time stays finite', () => {
    const network = new RoadNetwork(tJunction());
    network.setLinkSpeed('AB', 0);
    expect(network.linkSpeedKph('AB')).toBe(MIN_LINK_SPEED_KPH);
    // 500 m at 3 km/h = 600 s
    expect(network.travelTimeS('AB')).toBeCloseTo(600, 9);
  });

  it('caps a measured speed above free flow at free flow', () => {
    const network = new RoadNetwork(tJunction());
    network.setLinkSpeed('CB', 80);
    expect(network.linkSpeedKph('CB')).toBe(30);
  });

  it('rejects bad speeds and unknown links', () => {
    const network = new RoadNetwork(tJunction());
    expect(() => network.setLinkSpeed('AB', -1)).toThrow('speedKph: must be a finite number >= 0, got -1');
    expect(() => network.setLinkSpeed('AB', Number.NaN)).toThrow('speedKph:');
    expect(() => network.setLinkSpeed('XY', 30)).toThrow('linkId: unknown link "XY"');
    expect(() => network.travelTimeS('XY')).toThrow('linkId: unknown link "XY"');
  });

  it('bounds travel time below by straight-line distance at the fastest free-flow pace', () => {
    const network = new RoadNetwork(tJunction());
    // Fastest pace: AB and BD, 36 s over a straight line of haversine(A, B) metres.
    const straightAB = haversineM({ lat: 0, lon: 0 }, { lat: 0, lon: 0.004 });
    const pace = 36 / straightAB;
    expect(network.travelTimeLowerBoundS('A', 'D')).toBeCloseTo(haversineM({ lat: 0, lon: 0 }, { lat: 0, lon: 0.008 }) * pace, 9);
    expect(network.travelTimeLowerBoundS('A', 'B')).toBeCloseTo(network.travelTimeS('AB'), 9);
    expect(() => network.travelTimeLowerBoundS('A', 'Q')).toThrow('toNodeId: unknown node "Q"');
  });
});

describe('RoadNetwork live speeds that expire', () => {
  it('routes on a measured speed while it is fresh and on free flow once it is too old', () => {
    const network = new RoadNetwork({
      nodes: [
        { id: 'a', lat: 0, lon: 0 },
        { id: 'b', lat: 0, lon: 0.01 },
      ],
      links: [{ id: 'ab', from: 'a', to: 'b', lengthM: 1000, freeFlowSpeedKph: 50, lanes: 1 }],
      intersections: [],
      detectors: [],
    });
    network.setLinkSpeed('ab', 10, 60_000);
    expect(network.travelTimeAtS('ab', 60_000 + 300_000, 300_000)).toBeCloseTo(360, 9);
    expect(network.travelTimeAtS('ab', 60_001 + 300_000, 300_000)).toBeCloseTo(72, 9);
  });
});
