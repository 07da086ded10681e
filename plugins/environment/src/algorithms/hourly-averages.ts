/** A concentration averaged over the `periodMs` ending at `endMs`. */
export interface Sample {
  readonly endMs: number;
  readonly periodMs: number;
  readonly value: number;
}

export const HOUR_MS = 3_600_000;

/**
 * Hourly averages over the `hours` consecutive hours ending at `anchorMs`, most recent first:
 * hour k covers (anchor - (k+1) h, anchor - k h]. Each sample counts for the part of its period
 * inside the hour (a time-weighted mean), so hourly, 10-minute and 1-minute readings mix. An hour
 * covered less than `minCoverage` is missing (`undefined`): GB 3095-2012 Table 4 asks for 45
 * minutes of sampling in a valid hour, the US EPA for 75 % of the hour.
 *
 * With hourly readings at the top of the hour (how regulatory stations report) and an anchor on
 * the hour, these are exactly the clock-hour averages both standards are written for; with
 * shorter readings the anchor can be any reading's time, and the hours trail it.
 */
export function hourlyAverages(samples: readonly Sample[], anchorMs: number, hours: number, minCoverage = 0.75): (number | undefined)[] {
  const weighted = new Array<number>(hours).fill(0);
  const covered = new Array<number>(hours).fill(0);
  const oldestMs = anchorMs - hours * HOUR_MS;
  for (const { endMs, periodMs, value } of samples) {
    const startMs = Math.max(endMs - periodMs, oldestMs);
    const stopMs = Math.min(endMs, anchorMs);
    if (stopMs <= startMs) continue;
    // Hours are counted back from the anchor: the sample may straddle two or more of them.
    for (let k = Math.floor((anchorMs - stopMs) / HOUR_MS); k < hours; k++) {
      const hourStart = anchorMs - (k + 1) * HOUR_MS;
      const hourEnd = hourStart + HOUR_MS;
      const overlap = Math.min(stopMs, hourEnd) - Math.max(startMs, hourStart);
      if (overlap > 0) {
        weighted[k]! += overlap * value;
        covered[k]! += overlap;
      }
      if (hourStart <= startMs) break;
    }
  }
  return weighted.map((sum, k) => (covered[k]! >= minCoverage * HOUR_MS ? sum / covered[k]! : undefined));
}

/**
 * The mean of the first `count` hours (most recent first) if at least `minValid` are present:
 * 8-hour averages need 6 hours (both standards), 24-hour ones 18 (US EPA, 75 %) or 20
 * (GB 3095-2012 Table 4).
 */
export function meanOfHours(hourly: readonly (number | undefined)[], count: number, minValid: number): number | undefined {
  const valid = hourly.slice(0, count).filter((value): value is number => value !== undefined);
  if (valid.length < minValid) return undefined;
  return valid.reduce((sum, value) => sum + value, 0) / valid.length;
}
