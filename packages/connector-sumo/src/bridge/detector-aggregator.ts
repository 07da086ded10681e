import type { LoopPassage } from '../traci/traci-client.js';

/** One loop's aggregate over an interval, in a Polis detector reading's units. */
export interface LoopAggregate {
  readonly flowVph: number;
  readonly occupancyPct: number;
  /** Time-mean speed of the vehicles that passed (what loop controllers report); undefined when none did. */
  readonly speedKph: number | undefined;
  readonly vehicles: number;
}

/**
 * Aggregates an induction loop's per-step data into interval readings, as a field loop
 * controller does: each vehicle is counted once, when its back leaves the loop; its speed is its
 * length over the time it occupied the loop (a point detector); occupancy is the mean of SUMO's
 * per-step occupancy.
 */
export class DetectorAggregator {
  #counted = new Set<string>();
  #vehicles = 0;
  #speedSumKph = 0;
  #occupancySum = 0;
  #steps = 0;

  /** Adds one step's data. */
  add(passages: readonly LoopPassage[], occupancyPct: number): void {
    this.#steps += 1;
    this.#occupancySum += occupancyPct;
    const current = new Set<string>();
    for (const passage of passages) {
      current.add(passage.vehicleId);
      if (passage.leaveTimeS < 0 || this.#counted.has(passage.vehicleId)) continue;
      this.#counted.add(passage.vehicleId);
      this.#vehicles += 1;
      const occupiedS = passage.leaveTimeS - passage.entryTimeS;
      this.#speedSumKph += occupiedS > 0 ? (passage.lengthM / occupiedS) * 3.6 : 0;
    }
    // Forget vehicles that have left, so the set stays small.
    for (const id of this.#counted) if (!current.has(id)) this.#counted.delete(id);
  }

  /** The aggregate since the last call, over `intervalS` seconds; starts the next interval. */
  take(intervalS: number): LoopAggregate {
    const aggregate = {
      flowVph: (this.#vehicles * 3600) / intervalS,
      occupancyPct: this.#steps === 0 ? 0 : Math.min(100, this.#occupancySum / this.#steps),
      speedKph: this.#vehicles === 0 ? undefined : this.#speedSumKph / this.#vehicles,
      vehicles: this.#vehicles,
    };
    this.#vehicles = 0;
    this.#speedSumKph = 0;
    this.#occupancySum = 0;
    this.#steps = 0;
    return aggregate;
  }
}
