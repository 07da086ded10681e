import { haversineM, traffic } from '@polis/contracts';
import type { LatLon } from '@polis/contracts';
import { isPolisError } from '@polis/plugin-api';
import type { Logger, QueryRequest, QueryResponse } from '@polis/plugin-api';

type MatrixRequest = QueryRequest<typeof traffic.TravelTimesFind>;
type MatrixAnswer = QueryResponse<typeof traffic.TravelTimesFind>;

/** Driving seconds and metres between every pair of points, `Infinity` where no road leads. */
export interface TravelMatrix {
  readonly timesS: number[][];
  readonly lengthsM: number[][];
  /** live: traffic's road network; estimated: straight lines, because traffic did not answer. */
  readonly source: 'live' | 'estimated';
}

export interface TravelMatrixOptions {
  /** Asks traffic (`traffic.travel-times.find`). */
  readonly ask: (request: MatrixRequest) => Promise<MatrixAnswer>;
  /** Speed between a point and the road node it snaps to, km/h. */
  readonly kerbSpeedKph: number;
  /** For straight-line estimates: speed (km/h) and road metres per straight-line metre. */
  readonly fallbackSpeedKph: number;
  readonly detourFactor: number;
  readonly logger: Logger;
}

/**
 * The travel matrix between points, from traffic's live road network: asked in blocks of origins
 * so no answer exceeds what traffic serves at once, with the kerbside legs (each point to its
 * road node, at `kerbSpeedKph`) added to the node-to-node times. If traffic does not answer (not
 * loaded, timed out, refused), the whole matrix is a straight-line estimate, with one warning:
 * collection must be planned without traffic too.
 */
export async function travelMatrix(points: readonly LatLon[], options: TravelMatrixOptions): Promise<TravelMatrix> {
  try {
    return await liveMatrix(points, options);
  } catch (error) {
    options.logger.warn('travel-time matrix from traffic failed: planning on straight-line estimates', {
      points: points.length,
      code: isPolisError(error) ? error.code : undefined,
      reason: error instanceof Error ? error.message : String(error),
      fallbackSpeedKph: options.fallbackSpeedKph,
      detourFactor: options.detourFactor,
    });
    return estimatedMatrix(points, options);
  }
}

async function liveMatrix(points: readonly LatLon[], options: TravelMatrixOptions): Promise<TravelMatrix> {
  const timesS: number[][] = [];
  const lengthsM: number[][] = [];
  const kerbMps = options.kerbSpeedKph / 3.6;
  const rowsPerRequest = Math.max(1, Math.floor(traffic.MAX_TRAVEL_TIME_ENTRIES / points.length));
  const destinations = [...points];
  let destinationSnapM: readonly (number | null)[] = [];
  for (let first = 0; first < points.length; first += rowsPerRequest) {
    const origins = points.slice(first, first + rowsPerRequest);
    const answer = await options.ask({ origins, destinations });
    if (!answer.found) throw new Error(`traffic refused the matrix: ${answer.reason ?? 'no reason given'}`);
    destinationSnapM = answer.destinationSnapM;
    answer.travelTimesS.forEach((row, k) => {
      const i = first + k;
      const originSnap = answer.originSnapM[k] ?? null;
      timesS.push(row.map((time, j) => (i === j ? 0 : time === null || originSnap === null || destinationSnapM[j] === null ? Infinity : time + (originSnap + destinationSnapM[j]!) / kerbMps)));
      lengthsM.push(answer.lengthsM[k]!.map((length, j) => (i === j ? 0 : length === null || originSnap === null || destinationSnapM[j] === null ? Infinity : length + originSnap + destinationSnapM[j]!)));
    });
  }
  return { timesS, lengthsM, source: 'live' };
}

function estimatedMatrix(points: readonly LatLon[], options: TravelMatrixOptions): TravelMatrix {
  const metresPerSecond = options.fallbackSpeedKph / 3.6;
  const lengthsM = points.map((a) => points.map((b) => haversineM(a, b) * options.detourFactor));
  return { timesS: lengthsM.map((row) => row.map((metres) => metres / metresPerSecond)), lengthsM, source: 'estimated' };
}
