const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** `HH:MM`, 24-hour. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The first shift start strictly after `nowMs`, for shifts starting each day at the given local
 * times (`HH:MM`) in a city `utcOffsetMinutes` ahead of UTC (Shenzhen: 480). Offsets are fixed:
 * a city with daylight saving gives the offset of the season.
 */
export function nextShiftStart(nowMs: number, starts: readonly string[], utcOffsetMinutes: number): number {
  if (starts.length === 0) throw new RangeError('no shift start times');
  const offsetMs = utcOffsetMinutes * MINUTE_MS;
  const localMidnight = Math.floor((nowMs + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
  let next = Infinity;
  for (const start of starts) {
    const match = TIME_OF_DAY.exec(start);
    if (match === null) throw new RangeError(`shift start ${JSON.stringify(start)} is not HH:MM`);
    const sinceMidnight = (Number(match[1]) * 60 + Number(match[2])) * MINUTE_MS;
    for (const day of [0, 1]) {
      const at = localMidnight + day * DAY_MS + sinceMidnight;
      if (at > nowMs && at < next) next = at;
    }
  }
  return next;
}
