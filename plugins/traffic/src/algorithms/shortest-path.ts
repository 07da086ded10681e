import { haversineM as greatCircleM } from '@polis/contracts';
import { TrafficInputError } from './errors.js';
import { IndexHeap } from './index-heap.js';
import type { LinkSpec, RoadNetwork } from './road-network.js';
import { searchGraphOf } from './search-graph.js';
import type { SearchGraph } from './search-graph.js';

/** The fastest route found between two nodes. */
export interface Route {
  /** Node ids from origin to destination. */
  readonly nodes: readonly string[];
  /** Link ids driven, one fewer than nodes: `links[i]` goes from `nodes[i]` to `nodes[i + 1]`. */
  readonly links: readonly string[];
  readonly totalTimeS: number;
  /** Seconds after departure at which each node is reached: `arrivalsS[0]` is 0. */
  readonly arrivalsS: readonly number[];
}

/** Search algorithm: both find a fastest route; A* usually settles far fewer nodes. */
export type RouteAlgorithm = 'a-star' | 'dijkstra';

export interface RouteOptions {
  /**
   * Seconds to drive a link; defaults to the network's live `travelTimeS`. Must be finite and
   * non-negative. With A*, it must also be no faster than free flow (which the default never
   * is), because the heuristic assumes so; A* throws when a link it relaxes breaks that. Use
   * `'dijkstra'` for costs that can beat free flow, such as an emergency vehicle's.
   */
  readonly travelTimeS?: (link: LinkSpec) => number;
  /** Defaults to `'a-star'`. */
  readonly algorithm?: RouteAlgorithm;
  /**
   * Seconds spent at a node going from link `from` onto link `to` (a turn penalty, the expected
   * wait at a signal). With it the search runs over links instead of nodes, so the cost of a turn
   * depends on the way the node was entered; must be finite and >= 0.
   */
  readonly turnCostS?: (from: LinkSpec, to: LinkSpec) => number;
}

/**
 * The fastest route from `fromNode` to `toNode` over directed links, or undefined when
 * `toNode` cannot be reached. Dijkstra's algorithm on a binary heap; A* adds the admissible
 * and consistent heuristic {@link RoadNetwork.travelTimeLowerBoundS} (straight-line distance
 * at the network's fastest free-flow pace), so both return routes of the same total time.
 * Both run on the network's {@link SearchGraph} (built once per network), with per-query state
 * in typed arrays: a query allocates a few arrays, not a map entry per node.
 *
 * @throws {TrafficInputError} for unknown nodes or an unusable `travelTimeS` value.
 */
export function fastestRoute(network: RoadNetwork, fromNode: string, toNode: string, options: RouteOptions = {}): Route | undefined {
  for (const [path, id] of [['fromNode', fromNode], ['toNode', toNode]] as const) {
    if (network.node(id) === undefined) throw new TrafficInputError(path, `unknown node ${JSON.stringify(id)}`);
  }
  const graph = searchGraphOf(network);
  const source = graph.indexOf.get(fromNode)!;
  const target = graph.indexOf.get(toNode)!;
  const aStar = (options.algorithm ?? 'a-star') === 'a-star';
  const costOf = options.travelTimeS ?? ((link: LinkSpec) => network.travelTimeS(link.id));
  const slotCostS = (slot: number) => linkCost(graph, slot, costOf, aStar);
  const heuristicS = aStar ? lowerBoundsTo(network, graph, toNode) : () => 0;
  if (options.turnCostS !== undefined) return fastestLinkRoute(graph, source, target, slotCostS, options.turnCostS, heuristicS);

  const { firstSlot, toNode: slotTo } = graph;
  const bestS = new Float64Array(graph.nodeIds.length).fill(Number.POSITIVE_INFINITY);
  /** The slot of the link each node was last improved by; -1 for none. */
  const reachedBy = new Int32Array(graph.nodeIds.length).fill(-1);
  const settled = new Uint8Array(graph.nodeIds.length);
  const frontier = new IndexHeap();
  bestS[source] = 0;
  frontier.push(source, heuristicS(source));
  for (let node = frontier.pop(); node !== -1; node = frontier.pop()) {
    // The heap keeps superseded entries (lazy deletion); a node is final the first time it pops.
    if (settled[node] === 1) continue;
    if (node === target) return routeTo(graph, target, reachedBy, bestS);
    settled[node] = 1;
    const nodeS = bestS[node]!;
    for (let slot = firstSlot[node]!, end = firstSlot[node + 1]!; slot < end; slot++) {
      const next = slotTo[slot]!;
      if (settled[next] === 1) continue;
      const arrivalS = nodeS + slotCostS(slot);
      if (arrivalS < bestS[next]!) {
        bestS[next] = arrivalS;
        reachedBy[next] = slot;
        frontier.push(next, arrivalS + heuristicS(next));
      }
    }
  }
  return undefined;
}

/**
 * A*'s heuristic towards `toNode`, by node index: {@link RoadNetwork.travelTimeLowerBoundS}
 * (the same product, computed here without its id lookups and coordinate checks: the network
 * checked its nodes), the first time a node needs it (a node is pushed once per improvement, and
 * its distance to the target never changes during a query).
 */
function lowerBoundsTo(network: RoadNetwork, graph: SearchGraph, toNode: string): (node: number) => number {
  const boundS = new Float64Array(graph.nodeIds.length).fill(Number.NaN);
  const nodes = network.nodes;
  const target = network.node(toNode)!;
  const paceSPerM = network.minPaceSPerM;
  return (node) => {
    let value = boundS[node]!;
    if (Number.isNaN(value)) {
      value = greatCircleM(nodes[node]!, target) * paceSPerM;
      boundS[node] = value;
    }
    return value;
  };
}

/**
 * Dijkstra (or A*) over links: a state is "at the end of this link", so a turn's cost can
 * depend on the link the node was entered by. `arrivalsS[i]` is when the vehicle reaches node i,
 * before its turn there (at a signal: at the stop line).
 */
function fastestLinkRoute(
  graph: SearchGraph,
  source: number,
  target: number,
  slotCostS: (slot: number) => number,
  turnCostS: (from: LinkSpec, to: LinkSpec) => number,
  heuristicS: (node: number) => number,
): Route | undefined {
  const { firstSlot, fromNode: slotFrom, toNode: slotTo, links, nodeIds } = graph;
  if (source === target) return { nodes: [nodeIds[source]!], links: [], totalTimeS: 0, arrivalsS: [0] };
  const bestS = new Float64Array(links.length).fill(Number.POSITIVE_INFINITY);
  /** The slot each link's end was last improved from; -1 for a first link or none. */
  const previous = new Int32Array(links.length).fill(-1);
  const settled = new Uint8Array(links.length);
  const frontier = new IndexHeap();
  for (let slot = firstSlot[source]!, end = firstSlot[source + 1]!; slot < end; slot++) {
    const arrivalS = slotCostS(slot);
    if (arrivalS < bestS[slot]!) {
      bestS[slot] = arrivalS;
      frontier.push(slot, arrivalS + heuristicS(slotTo[slot]!));
    }
  }
  for (let slot = frontier.pop(); slot !== -1; slot = frontier.pop()) {
    if (settled[slot] === 1) continue;
    settled[slot] = 1;
    const atEndS = bestS[slot]!;
    const node = slotTo[slot]!;
    if (node === target) {
      const path: number[] = [];
      for (let step = slot; step !== -1; step = previous[step]!) path.push(step);
      path.reverse();
      return {
        nodes: [nodeIds[source]!, ...path.map((step) => nodeIds[slotTo[step]!]!)],
        links: path.map((step) => links[step]!.id),
        totalTimeS: atEndS,
        arrivalsS: [0, ...path.map((step) => bestS[step]!)],
      };
    }
    const link = links[slot]!;
    for (let next = firstSlot[node]!, end = firstSlot[node + 1]!; next < end; next++) {
      if (settled[next] === 1 || slotTo[next] === slotFrom[slot]) continue;
      const nextLink = links[next]!;
      const turnS = turnCostS(link, nextLink);
      if (!Number.isFinite(turnS) || turnS < 0) throw new TrafficInputError(`turnCostS(${link.id}, ${nextLink.id})`, `must be a finite number >= 0, got ${turnS}`);
      const arrivalS = atEndS + turnS + slotCostS(next);
      if (arrivalS < bestS[next]!) {
        bestS[next] = arrivalS;
        previous[next] = slot;
        frontier.push(next, arrivalS + heuristicS(slotTo[next]!));
      }
    }
  }
  return undefined;
}

function linkCost(graph: SearchGraph, slot: number, costOf: (link: LinkSpec) => number, aStar: boolean): number {
  const link = graph.links[slot]!;
  const costS = costOf(link);
  if (!Number.isFinite(costS) || costS < 0) throw new TrafficInputError(`travelTimeS(${link.id})`, `must be a finite number >= 0, got ${costS}`);
  if (aStar) {
    const boundS = graph.lowerBoundS[slot]!;
    // Allow for rounding: on the fastest link, bound and free-flow time are the same number.
    if (costS < boundS * (1 - 1e-9)) {
      throw new TrafficInputError(`travelTimeS(${link.id})`, `${costS} s is faster than free flow allows (at least ${boundS} s), so A* could miss the fastest route: use algorithm 'dijkstra'`);
    }
  }
  return costS;
}

function routeTo(graph: SearchGraph, target: number, reachedBy: Int32Array, bestS: Float64Array): Route {
  const path: number[] = [];
  for (let slot = reachedBy[target]!; slot !== -1; slot = reachedBy[graph.fromNode[slot]!]!) path.push(slot);
  path.reverse();
  const nodes = [path.length > 0 ? graph.fromNode[path[0]!]! : target, ...path.map((slot) => graph.toNode[slot]!)];
  // A settled node's best time is its arrival time along the route that reached it.
  const arrivalsS = nodes.map((node) => bestS[node]!);
  return { nodes: nodes.map((node) => graph.nodeIds[node]!), links: path.map((slot) => graph.links[slot]!.id), totalTimeS: arrivalsS.at(-1)!, arrivalsS };
}
