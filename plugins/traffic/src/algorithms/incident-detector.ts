import { TrafficInputError } from './errors.js';
import { numberProblem, requireNumber, type NumberRule } from './number-checks.js';

/** How sensitive the detector is. All fields have defaults, see {@link DEFAULT_INCIDENT_DETECTOR_OPTIONS}. */
export interface IncidentDetectorOptions {
  /** Speed must fall below (1 - speedDropRatio) × baseline speed; in (0, 1]. */
  readonly speedDropRatio: number;
  /** Occupancy must rise above baseline + this many percentage points. */
  readonly occupancyRisePct: number;
  /** Consecutive anomalous readings needed to report, so one noisy reading is not an incident. */
  readonly confirmReadings: number;
  /** Readings needed in a detector's baseline before it judges anything (the warm-up). */
  readonly minBaselineReadings: number;
  /** The baseline is the median of at most this many most recent normal readings. */
  readonly baselineReadings: number;
  /** After a report, the detector stays silent for at least this long. */
  readonly cooldownMs: number;
  /**
   * Readings further apart than this are not consecutive: a run of anomalous readings restarts
   * after a gap (a detector that was down says nothing about the time in between).
   */
  readonly maxGapMs: number;
}

/**
 * Defaults for 20-30 s detector intervals: a drop to below 60 % of normal speed with 15 points
 * more occupancy, held for 3 readings (about a minute), judged after 10 readings of history
 * against the median of the last 30 normal ones, one report per 10 minutes at most, and a run
 * broken by two minutes without readings.
 */
export const DEFAULT_INCIDENT_DETECTOR_OPTIONS: IncidentDetectorOptions = {
  speedDropRatio: 0.4,
  occupancyRisePct: 15,
  confirmReadings: 3,
  minBaselineReadings: 10,
  baselineReadings: 30,
  cooldownMs: 10 * 60_000,
  maxGapMs: 2 * 60_000,
};

/** One aggregated reading of a lane detector. */
export interface DetectorReading {
  readonly detectorId: string;
  /** Epoch ms; must increase from one reading of a detector to the next. */
  readonly timeMs: number;
  readonly speedKph: number;
  /** Share of time a vehicle was over the detector, 0-100. */
  readonly occupancyPct: number;
  readonly flowVph: number;
  /** The aggregation interval, seconds, when the source says (station pairs turn flows back into counts). */
  readonly intervalS?: number;
}

/** Why an incident was reported: the baseline and the reading that confirmed it. */
export interface IncidentEvidence {
  readonly detectorId: string;
  /** Time of the reading that confirmed the incident. */
  readonly detectedAtMs: number;
  /** Time of the first reading of the anomalous run. */
  readonly firstAnomalyAtMs: number;
  readonly baselineSpeedKph: number;
  readonly baselineOccupancyPct: number;
  readonly speedKph: number;
  readonly occupancyPct: number;
  readonly flowVph: number;
  /** 1 - speed / baseline speed. */
  readonly speedDropRatio: number;
  /** Occupancy minus baseline occupancy, percentage points. */
  readonly occupancyRisePct: number;
}

interface DetectorState {
  /** Recent normal readings, oldest first: the baseline. */
  readonly speedsKph: number[];
  readonly occupanciesPct: number[];
  lastTimeMs: number;
  anomalyRun: number;
  firstAnomalyAtMs: number;
  /** Set by a report: the first normal reading at or after this time re-arms the detector. */
  rearmAfterMs: number | undefined;
}

/**
 * Flags incidents from lane detector readings: speed well below the detector's usual speed
 * together with occupancy well above its usual occupancy, for several readings in a row.
 *
 * "Usual" is a per-detector baseline, the median of the recent normal readings. The median
 * shrugs off odd readings, and anomalous readings never enter it, so an incident (or a long
 * queue behind one) cannot drag the baseline down and hide itself. The price is that a regime
 * change abrupt enough to look like an incident is reported as one.
 *
 * After a report a detector is silent until the cooldown has passed and a normal reading has
 * been seen since, so a persisting or flapping incident is reported once.
 */
export class IncidentDetector {
  readonly #options: IncidentDetectorOptions;
  readonly #states = new Map<string, DetectorState>();

  /** @throws {TrafficInputError} for out-of-range options. */
  constructor(options: Partial<IncidentDetectorOptions> = {}) {
    const merged = { ...DEFAULT_INCIDENT_DETECTOR_OPTIONS, ...options };
    requireNumber(merged.speedDropRatio, 'options.speedDropRatio', { above: 0, max: 1 });
    requireNumber(merged.occupancyRisePct, 'options.occupancyRisePct', { min: 0, max: 100 });
    requireNumber(merged.confirmReadings, 'options.confirmReadings', { integer: true, min: 1 });
    requireNumber(merged.minBaselineReadings, 'options.minBaselineReadings', { integer: true, min: 1 });
    requireNumber(merged.baselineReadings, 'options.baselineReadings', { integer: true, min: merged.minBaselineReadings });
    requireNumber(merged.cooldownMs, 'options.cooldownMs', { min: 0 });
    requireNumber(merged.maxGapMs, 'options.maxGapMs', { above: 0 });
    this.#options = merged;
  }

  /**
   * Takes the next reading of a detector; returns evidence when it confirms an incident.
   *
   * @throws {TrafficInputError} for a negative flow or speed, occupancy outside 0-100, any
   * non-finite value, or a reading not later than the detector's previous one.
   */
  observe(reading: DetectorReading): IncidentEvidence | undefined {
    const state = this.#stateAfter(reading);
    const { speedDropRatio, occupancyRisePct, confirmReadings, minBaselineReadings, baselineReadings, cooldownMs } = this.#options;
    if (state.speedsKph.length < minBaselineReadings) {
      remember(state, reading, baselineReadings);
      return undefined;
    }
    const baselineSpeedKph = median(state.speedsKph);
    const baselineOccupancyPct = median(state.occupanciesPct);
    const anomalous = reading.speedKph < (1 - speedDropRatio) * baselineSpeedKph && reading.occupancyPct > baselineOccupancyPct + occupancyRisePct;
    if (!anomalous) {
      state.anomalyRun = 0;
      if (state.rearmAfterMs !== undefined && reading.timeMs >= state.rearmAfterMs) state.rearmAfterMs = undefined;
      remember(state, reading, baselineReadings);
      return undefined;
    }
    if (state.anomalyRun === 0) state.firstAnomalyAtMs = reading.timeMs;
    state.anomalyRun += 1;
    if (state.anomalyRun < confirmReadings || state.rearmAfterMs !== undefined) return undefined;
    state.rearmAfterMs = reading.timeMs + cooldownMs;
    return {
      detectorId: reading.detectorId,
      detectedAtMs: reading.timeMs,
      firstAnomalyAtMs: state.firstAnomalyAtMs,
      baselineSpeedKph,
      baselineOccupancyPct,
      speedKph: reading.speedKph,
      occupancyPct: reading.occupancyPct,
      flowVph: reading.flowVph,
      speedDropRatio: 1 - reading.speedKph / baselineSpeedKph,
      occupancyRisePct: reading.occupancyPct - baselineOccupancyPct,
    };
  }

  /** Validates a reading and returns its detector's state, with the reading's time recorded. */
  #stateAfter(reading: DetectorReading): DetectorState {
    const id = reading.detectorId;
    if (typeof id !== 'string' || id === '') throw new TrafficInputError('reading.detectorId', 'must be a non-empty string');
    const check = (field: keyof DetectorReading, rule: NumberRule): void => {
      const problem = numberProblem(reading[field], rule);
      if (problem !== undefined) throw new TrafficInputError(`reading.${field}`, `${problem} (detector ${JSON.stringify(id)})`);
    };
    check('timeMs', {});
    check('speedKph', { min: 0 });
    check('occupancyPct', { min: 0, max: 100 });
    check('flowVph', { min: 0 });
    const state = this.#states.get(id) ?? {
      speedsKph: [],
      occupanciesPct: [],
      lastTimeMs: Number.NEGATIVE_INFINITY,
      anomalyRun: 0,
      firstAnomalyAtMs: 0,
      rearmAfterMs: undefined,
    };
    // Out-of-order or repeated readings would double-count towards confirmation.
    if (reading.timeMs <= state.lastTimeMs) {
      throw new TrafficInputError('reading.timeMs', `must be after the previous reading of detector ${JSON.stringify(id)} at ${state.lastTimeMs}, got ${reading.timeMs}`);
    }
    if (reading.timeMs - state.lastTimeMs > this.#options.maxGapMs) state.anomalyRun = 0;
    state.lastTimeMs = reading.timeMs;
    this.#states.set(id, state);
    return state;
  }
}

/** Adds a normal reading to the baseline, dropping the oldest beyond the window. */
function remember(state: DetectorState, reading: DetectorReading, window: number): void {
  state.speedsKph.push(reading.speedKph);
  state.occupanciesPct.push(reading.occupancyPct);
  if (state.speedsKph.length > window) {
    state.speedsKph.shift();
    state.occupanciesPct.shift();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
