import { EARTH_MEAN_RADIUS_M, haversineM as greatCircleM } from '@polis/contracts';
import { haversineM } from './geo.js';
import type { LatLon } from './geo.js';
import type { NodeSpec, RoadNetwork } from './road-network.js';

/** A network's node indices sorted by latitude, built once per network (its nodes never change). */
const byLatitude = new WeakMap<RoadNetwork, Int32Array>();

/**
 * The network's node nearest to `point` by great-circle distance, and that distance; undefined
 * for a network without nodes. Of several nodes at exactly the same distance, the first in the
 * network's order, as a plain scan would pick.
 *
 * Nodes are scanned outwards from the point's latitude, and each direction stops once the
 * latitude difference alone puts every further node farther than the nearest so far (a
 * great-circle distance is never less than its north-south part), so a query looks at a band of
 * the city instead of every node.
 *
 * @throws {TrafficInputError} when the point is off the globe.
 */
export function nearestNode(network: RoadNetwork, point: LatLon): { readonly node: NodeSpec; readonly distanceM: number } | undefined {
  const nodes = network.nodes;
  if (nodes.length === 0) return undefined;
  // The checking haversine refuses a point off the globe; the nodes were checked by the network.
  let bestIndex = 0;
  let bestM = haversineM(point, nodes[0]!);
  const order = latitudeOrder(network);
  const consider = (index: number) => {
    const distanceM = greatCircleM(point, nodes[index]!);
    if (distanceM < bestM || (distanceM === bestM && index < bestIndex)) {
      bestIndex = index;
      bestM = distanceM;
    }
  };
  // A margin against rounding, so a node whose distance ties the best is never skipped.
  const beyondBest = (index: number) => (EARTH_MEAN_RADIUS_M * Math.abs(nodes[index]!.lat - point.lat) * Math.PI) / 180 * (1 - 1e-9) > bestM;
  const start = firstAtOrNorthOf(nodes, order, point.lat);
  let north = start;
  let south = start - 1;
  while (north < order.length || south >= 0) {
    if (north < order.length) {
      if (beyondBest(order[north]!)) north = order.length;
      else consider(order[north++]!);
    }
    if (south >= 0) {
      if (beyondBest(order[south]!)) south = -1;
      else consider(order[south--]!);
    }
  }
  return { node: nodes[bestIndex]!, distanceM: bestM };
}

function latitudeOrder(network: RoadNetwork): Int32Array {
  let order = byLatitude.get(network);
  if (order === undefined) {
    const nodes = network.nodes;
    order = Int32Array.from(nodes.keys()).sort((a, b) => nodes[a]!.lat - nodes[b]!.lat);
    byLatitude.set(network, order);
  }
  return order;
}

/** The first position in `order` whose node lies at or north of `lat` (binary search). */
function firstAtOrNorthOf(nodes: readonly NodeSpec[], order: Int32Array, lat: number): number {
  let low = 0;
  let high = order.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (nodes[order[middle]!]!.lat < lat) low = middle + 1;
    else high = middle;
  }
  return low;
}
