import type { waste } from '@polis/contracts';
import type { Static } from '@polis/plugin-api';
import type { FillObservation, ObservationEffect } from './algorithms/fill-forecast.js';
import type { BinState } from './bin-registry.js';
import type { BinConfig } from './config.js';
import { isoTime } from './iso-time.js';

export type RejectionCode = Static<typeof waste.WasteRejectionCode>;

/** A refusal: the stable code, which field of the input is at fault, and why. */
export interface Refusal {
  readonly code: RejectionCode;
  readonly field: 'time' | 'fill';
  readonly reason: string;
}

/** What a reading does to a bin: refused, or the bin's next state (and whether it overflowed just now). */
export type Intake =
  | { readonly accepted: false; readonly refusal: Refusal }
  | { readonly accepted: true; readonly state: BinState; readonly effect: ObservationEffect | 'duplicate'; readonly overflowed: boolean };

/** How old or how far ahead a time may be. */
export interface TimeLimits {
  readonly maxClockSkewS: number;
  readonly maxAgeS: number;
}

/**
 * Whether a time can be believed: not later than now plus the allowed clock skew (a sensor with
 * a wrong clock), not older than the oldest reading waste uses (a gateway replaying an old buffer).
 */
export function checkTime(timeMs: number, nowMs: number, limits: TimeLimits): Refusal | undefined {
  if (!Number.isFinite(timeMs)) return { code: 'OUT_OF_RANGE', field: 'time', reason: 'not a valid time' };
  if (timeMs > nowMs + limits.maxClockSkewS * 1000) {
    return { code: 'FUTURE_TIMESTAMP', field: 'time', reason: `${isoTime(timeMs)} is later than now (${isoTime(nowMs)}) plus the allowed clock skew of ${limits.maxClockSkewS} s` };
  }
  if (timeMs < nowMs - limits.maxAgeS * 1000) {
    return { code: 'STALE_TIMESTAMP', field: 'time', reason: `${isoTime(timeMs)} is more than ${limits.maxAgeS} s before now (${isoTime(nowMs)})` };
  }
  return undefined;
}

/**
 * A fill reading applied to a bin's state, or why it cannot be: a bad time, a reading not after the
 * bin's latest (a redelivered duplicate of the latest is accepted and changes nothing), a fill
 * outside 0-100 %. An accepted reading at or above the bin's overflow level overflows it, once
 * per filling, if it is believable: near the forecast (closer than the forecast's
 * `emptiedDropPct`, the same tolerance that makes a low reading suspect), confirmed by the reading
 * before it, or with the forecast level there too. A lone wild reading (a bag held under the
 * sensor) does not raise an overflow; the next one decides.
 */
export function takeReading(bin: BinConfig, state: BinState, reading: FillObservation, nowMs: number, limits: TimeLimits): Intake {
  const timing = checkTime(reading.timeMs, nowMs, limits);
  if (timing !== undefined) return { accepted: false, refusal: timing };
  if (!(reading.fillPct >= 0 && reading.fillPct <= 100)) {
    return { accepted: false, refusal: { code: 'OUT_OF_RANGE', field: 'fill', reason: `a fill of ${reading.fillPct} % is outside 0-100 %` } };
  }
  const latest = state.latest;
  if (latest !== undefined && reading.timeMs <= latest.timeMs) {
    if (reading.timeMs === latest.timeMs && reading.fillPct === latest.fillPct) return { accepted: true, state, effect: 'duplicate', overflowed: false };
    const what = reading.timeMs === latest.timeMs ? 'at the same time as' : 'before';
    return { accepted: false, refusal: { code: 'OUT_OF_ORDER', field: 'time', reason: `observed ${what} the bin's latest reading (${isoTime(latest.timeMs)})` } };
  }
  const expected = state.forecast.levelAt(reading.timeMs);
  const { forecast, effect } = state.forecast.observe(reading);
  const newCycle = effect === 'emptied';
  const overflowedAtMs = newCycle ? undefined : state.overflowedAtMs;
  const believable =
    expected === undefined ||
    reading.fillPct - expected < state.forecast.options.emptiedDropPct ||
    (latest !== undefined && latest.fillPct >= bin.overflowPct) ||
    (forecast.levelAt(reading.timeMs) ?? 0) >= bin.overflowPct;
  const overflowed = effect === 'reading' && overflowedAtMs === undefined && reading.fillPct >= bin.overflowPct && believable;
  return {
    accepted: true,
    effect,
    overflowed,
    state: {
      ...state,
      forecast,
      latest: reading,
      overflowedAtMs: overflowed ? reading.timeMs : overflowedAtMs,
      missedAtMs: newCycle ? undefined : state.missedAtMs,
    },
  };
}

/** A bin's state after a truck emptied it: a new cycle from 0 %, no overflow, not missed. */
export function emptiedState(state: BinState, emptiedAtMs: number): BinState {
  // Readings must still come after the latest, whether that is the pickup or a reading after it.
  const latest = state.latest !== undefined && state.latest.timeMs > emptiedAtMs ? state.latest : { timeMs: emptiedAtMs, fillPct: 0 };
  return { ...state, forecast: state.forecast.emptied(emptiedAtMs), latest, overflowedAtMs: undefined, missedAtMs: undefined };
}
