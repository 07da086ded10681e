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
  if (options.turnCostS !== undefined) return fastestLinkRoute(network, fromNode, toNode, (link) => linkCost(network, link, costOf, aStar), options.turnCostS, heuristicS);

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

/**
 * Dijkstra (or A*) over links: a state is "at the end of this link", so a turn's cost can
 * depend on the link the node was entered by. `arrivalsS[i]` is when the vehicle reaches node i,
 * before its turn there (at a signal: at the stop line).
 */
function fastestLinkRoute(
  network: RoadNetwork,
  fromNode: string,
  toNode: string,
  costOf: (link: LinkSpec) => number,
  turnCostS: (from: LinkSpec, to: LinkSpec) => number,
  heuristicS: (node: string) => number,
): Route | undefined {
  if (fromNode === toNode) return { nodes: [fromNode], links: [], totalTimeS: 0, arrivalsS: [0] };
  const bestS = new Map<string, number>();
  const previous = new Map<string, LinkSpec | undefined>();
  const settled = new Set<string>();
  const frontier = new MinHeap<LinkSpec>();
  for (const link of network.outgoingLinks(fromNode)) {
    const arrivalS = costOf(link);
    if (arrivalS < (bestS.get(link.id) ?? Number.POSITIVE_INFINITY)) {
      bestS.set(link.id, arrivalS);
      previous.set(link.id, undefined);
      frontier.push(link, arrivalS + heuristicS(link.to));
    }
  }
  for (let entry = frontier.pop(); entry !== undefined; entry = frontier.pop()) {
    const link = entry.value;
    if (settled.has(link.id)) continue;
    settled.add(link.id);
    const atEndS = bestS.get(link.id)!;
    if (link.to === toNode) {
      const links: LinkSpec[] = [];
      for (let step: LinkSpec | undefined = link; step !== undefined; step = previous.get(step.id)) links.push(step);
      links.reverse();
      return { nodes: [fromNode, ...links.map((l) => l.to)], links: links.map((l) => l.id), totalTimeS: atEndS, arrivalsS: [0, ...links.map((l) => bestS.get(l.id)!)] };
    }
    for (const next of network.outgoingLinks(link.to)) {
      if (settled.has(next.id) || next.to === link.from) continue;
      const turnS = turnCostS(link, next);
      if (!Number.isFinite(turnS) || turnS < 0) throw new TrafficInputError(`turnCostS(${link.id}, ${next.id})`, `must be a finite number >= 0, got ${turnS}`);
      const arrivalS = atEndS + turnS + costOf(next);
      if (arrivalS < (bestS.get(next.id) ?? Number.POSITIVE_INFINITY)) {
        bestS.set(next.id, arrivalS);
        previous.set(next.id, link);
        frontier.push(next, arrivalS + heuristicS(next.to));
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
