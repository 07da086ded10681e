import { traffic } from '@polis/contracts';
import type { QueryRequest, QueryResponse } from '@polis/plugin-api';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { haversineM } from './algorithms/geo.js';
import type { LatLon } from './algorithms/geo.js';
import type { RoadNetwork } from './algorithms/road-network.js';
import { fastestFrom } from './algorithms/travel-times.js';
import type { Reach } from './algorithms/travel-times.js';
import { snap } from './route-finder.js';

type MatrixRequest = QueryRequest<typeof traffic.TravelTimesFind>;
type MatrixAnswer = QueryResponse<typeof traffic.TravelTimesFind>;

/** The longest the matrix computes without letting the event loop run other handlers. */
const SLICE_MS = 8;

interface Snapped {
  readonly node: string | undefined;
  readonly snapM: number | null;
}

/**
 * Answers `traffic.travel-times.find`: snaps every point to its nearest node (points farther than
 * `maxSnapDistanceM` are off the network: null rows or columns), runs one Dijkstra search per
 * distinct origin node on live travel times, and reads each destination's time and length off it
 * (times to 0.1 s, lengths to the metre). Between searches it yields to the event loop, so a large
 * matrix never stalls the bus.
 */
export async function travelTimeMatrix(network: RoadNetwork, request: MatrixRequest, maxSnapDistanceM: number): Promise<MatrixAnswer> {
  const { origins, destinations } = request;
  const entries = origins.length * destinations.length;
  if (entries > traffic.MAX_TRAVEL_TIME_ENTRIES) {
    return {
      found: false,
      travelTimesS: [],
      lengthsM: [],
      originSnapM: [],
      destinationSnapM: [],
      reason: `${origins.length} origins x ${destinations.length} destinations is ${entries} entries, more than ${traffic.MAX_TRAVEL_TIME_ENTRIES}: ask in blocks of origins`,
    };
  }
  const snapped = new Map<string, Snapped>();
  const snapOf = (point: LatLon): Snapped => {
    const key = `${point.lat},${point.lon}`;
    let found = snapped.get(key);
    if (found === undefined) {
      const node = snap(network, point, 'point', maxSnapDistanceM);
      found = typeof node === 'string' ? { node: undefined, snapM: null } : { node: node.id, snapM: haversineM(point, node) };
      snapped.set(key, found);
    }
    return found;
  };
  const from = origins.map(snapOf);
  const to = destinations.map(snapOf);

  const searches = new Map<string, Map<string, Reach>>();
  let sliceStarted = performance.now();
  for (const origin of from) {
    if (origin.node === undefined || searches.has(origin.node)) continue;
    if (performance.now() - sliceStarted > SLICE_MS) {
      await nextTurn();
      sliceStarted = performance.now();
    }
    searches.set(origin.node, fastestFrom(network, origin.node));
  }
  const travelTimesS = from.map((origin) => to.map((destination) => reachOf(searches, origin, destination, (reach) => Math.round(reach.timeS * 10) / 10)));
  const lengthsM = from.map((origin) => to.map((destination) => reachOf(searches, origin, destination, (reach) => Math.round(reach.lengthM))));
  return { found: true, travelTimesS, lengthsM, originSnapM: from.map(roundedSnap), destinationSnapM: to.map(roundedSnap) };
}

function reachOf(searches: ReadonlyMap<string, ReadonlyMap<string, Reach>>, origin: Snapped, destination: Snapped, value: (reach: Reach) => number): number | null {
  if (origin.node === undefined || destination.node === undefined) return null;
  const reach = searches.get(origin.node)!.get(destination.node);
  return reach === undefined ? null : value(reach);
}

function roundedSnap(point: Snapped): number | null {
  return point.snapM === null ? null : Math.round(point.snapM * 10) / 10;
}
