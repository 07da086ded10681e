import { median, theilSenSlope } from './theil-sen.js';

const HOUR_MS = 3_600_000;

/** One fill reading: when, and how full (0-100 %). */
export interface FillObservation {
  readonly timeMs: number;
  readonly fillPct: number;
}

export interface FillForecastOptions {
  /** Fill rate assumed for a bin with no history yet, % per hour. */
  readonly priorRatePctPerHour: number;
  /** How many readings the prior rate is worth when blended with a new cycle's own estimate. */
  readonly priorWeight: number;
  /** A reading this far below the trend ... */
  readonly emptiedDropPct: number;
  /** ... and at most this full suggests the bin was emptied (confirmed by the next reading). */
  readonly emptiedBelowPct: number;
  /** Readings of the current cycle kept for the estimate (the latest). */
  readonly cycleReadings: number;
  /** Completed cycles whose rates make the prior. */
  readonly historyCycles: number;
}

export const DEFAULT_FILL_FORECAST_OPTIONS: FillForecastOptions = {
  priorRatePctPerHour: 1.5,
  priorWeight: 4,
  emptiedDropPct: 30,
  emptiedBelowPct: 30,
  cycleReadings: 48,
  historyCycles: 5,
};

/** What a reading did to the forecast. */
export type ObservationEffect =
  /** It joined the current fill cycle. */
  | 'reading'
  /** It is far below the trend: the bin may have been emptied; the next reading decides. */
  | 'suspect'
  /** It confirmed a suspected emptying: a new cycle began at the suspect reading. */
  | 'emptied';

/**
 * A bin's fill forecast, robust to sensor noise and to emptying. Between emptyings a bin fills at
 * a roughly steady rate; the rate of the current cycle is the Theil-Sen slope of its readings (a
 * median of pairwise slopes, so a bag held under the sensor or an echo does not tilt it), blended
 * with the rates of past cycles while the cycle has few readings, and the level is the median of
 * the readings carried to the latest time along that rate. A reading far below the trend starts a
 * new cycle only once the next reading agrees; a lone low glitch is dropped. A truck's confirmed
 * pickup starts a new cycle at once, at 0 %.
 *
 * Immutable: `observe` and `emptied` return a new forecast, so a caller can decide what to do with
 * the outcome before keeping it.
 */
export class FillForecast {
  readonly options: FillForecastOptions;
  /** Readings since the bin was last emptied, oldest first. */
  readonly cycle: readonly FillObservation[];
  /** A reading suggesting an emptying, awaiting the next reading. */
  readonly suspect: FillObservation | undefined;
  /** Fill rates of past cycles, % per hour, latest last. */
  readonly pastRates: readonly number[];
  /** When the bin was last emptied, if known. */
  readonly emptiedAtMs: number | undefined;
  readonly #rate: number;
  readonly #level: number;

  constructor(options: FillForecastOptions = DEFAULT_FILL_FORECAST_OPTIONS, cycle: readonly FillObservation[] = [], suspect?: FillObservation, pastRates: readonly number[] = [], emptiedAtMs?: number) {
    this.options = options;
    this.cycle = cycle;
    this.suspect = suspect;
    this.pastRates = pastRates;
    this.emptiedAtMs = emptiedAtMs;
    this.#rate = this.#estimateRate();
    const last = cycle.at(-1);
    this.#level = last === undefined ? 0 : median(cycle.map((reading) => reading.fillPct + (this.#rate * (last.timeMs - reading.timeMs)) / HOUR_MS));
  }

  /** The latest reading of the current cycle. */
  get latest(): FillObservation | undefined {
    return this.cycle.at(-1);
  }

  /** Estimated fill rate, % per hour (never negative). */
  get ratePctPerHour(): number {
    return this.#rate;
  }

  /** Forecast fill at a time at or after the latest reading, 0-100 %; undefined before any reading. */
  levelAt(timeMs: number): number | undefined {
    const last = this.latest;
    if (last === undefined) return undefined;
    return clampPct(this.#level + (this.#rate * Math.max(0, timeMs - last.timeMs)) / HOUR_MS);
  }

  /** When the forecast reaches `pct`: the latest reading's time if already there, undefined if it never will. */
  timeToReach(pct: number): number | undefined {
    const last = this.latest;
    if (last === undefined) return undefined;
    if (this.#level >= pct) return last.timeMs;
    if (this.#rate <= 0) return undefined;
    return last.timeMs + ((pct - this.#level) / this.#rate) * HOUR_MS;
  }

  /** The forecast with one more reading (which must be later than the latest). */
  observe(reading: FillObservation): { readonly forecast: FillForecast; readonly effect: ObservationEffect } {
    const { options } = this;
    const expected = this.levelAt(reading.timeMs);
    const low = expected !== undefined && expected - reading.fillPct >= options.emptiedDropPct && reading.fillPct <= options.emptiedBelowPct;
    if (low && this.suspect === undefined) return { forecast: this.#with(this.cycle, reading), effect: 'suspect' };
    if (low && this.suspect !== undefined) {
      // Two low readings in a row: the bin was emptied, at the first of them.
      return { forecast: this.#newCycle([this.suspect, reading], this.suspect.timeMs), effect: 'emptied' };
    }
    // A reading back on the trend: the suspect was a glitch and is dropped.
    const cycle = [...this.cycle, reading].slice(-options.cycleReadings);
    return { forecast: this.#with(cycle, undefined), effect: 'reading' };
  }

  /**
   * The forecast after a confirmed emptying: a new cycle from 0 % at that time. Readings already
   * taken after it (a truck's report can arrive late) stay, as the new cycle's first.
   */
  emptied(timeMs: number): FillForecast {
    const after = [...this.cycle, ...(this.suspect === undefined ? [] : [this.suspect])].filter((reading) => reading.timeMs > timeMs);
    return this.#newCycle([{ timeMs, fillPct: 0 }, ...after], timeMs);
  }

  #with(cycle: readonly FillObservation[], suspect: FillObservation | undefined): FillForecast {
    return new FillForecast(this.options, cycle, suspect, this.pastRates, this.emptiedAtMs);
  }

  #newCycle(cycle: readonly FillObservation[], emptiedAtMs: number): FillForecast {
    // A cycle's rate joins the history only if the cycle had readings of its own to measure it.
    const measured = this.cycle.length >= 2 ? [...this.pastRates, this.#rate].slice(-this.options.historyCycles) : this.pastRates;
    return new FillForecast(this.options, cycle, undefined, measured, emptiedAtMs);
  }

  #estimateRate(): number {
    const { options, cycle } = this;
    const prior = this.pastRates.length > 0 ? median(this.pastRates) : options.priorRatePctPerHour;
    const slope = theilSenSlope(cycle.map((reading) => ({ x: reading.timeMs / HOUR_MS, y: reading.fillPct })));
    if (slope === undefined) return prior;
    // Each reading after the first adds evidence; the prior counts as `priorWeight` of them.
    const evidence = cycle.length - 1;
    const blended = (evidence * Math.max(0, slope) + options.priorWeight * prior) / (evidence + options.priorWeight);
    return Math.max(0, blended);
  }
}

function clampPct(value: number): number {
  return Math.min(100, Math.max(0, value));
}
