import type { StationReading } from './station-pair-detector.js';

/**
 * Sums the readings of one station's lanes (the detectors at the same place across a link's
 * lanes) into one carriageway reading per interval: total flow, mean occupancy, flow-weighted
 * speed. Vehicles change lanes between two stations but cannot leave the link between them, so
 * a carriageway's upstream and downstream counts balance where a single lane's need not; and a
 * blockage of the whole carriageway on a lightly used urban link, where each lane sees a vehicle
 * or two per interval, is plain in the totals long before any one lane has counted enough.
 */
export class StationTotals {
  readonly #latest = new Map<string, StationReading | undefined>();
  readonly #toleranceMs: number;
  #lastCombinedMs = Number.NEGATIVE_INFINITY;

  /** `detectorIds`: the station's detector on each lane; readings within `toleranceMs` of one another are one interval. */
  constructor(detectorIds: readonly string[], toleranceMs: number) {
    for (const id of detectorIds) this.#latest.set(id, undefined);
    this.#toleranceMs = toleranceMs;
  }

  /** Takes one lane's reading; returns the station's total once every lane has a reading of this interval (once per interval). */
  add(detectorId: string, reading: StationReading): StationReading | undefined {
    if (!this.#latest.has(detectorId)) return undefined;
    this.#latest.set(detectorId, reading);
    const readings = [...this.#latest.values()];
    if (readings.some((lane) => lane === undefined || Math.abs(lane.timeMs - reading.timeMs) > this.#toleranceMs)) return undefined;
    const lanes = readings as StationReading[];
    const timeMs = Math.max(...lanes.map((lane) => lane.timeMs));
    if (timeMs - this.#lastCombinedMs <= this.#toleranceMs) return undefined;
    this.#lastCombinedMs = timeMs;
    const flowVph = lanes.reduce((total, lane) => total + lane.flowVph, 0);
    return {
      timeMs,
      intervalS: lanes[0]!.intervalS,
      flowVph,
      occupancyPct: lanes.reduce((total, lane) => total + lane.occupancyPct, 0) / lanes.length,
      speedKph: flowVph > 0 ? lanes.reduce((total, lane) => total + lane.speedKph * lane.flowVph, 0) / flowVph : lanes.reduce((total, lane) => total + lane.speedKph, 0) / lanes.length,
    };
  }
}
