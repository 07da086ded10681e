import { TrafficInputError } from './errors.js';
import { IndexHeap } from './index-heap.js';
import type { RoadNetwork } from './road-network.js';
import { searchGraphOf } from './search-graph.js';

/** How long and how far the fastest route from the origin to a node is. */
export interface Reach {
  readonly timeS: number;
  /** The length of that fastest route (not the shortest route's length). */
  readonly lengthM: number;
}

/**
 * The fastest route's time and length from one node to every node it can reach, on the network's
 * live travel times: one Dijkstra search to all nodes (no A*: there is no single target). A
 * travel-time matrix runs one per distinct origin, so a matrix costs origins x O(E log V), however
 * many destinations there are.
 *
 * @throws {TrafficInputError} for an unknown node.
 */
export function fastestFrom(network: RoadNetwork, fromNode: string): Map<string, Reach> {
  if (network.node(fromNode) === undefined) throw new TrafficInputError('fromNode', `unknown node ${JSON.stringify(fromNode)}`);
  const { nodeIds, indexOf, firstSlot, links, toNode } = searchGraphOf(network);
  const reached = new Map<string, Reach>();
  const bestS = new Float64Array(nodeIds.length).fill(Number.POSITIVE_INFINITY);
  const lengthM = new Float64Array(nodeIds.length);
  const settled = new Uint8Array(nodeIds.length);
  const source = indexOf.get(fromNode)!;
  const frontier = new IndexHeap();
  bestS[source] = 0;
  frontier.push(source, 0);
  for (let node = frontier.pop(); node !== -1; node = frontier.pop()) {
    // Lazy deletion: a node is final the first time it pops.
    if (settled[node] === 1) continue;
    settled[node] = 1;
    const hereS = bestS[node]!;
    const hereM = lengthM[node]!;
    reached.set(nodeIds[node]!, { timeS: hereS, lengthM: hereM });
    for (let slot = firstSlot[node]!, end = firstSlot[node + 1]!; slot < end; slot++) {
      const next = toNode[slot]!;
      if (settled[next] === 1) continue;
      const link = links[slot]!;
      const timeS = hereS + network.travelTimeS(link.id);
      if (timeS < bestS[next]!) {
        bestS[next] = timeS;
        lengthM[next] = hereM + link.lengthM;
        frontier.push(next, timeS);
      }
    }
  }
  return reached;
}
