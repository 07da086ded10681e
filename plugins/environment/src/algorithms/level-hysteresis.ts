/**
 * Alert levels with a dead band: level k (1..n) is entered as soon as the value rises above
 * `thresholds[k-1]`, and left downwards only once the value is at or below that threshold minus
 * `deadBand`. A value hovering around a threshold therefore raises an alert once and does not
 * flap; a value that drops far falls through several levels at once.
 */
export interface LevelHysteresis {
  /** Ascending thresholds; level 0 is "no alert". */
  readonly thresholds: readonly number[];
  readonly deadBand: number;
}

/** The level `value` puts an alert in, coming from `current`. */
export function nextLevel(current: number, value: number, { thresholds, deadBand }: LevelHysteresis): number {
  const reached = thresholds.filter((threshold) => value > threshold).length;
  if (reached >= current) return reached;
  let level = current;
  while (level > reached && value <= thresholds[level - 1]! - deadBand) level--;
  return level;
}
