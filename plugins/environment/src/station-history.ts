import { environment } from '@polis/contracts';
import { HOUR_MS, hourlyAverages } from './algorithms/hourly-averages.js';
import type { Sample } from './algorithms/hourly-averages.js';

const { POLLUTANTS } = environment;
type Pollutant = environment.Pollutant;

/** Hours of history kept: the 24 the indices look back over, and one for readings that straddle. */
const KEPT_MS = 25 * HOUR_MS;

/** Hourly averages of every pollutant, most recent first. */
export type HourlyByPollutant = Readonly<Record<Pollutant, readonly (number | undefined)[]>>;

/**
 * One station's recent concentrations (ug/m3) per pollutant. A sample for the same end time as
 * one already held replaces it, so a redelivered reading changes nothing and a corrected one
 * takes the old one's place.
 */
export class StationHistory {
  readonly #samples = new Map<Pollutant, Sample[]>(POLLUTANTS.map((pollutant) => [pollutant, []]));
  /** The end of the latest reading: the station's clock. */
  latestMs = Number.NEGATIVE_INFINITY;

  add(pollutant: Pollutant, sample: Sample): void {
    const samples = this.#samples.get(pollutant)!;
    const same = samples.findIndex((held) => held.endMs === sample.endMs);
    if (same >= 0) samples[same] = sample;
    else {
      samples.push(sample);
      if (samples.length > 1 && samples[samples.length - 2]!.endMs > sample.endMs) samples.sort((a, b) => a.endMs - b.endMs);
    }
    if (sample.endMs > this.latestMs) {
      this.latestMs = sample.endMs;
      this.#prune();
    }
  }

  /** The 24 hourly averages of each pollutant ending at `anchorMs`. */
  hourly(anchorMs: number): HourlyByPollutant {
    return Object.fromEntries(POLLUTANTS.map((pollutant) => [pollutant, hourlyAverages(this.#samples.get(pollutant)!, anchorMs, 24)])) as Record<Pollutant, (number | undefined)[]>;
  }

  #prune(): void {
    const oldestMs = this.latestMs - KEPT_MS;
    for (const samples of this.#samples.values()) {
      const keepFrom = samples.findIndex((sample) => sample.endMs > oldestMs);
      if (keepFrom > 0) samples.splice(0, keepFrom);
      else if (keepFrom === -1) samples.length = 0;
    }
  }
}
