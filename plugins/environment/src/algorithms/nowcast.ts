/**
 * EPA's NowCast for particles (PM2.5 and PM10), from up to 12 hourly averages, most recent first
 * (`hourly[0]` is the last hour; `undefined` marks a missing hour). Steps from EPA's "PM NowCast"
 * fact sheet and the AQI Technical Assistance Document (EPA-454/B-24-002, "How the NowCast is
 * calculated"):
 *
 * 1. the weight factor w* = min / max of the valid hours (1 - range / max), not below 0.5;
 * 2. NowCast = sum(w^i c_i) / sum(w^i) over the valid hours, i = hours ago.
 *
 * It needs 2 of the 3 most recent hours (AirNow's completeness rule); otherwise undefined. The
 * result is not truncated: the index truncates it (0.1 ug/m3 for PM2.5, 1 ug/m3 for PM10).
 */
export function nowCast(hourly: readonly (number | undefined)[]): number | undefined {
  const hours = hourly.slice(0, 12);
  const recent = hours.slice(0, 3).filter((value) => value !== undefined).length;
  if (recent < 2) return undefined;
  const valid = hours.flatMap((value, hoursAgo) => (value === undefined ? [] : [{ value, hoursAgo }]));
  const max = Math.max(...valid.map((hour) => hour.value));
  if (max <= 0) return 0;
  const min = Math.min(...valid.map((hour) => hour.value));
  const weight = Math.max(0.5, min / max);
  let weighted = 0;
  let weights = 0;
  for (const { value, hoursAgo } of valid) {
    weighted += weight ** hoursAgo * value;
    weights += weight ** hoursAgo;
  }
  return weighted / weights;
}
