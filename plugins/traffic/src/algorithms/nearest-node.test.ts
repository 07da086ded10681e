import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haversineM } from './geo.js';
import { nearestNode } from './nearest-node.js';
import { RoadNetwork, type NodeSpec } from './road-network.js';

function networkOf(nodes: NodeSpec[]): RoadNetwork {
  return new RoadNetwork({ nodes, links: [], intersections: [], detectors: [] });
}

/** What the band search must agree with: every node, the first of equally near ones. */
function plainScan(nodes: readonly NodeSpec[], point: { lat: number; lon: number }): { node: NodeSpec; distanceM: number } {
  let best = { node: nodes[0]!, distanceM: haversineM(point, nodes[0]!) };
  for (const node of nodes) {
    const distanceM = haversineM(point, node);
    if (distanceM < best.distanceM) best = { node, distanceM };
  }
  return best;
}

describe('nearestNode', () => {
  it('finds the node a scan of every node finds, the first of several at the same distance', () => {
    // Nodes and points on a coarse lattice (half-steps for the points), so ties and shared latitudes are common.
    const lattice = (steps: number) => fc.tuple(fc.integer({ min: 0, max: steps }), fc.integer({ min: 0, max: steps }));
    fc.assert(
      fc.property(fc.array(lattice(6), { minLength: 1, maxLength: 40 }), fc.array(lattice(14), { minLength: 1, maxLength: 10 }), (cells, points) => {
        const nodes = cells.map(([row, col], i) => ({ id: `n${i}`, lat: 22.5 + row * 0.002, lon: 114 + col * 0.002 }));
        const network = networkOf(nodes);
        for (const [row, col] of points) {
          const point = { lat: 22.499 + row * 0.001, lon: 113.999 + col * 0.001 };
          expect(nearestNode(network, point)).toEqual(plainScan(nodes, point));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('answers undefined for a network without nodes, and refuses a point off the globe', () => {
    expect(nearestNode(networkOf([]), { lat: 0, lon: 0 })).toBeUndefined();
    expect(() => nearestNode(networkOf([{ id: 'a', lat: 0, lon: 0 }]), { lat: 91, lon: 0 })).toThrow('a.lat: must be a finite number >= -90 and <= 90, got 91');
  });
});
