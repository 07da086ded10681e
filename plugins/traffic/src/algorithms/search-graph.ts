import type { LinkSpec, RoadNetwork } from './road-network.js';

/**
 * A road network's topology as arrays indexed by integers, for route searches: nodes numbered in
 * the network's order, and every link stored once as a "slot", grouped by the node it leaves
 * (compressed sparse rows), in the order {@link RoadNetwork.outgoingLinks} lists them, so a
 * search over it relaxes links in the same order as one over the network itself. It holds only
 * what cannot change (the network is immutable apart from live speeds), so it is built once per
 * network and shared by every query.
 */
export interface SearchGraph {
  /** Node ids by index. */
  readonly nodeIds: readonly string[];
  /** The index of each node id. */
  readonly indexOf: ReadonlyMap<string, number>;
  /** Links leaving node `n` are slots `firstSlot[n]` up to (excluding) `firstSlot[n + 1]`. */
  readonly firstSlot: Int32Array;
  /** The link in each slot. */
  readonly links: readonly LinkSpec[];
  /** Index of the node each slot's link leaves. */
  readonly fromNode: Int32Array;
  /** Index of the node each slot's link enters. */
  readonly toNode: Int32Array;
  /**
   * Each slot's {@link RoadNetwork.travelTimeLowerBoundS} between its two ends, which A* checks
   * every relaxed link's cost against; geometry only, so fixed.
   */
  readonly lowerBoundS: Float64Array;
}

const graphs = new WeakMap<RoadNetwork, SearchGraph>();

/** The search graph of a network, built on first use and kept as long as the network lives. */
export function searchGraphOf(network: RoadNetwork): SearchGraph {
  let graph = graphs.get(network);
  if (graph === undefined) {
    graph = buildSearchGraph(network);
    graphs.set(network, graph);
  }
  return graph;
}

function buildSearchGraph(network: RoadNetwork): SearchGraph {
  const nodeIds = network.nodes.map((node) => node.id);
  const indexOf = new Map(nodeIds.map((id, index) => [id, index]));
  const slots = network.links.length;
  const firstSlot = new Int32Array(nodeIds.length + 1);
  const links: LinkSpec[] = [];
  const fromNode = new Int32Array(slots);
  const toNode = new Int32Array(slots);
  const lowerBoundS = new Float64Array(slots);
  for (const [index, id] of nodeIds.entries()) {
    firstSlot[index] = links.length;
    for (const link of network.outgoingLinks(id)) {
      fromNode[links.length] = index;
      toNode[links.length] = indexOf.get(link.to)!;
      lowerBoundS[links.length] = network.travelTimeLowerBoundS(link.from, link.to);
      links.push(link);
    }
  }
  firstSlot[nodeIds.length] = links.length;
  return { nodeIds, indexOf, firstSlot, links, fromNode, toNode, lowerBoundS };
}
