import { FillForecast } from './algorithms/fill-forecast.js';
import type { FillForecastOptions, FillObservation } from './algorithms/fill-forecast.js';
import type { BinConfig } from './config.js';

/** What waste knows of one bin beyond its configuration. Immutable: a handler builds the next one, then commits it. */
export interface BinState {
  readonly forecast: FillForecast;
  /** The latest reading taken (including one the forecast holds as a suspected emptying): readings must come after it. */
  readonly latest: FillObservation | undefined;
  /** When the current cycle's overflow was raised: once per filling. */
  readonly overflowedAtMs: number | undefined;
  /** When a route missed the bin: it is collected with the next shift whatever its forecast. */
  readonly missedAtMs: number | undefined;
  /** Collect at this fill (the configured threshold, or the bin's own FIWARE binFullnessThreshold). */
  readonly thresholdPct: number;
  readonly weightKg: number | undefined;
  readonly temperatureC: number | undefined;
  /** The FIWARE `status` when not `ok` (lidOpen, dropped, vandalized, burning, ...). */
  readonly condition: string | undefined;
}

const NGSI_LD_PREFIX = 'urn:ngsi-ld:wastecontainer:';

/** The configured bins, how to find them from a FIWARE entity id, and their live state. */
export class BinRegistry {
  readonly #bins = new Map<string, BinConfig>();
  readonly #byFiwareId = new Map<string, BinConfig>();
  readonly #states = new Map<string, BinState>();

  constructor(bins: readonly BinConfig[], forecastOptions: FillForecastOptions) {
    for (const bin of bins) {
      this.#bins.set(bin.id, bin);
      if (bin.fiwareId !== undefined) this.#byFiwareId.set(bin.fiwareId, bin);
      this.#states.set(bin.id, {
        forecast: new FillForecast(forecastOptions),
        latest: undefined,
        overflowedAtMs: undefined,
        missedAtMs: undefined,
        thresholdPct: bin.thresholdPct,
        weightKg: undefined,
        temperatureC: undefined,
        condition: undefined,
      });
    }
  }

  get size(): number {
    return this.#bins.size;
  }

  bin(binId: string): BinConfig | undefined {
    return this.#bins.get(binId);
  }

  /**
   * The bin of a FIWARE WasteContainer entity: by its configured `fiwareId`, by the bin id itself,
   * or by an NGSI-LD id `urn:ngsi-ld:WasteContainer:<bin id>` (the type segment in any case).
   */
  binOfEntity(entityId: string): BinConfig | undefined {
    const mapped = this.#byFiwareId.get(entityId) ?? this.#bins.get(entityId);
    if (mapped !== undefined) return mapped;
    return entityId.toLowerCase().startsWith(NGSI_LD_PREFIX) ? this.#bins.get(entityId.slice(NGSI_LD_PREFIX.length)) : undefined;
  }

  state(binId: string): BinState {
    const state = this.#states.get(binId);
    if (state === undefined) throw new RangeError(`unknown bin ${JSON.stringify(binId)}`);
    return state;
  }

  commit(binId: string, state: BinState): void {
    if (!this.#states.has(binId)) throw new RangeError(`unknown bin ${JSON.stringify(binId)}`);
    this.#states.set(binId, state);
  }

  /** Every bin with its state, in configuration order. */
  *entries(): IterableIterator<{ readonly bin: BinConfig; readonly state: BinState }> {
    for (const bin of this.#bins.values()) yield { bin, state: this.#states.get(bin.id)! };
  }
}
