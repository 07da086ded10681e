import { requireNumber } from './number-checks.js';

/** A smoothed detector value and when it was last fed. */
export interface Smoothed {
  readonly value: number;
  readonly atMs: number;
}

/**
 * Exponential smoothing for readings that arrive at irregular intervals: after a gap of dt the
 * new reading weighs `1 - exp(-dt / tau)`, so one reading 20 s after the last moves the value as
 * far as it would in a steady stream of 20 s readings, and a reading after a long silence
 * replaces the value almost whole. With a fixed interval this is ordinary EWMA with
 * alpha = 1 - exp(-interval / tau).
 *
 * @throws {TrafficInputError} for a time constant that is not > 0 or a reading out of order.
 */
export function smooth(previous: Smoothed | undefined, value: number, atMs: number, timeConstantMs: number): Smoothed {
  requireNumber(timeConstantMs, 'timeConstantMs', { above: 0 });
  requireNumber(value, 'value', {});
  if (previous === undefined) return { value, atMs };
  requireNumber(atMs, 'atMs', { min: previous.atMs });
  const weight = 1 - Math.exp(-(atMs - previous.atMs) / timeConstantMs);
  return { value: previous.value + weight * (value - previous.value), atMs };
}

/** The value, or undefined when it was last fed more than `maxAgeMs` before `nowMs` (the detector has gone quiet). */
export function fresh(smoothed: Smoothed | undefined, nowMs: number, maxAgeMs: number): number | undefined {
  if (smoothed === undefined || nowMs - smoothed.atMs > maxAgeMs) return undefined;
  return smoothed.value;
}
