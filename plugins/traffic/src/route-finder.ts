import type { traffic } from '@polis/contracts';
import type { QueryResponse } from '@polis/plugin-api';
import type { LatLon } from './algorithms/geo.js';
import { nearestNode } from './algorithms/nearest-node.js';
import type { NodeSpec, RoadNetwork } from './algorithms/road-network.js';
import { fastestRoute } from './algorithms/shortest-path.js';
import type { Route, RouteOptions } from './algorithms/shortest-path.js';

/** The fastest route between two points, or why there is none. */
export type RouteSearch =
  | { readonly found: true; readonly route: Route; readonly lengthM: number }
  | { readonly found: false; readonly reason: string };

/**
 * Snaps both points to their nearest node (great-circle distance) and finds the fastest route
 * between them with the given costs (by default, live travel times). A point farther than `maxSnapDistanceM` from every node
 * is off the network: routing from the nearest node would silently ignore the gap.
 */
export function findRoute(network: RoadNetwork, from: LatLon, to: LatLon, maxSnapDistanceM: number, options: RouteOptions = {}): RouteSearch {
  const start = snap(network, from, 'from', maxSnapDistanceM);
  if (typeof start === 'string') return { found: false, reason: start };
  const end = snap(network, to, 'to', maxSnapDistanceM);
  if (typeof end === 'string') return { found: false, reason: end };
  const route = fastestRoute(network, start.id, end.id, options);
  if (route === undefined) return { found: false, reason: `no road leads from node ${JSON.stringify(start.id)} to node ${JSON.stringify(end.id)}` };
  const lengthM = route.links.reduce((total, linkId) => total + network.link(linkId)!.lengthM, 0);
  return { found: true, route, lengthM };
}

/** A search as the `traffic.route.find` reply. */
export function toRouteAnswer(search: RouteSearch): QueryResponse<typeof traffic.RouteFind> {
  if (!search.found) return { found: false, nodes: [], lengthM: 0, travelTimeS: 0, reason: search.reason };
  return { found: true, nodes: [...search.route.nodes], lengthM: search.lengthM, travelTimeS: search.route.totalTimeS };
}

/**
 * The node nearest to `point` (great-circle distance), or why it cannot be used. The search
 * ({@link nearestNode}) looks at a latitude band around the point, not at every node.
 */
export function snap(network: RoadNetwork, point: LatLon, name: string, maxSnapDistanceM: number): NodeSpec | string {
  const nearest = nearestNode(network, point);
  if (nearest === undefined) return 'the road network has no nodes';
  if (nearest.distanceM > maxSnapDistanceM) {
    return `${name} (${point.lat}, ${point.lon}) is ${Math.round(nearest.distanceM)} m from the nearest node ${JSON.stringify(nearest.node.id)}, farther than maxSnapDistanceM ${maxSnapDistanceM} m`;
  }
  return nearest.node;
}
