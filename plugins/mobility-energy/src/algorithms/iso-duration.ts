import { EnergyInputError } from './errors.js';

const ISO_DURATION = /^P(?=\d|T\d)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * An ISO 8601 duration in days, hours, minutes and seconds (`PT2H`, `P1DT30M`, `PT0.5S`), as
 * OpenADR 3 writes interval durations, in milliseconds. Years, months and weeks are refused:
 * their length depends on the calendar, and grid events do not use them.
 */
export function isoDurationMs(text: string): number {
  const match = ISO_DURATION.exec(text);
  if (match === null) throw new EnergyInputError('duration', `must be an ISO 8601 duration such as PT2H (days, hours, minutes, seconds), got ${JSON.stringify(text)}`);
  const [, days, hours, minutes, seconds] = match;
  return ((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes ?? 0)) * 60_000 + Number(seconds ?? 0) * 1000;
}
