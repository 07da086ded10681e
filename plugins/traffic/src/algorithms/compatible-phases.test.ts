import { describe, expect, it } from 'vitest';
import { mergeCompatiblePhases } from './compatible-phases.js';
import type { IntersectionSpec, PhaseSpec } from './road-network.js';

// A plus-shaped junction c with neighbours n (north), e, s, w, 0.01 degrees away.
const NODES = [
  { id: 'c', lat: 50, lon: 10 },
  { id: 'n', lat: 50.01, lon: 10 },
  { id: 's', lat: 49.99, lon: 10 },
  { id: 'e', lat: 50, lon: 10.015 },
  { id: 'w', lat: 50, lon: 9.985 },
];
const twoWay = (...ends: string[]) => ends.flatMap((end) => [`${end}-c`, `c-${end}`]).map((id) => ({ id, from: id.split('-')[0]!, to: id.split('-')[1]!, lengthM: 1000, freeFlowSpeedKph: 50, lanes: 1 }));
const phase = (id: string, links: string[], extra: Partial<PhaseSpec> = {}): PhaseSpec => ({ id, links, minGreenS: 10, yellowS: 3, allRedS: 2, ...extra });
const junction = (phases: PhaseSpec[]): IntersectionSpec => ({ id: 'x', node: 'c', phases, minCycleS: 40, maxCycleS: 120 });

describe('mergeCompatiblePhases', () => {
  it('merges the two phases of a corner, whose turns do not cross, into one all-green phase', () => {
    const network = { nodes: NODES, links: twoWay('n', 'e') };
    const merged = mergeCompatiblePhases(junction([phase('NS', ['n-c']), phase('EW', ['e-c'], { minGreenS: 12, yellowS: 4, pedestrianClearanceS: 6 })]), network);
    expect(merged.phases).toEqual([{ id: 'NS+EW', links: ['n-c', 'e-c'], minGreenS: 12, yellowS: 4, allRedS: 2, pedestrianClearanceS: 6 }]);
  });

  it('keeps the phases of a four-way junction, where every through crosses the other road', () => {
    const network = { nodes: NODES, links: twoWay('n', 'e', 's', 'w') };
    const intersection = junction([phase('NS', ['n-c', 's-c']), phase('EW', ['e-c', 'w-c'])]);
    expect(mergeCompatiblePhases(intersection, network)).toBe(intersection);
  });

  it('keeps the phases of a T-junction: the side road turning left crosses the main road', () => {
    const network = { nodes: NODES, links: twoWay('e', 'w', 's') };
    const intersection = junction([phase('EW', ['e-c', 'w-c']), phase('S', ['s-c'])]);
    expect(mergeCompatiblePhases(intersection, network)).toBe(intersection);
  });

  it('keeps two approaches apart that would merge into one exit', () => {
    // Only one way out: both approaches must join c -> n.
    const links = [...twoWay('n').filter((link) => link.id === 'c-n'), ...twoWay('e', 'w').filter((link) => link.id.endsWith('-c'))];
    const intersection = junction([phase('E', ['e-c']), phase('W', ['w-c'])]);
    expect(mergeCompatiblePhases(intersection, { nodes: NODES, links })).toBe(intersection);
  });
});
