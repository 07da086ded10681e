import { TrafficInputError } from './errors.js';
import { MinHeap } from './min-heap.js';
import type { RoadNetwork } from './road-network.js';

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
  const reached = new Map<string, Reach>();
  const best = new Map<string, Reach>([[fromNode, { timeS: 0, lengthM: 0 }]]);
  const frontier = new MinHeap<string>();
  frontier.push(fromNode, 0);
  for (let entry = frontier.pop(); entry !== undefined; entry = frontier.pop()) {
    const node = entry.value;
    // Lazy deletion: a node is final the first time it pops.
    if (reached.has(node)) continue;
    const here = best.get(node)!;
    reached.set(node, here);
    for (const link of network.outgoingLinks(node)) {
      if (reached.has(link.to)) continue;
      const timeS = here.timeS + network.travelTimeS(link.id);
      if (timeS < (best.get(link.to)?.timeS ?? Number.POSITIVE_INFINITY)) {
        best.set(link.to, { timeS, lengthM: here.lengthM + link.lengthM });
        frontier.push(link.to, timeS);
      }
    }
  }
  return reached;
}
