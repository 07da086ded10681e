import { TrafficInputError } from './errors.js';
import { MinHeap } from './min-heap.js';
import type { LinkSpec, RoadNetwork } from './road-network.js';

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
}

/**
 * The fastest route from `fromNode` to `toNode` over directed links, or undefined when
 * `toNode` cannot be reached. Dijkstra's algorithm on a binary heap; A* adds the admissible
 * and consistent heuristic {@link RoadNetwork.travelTimeLowerBoundS} (straight-line distance
 * at the network's fastest free-flow pace), so both return routes of the same total time.
 *
 * @throws {TrafficInputError} for unknown nodes or an unusable `travelTimeS` value.
 */
export function fastestRoute(network: RoadNetwork, fromNode: string, toNode: string, options: RouteOptions = {}): Route | undefined {
  for (const [path, id] of [['fromNode', fromNode], ['toNode', toNode]] as const) {
    if (network.node(id) === undefined) throw new TrafficInputError(path, `unknown node ${JSON.stringify(id)}`);
  }
  const aStar = (options.algorithm ?? 'a-star') === 'a-star';
  const costOf = options.travelTimeS ?? ((link: LinkSpec) => network.travelTimeS(link.id));
  const heuristicS = aStar ? (node: string) => network.travelTimeLowerBoundS(node, toNode) : () => 0;

  const bestS = new Map<string, number>([[fromNode, 0]]);
  const reachedBy = new Map<string, LinkSpec>();
  const settled = new Set<string>();
  const frontier = new MinHeap<string>();
  frontier.push(fromNode, heuristicS(fromNode));
  for (let entry = frontier.pop(); entry !== undefined; entry = frontier.pop()) {
    const node = entry.value;
    // The heap keeps superseded entries (lazy deletion); a node is final the first time it pops.
    if (settled.has(node)) continue;
    if (node === toNode) return routeTo(toNode, reachedBy, bestS);
    settled.add(node);
    const nodeS = bestS.get(node)!;
    for (const link of network.outgoingLinks(node)) {
      if (settled.has(link.to)) continue;
      const costS = linkCost(network, link, costOf, aStar);
      const arrivalS = nodeS + costS;
      if (arrivalS < (bestS.get(link.to) ?? Number.POSITIVE_INFINITY)) {
        bestS.set(link.to, arrivalS);
        reachedBy.set(link.to, link);
        frontier.push(link.to, arrivalS + heuristicS(link.to));
      }
    }
  }
  return undefined;
}

function linkCost(network: RoadNetwork, link: LinkSpec, costOf: (link: LinkSpec) => number, aStar: boolean): number {
  const costS = costOf(link);
  const path = `travelTimeS(${link.id})`;
  if (!Number.isFinite(costS) || costS < 0) throw new TrafficInputError(path, `must be a finite number >= 0, got ${costS}`);
  if (aStar) {
    const boundS = network.travelTimeLowerBoundS(link.from, link.to);
    // Allow for rounding: on the fastest link, bound and free-flow time are the same number.
    if (costS < boundS * (1 - 1e-9)) {
      throw new TrafficInputError(path, `${costS} s is faster than free flow allows (at least ${boundS} s), so A* could miss the fastest route: use algorithm 'dijkstra'`);
    }
  }
  return costS;
}

function routeTo(toNode: string, reachedBy: ReadonlyMap<string, LinkSpec>, bestS: ReadonlyMap<string, number>): Route {
  const links: LinkSpec[] = [];
  for (let link = reachedBy.get(toNode); link !== undefined; link = reachedBy.get(link.from)) links.push(link);
  links.reverse();
  const nodes = [links[0]?.from ?? toNode, ...links.map((link) => link.to)];
  // A settled node's best time is its arrival time along the route that reached it.
  const arrivalsS = nodes.map((node) => bestS.get(node)!);
  return { nodes, links: links.map((link) => link.id), totalTimeS: arrivalsS.at(-1)!, arrivalsS };
}
