import { TrafficInputError } from './errors.js';
import { requireNumber } from './number-checks.js';

/** Thresholds of the station-pair comparison; see {@link StationPairDetector}. */
export interface StationPairOptions {
  /** Upstream occupancy must exceed downstream by this many points (California OCCDF)... */
  readonly occupancyDifferencePct: number;
  /** ...and by this share of the upstream occupancy (OCCRDF). */
  readonly relativeDifference: number;
  /** Or: the downstream station passes at most this share of the vehicles the upstream one counted... */
  readonly starvedFlowRatio: number;
  /** ...over a window in which the upstream station counted at least this many. */
  readonly minUpstreamVehicles: number;
  /** Intervals summed for the flow comparison (counts of one short interval are too few to compare). */
  readonly windowIntervals: number;
  /** Anomalous intervals in a row before reporting. */
  readonly confirmIntervals: number;
  /** Silence after a report, ms. */
  readonly cooldownMs: number;
  /** Readings of the two stations this close in time are one interval. */
  readonly pairToleranceMs: number;
  /** A run of anomalous intervals restarts after a gap longer than this. */
  readonly maxGapMs: number;
}

/**
 * Defaults for 30 s intervals on urban links: the upstream station 15 points and 50 % more
 * occupied than the downstream one, or the downstream one passing under 15 % of what entered
 * over 90 s (at least 6 vehicles), for 2 intervals in a row; one report per 10 minutes.
 */
export const DEFAULT_STATION_PAIR_OPTIONS: StationPairOptions = {
  occupancyDifferencePct: 15,
  relativeDifference: 0.5,
  starvedFlowRatio: 0.15,
  minUpstreamVehicles: 6,
  windowIntervals: 3,
  confirmIntervals: 2,
  cooldownMs: 10 * 60_000,
  pairToleranceMs: 5000,
  maxGapMs: 2 * 60_000,
};

/** One station's aggregate over an interval. */
export interface StationReading {
  readonly timeMs: number;
  /** Length of the interval, seconds (turns flows back into counts). */
  readonly intervalS: number;
  readonly flowVph: number;
  readonly occupancyPct: number;
  readonly speedKph: number;
}

/** Why a pair reported: both stations' readings of the confirming interval. */
export interface StationPairEvidence {
  readonly detectedAtMs: number;
  readonly firstAnomalyAtMs: number;
  readonly upstream: StationReading;
  readonly downstream: StationReading;
  /** Which signature tripped: a queue between the stations, or a lane starved of flow downstream. */
  readonly signature: 'occupancy-difference' | 'starved-downstream';
}

/**
 * Incident detection from two stations on one lane: an upstream station (near the start of the
 * link) and a downstream one (near the stop line). It compares them, as the California
 * algorithms compare adjacent freeway stations (Payne & Tignor 1978, TSC #7): a blockage between
 * the stations queues traffic over the upstream one while starving the downstream one, so
 * upstream occupancy rises well above downstream occupancy (OCCDF = occ_up - occ_down and
 * OCCRDF = OCCDF / occ_up both over their thresholds), or the downstream station passes almost
 * none of the vehicles the upstream one counted (they leave the blocked lane, or wait in it).
 *
 * What a single station mistakes for an incident does not trip it. A red-phase queue covers the
 * downstream station first (occupancy difference negative); a queue spilling back near capacity
 * covers both (the relative difference stays small) and both count the same discharge.
 */
export class StationPairDetector {
  readonly #options: StationPairOptions;
  #upstream: StationReading | undefined;
  #downstream: StationReading | undefined;
  #lastPairedMs = Number.NEGATIVE_INFINITY;
  readonly #window: { up: number; down: number }[] = [];
  #run = 0;
  #firstAnomalyAtMs = 0;
  #silentUntilMs = Number.NEGATIVE_INFINITY;

  /** @throws {TrafficInputError} for out-of-range options. */
  constructor(options: Partial<StationPairOptions> = {}) {
    const merged = { ...DEFAULT_STATION_PAIR_OPTIONS, ...options };
    requireNumber(merged.occupancyDifferencePct, 'options.occupancyDifferencePct', { min: 0, max: 100 });
    requireNumber(merged.relativeDifference, 'options.relativeDifference', { min: 0, max: 1 });
    requireNumber(merged.starvedFlowRatio, 'options.starvedFlowRatio', { min: 0, max: 1 });
    requireNumber(merged.minUpstreamVehicles, 'options.minUpstreamVehicles', { min: 1 });
    requireNumber(merged.windowIntervals, 'options.windowIntervals', { integer: true, min: 1 });
    requireNumber(merged.confirmIntervals, 'options.confirmIntervals', { integer: true, min: 1 });
    requireNumber(merged.cooldownMs, 'options.cooldownMs', { min: 0 });
    requireNumber(merged.pairToleranceMs, 'options.pairToleranceMs', { min: 0 });
    requireNumber(merged.maxGapMs, 'options.maxGapMs', { above: 0 });
    this.#options = merged;
  }

  /**
   * Takes one station's reading; once both stations have a reading of the same interval, judges
   * it and returns evidence when it confirms an incident.
   *
   * @throws {TrafficInputError} for invalid values or a reading not later than its station's previous one.
   */
  observe(station: 'upstream' | 'downstream', reading: StationReading): StationPairEvidence | undefined {
    requireNumber(reading.timeMs, `reading.timeMs`, {});
    requireNumber(reading.intervalS, `reading.intervalS`, { above: 0 });
    requireNumber(reading.flowVph, `reading.flowVph`, { min: 0 });
    requireNumber(reading.occupancyPct, `reading.occupancyPct`, { min: 0, max: 100 });
    requireNumber(reading.speedKph, `reading.speedKph`, { min: 0 });
    const previous = station === 'upstream' ? this.#upstream : this.#downstream;
    if (previous !== undefined && reading.timeMs <= previous.timeMs) {
      throw new TrafficInputError('reading.timeMs', `must be after the ${station} station's previous reading at ${previous.timeMs}, got ${reading.timeMs}`);
    }
    if (station === 'upstream') this.#upstream = reading;
    else this.#downstream = reading;
    const up = this.#upstream;
    const down = this.#downstream;
    if (up === undefined || down === undefined) return undefined;
    const pairedAtMs = Math.max(up.timeMs, down.timeMs);
    if (Math.abs(up.timeMs - down.timeMs) > this.#options.pairToleranceMs || pairedAtMs <= this.#lastPairedMs) return undefined;
    return this.#judge(up, down, pairedAtMs);
  }

  #judge(up: StationReading, down: StationReading, atMs: number): StationPairEvidence | undefined {
    const o = this.#options;
    if (atMs - this.#lastPairedMs > o.maxGapMs) {
      this.#run = 0;
      this.#window.length = 0;
    }
    this.#lastPairedMs = atMs;
    this.#window.push({ up: (up.flowVph * up.intervalS) / 3600, down: (down.flowVph * down.intervalS) / 3600 });
    if (this.#window.length > o.windowIntervals) this.#window.shift();

    const difference = up.occupancyPct - down.occupancyPct;
    const queued = difference >= o.occupancyDifferencePct && difference / Math.max(up.occupancyPct, 1e-9) >= o.relativeDifference;
    const upCount = this.#window.reduce((total, entry) => total + entry.up, 0);
    const downCount = this.#window.reduce((total, entry) => total + entry.down, 0);
    const starved = this.#window.length === o.windowIntervals && upCount >= o.minUpstreamVehicles && downCount <= o.starvedFlowRatio * upCount;
    if (!queued && !starved) {
      this.#run = 0;
      return undefined;
    }
    if (this.#run === 0) this.#firstAnomalyAtMs = atMs;
    this.#run += 1;
    if (this.#run < o.confirmIntervals || atMs < this.#silentUntilMs) return undefined;
    this.#silentUntilMs = atMs + o.cooldownMs;
    return { detectedAtMs: atMs, firstAnomalyAtMs: this.#firstAnomalyAtMs, upstream: up, downstream: down, signature: queued ? 'occupancy-difference' : 'starved-downstream' };
  }
}
