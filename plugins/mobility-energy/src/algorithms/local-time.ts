import { EnergyInputError } from './errors.js';

const MS_PER_MINUTE = 60_000;
export const MINUTES_PER_DAY = 1440;
export const MS_PER_DAY = MINUTES_PER_DAY * MS_PER_MINUTE;

/** `HH:MM` (24 h, local time) as minutes after midnight; `24:00` is the end of the day. */
export function minuteOfClock(text: string, path: string): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  const minute = match === null ? Number.NaN : Number(match[1]) * 60 + Number(match[2]);
  if (!(minute <= MINUTES_PER_DAY)) throw new EnergyInputError(path, `must be a local time HH:MM between 00:00 and 24:00, got ${JSON.stringify(text)}`);
  return minute;
}

/** Midnight, local time, of the day `ms` falls in, as epoch milliseconds. */
export function startOfLocalDay(ms: number, utcOffsetMinutes: number): number {
  const offsetMs = utcOffsetMinutes * MS_PER_MINUTE;
  return Math.floor((ms + offsetMs) / MS_PER_DAY) * MS_PER_DAY - offsetMs;
}

/** Minutes after local midnight, fractional. */
export function localMinuteOfDay(ms: number, utcOffsetMinutes: number): number {
  return (ms - startOfLocalDay(ms, utcOffsetMinutes)) / MS_PER_MINUTE;
}
