import { describe, expect, it } from 'vitest';
import { nextLevel } from './level-hysteresis.js';

const levels = { thresholds: [100, 150, 200, 300], deadBand: 15 };
const run = (values: readonly number[]) => {
  let level = 0;
  return values.map((value) => (level = nextLevel(level, value, levels)));
};

describe('nextLevel', () => {
  it('raises above a threshold and clears only below it minus the dead band', () => {
    expect(run([90, 101, 95, 86, 85, 90])).toEqual([0, 1, 1, 1, 0, 0]);
  });

  it('does not flap on noise around the threshold', () => {
    const noisy = [98, 102, 97, 103, 99, 101, 96, 104, 100, 98];
    const trace = run(noisy);
    expect(trace.slice(1)).toEqual(Array(noisy.length - 1).fill(1));
    // One raise at 102, then no change at all.
    const changes = trace.filter((level, i) => i > 0 && level !== trace[i - 1]).length;
    expect(changes).toBe(1);
  });

  it('climbs several levels at once and falls through them when the value drops far', () => {
    // 250 is above 100, 150 and 200: level 3. 160 is at or below 200 - 15 but not 150 - 15: level 2,
    // where 140 (above 135) keeps it. 40 is below every band: no alert.
    expect(run([50, 250, 160, 140, 40])).toEqual([0, 3, 2, 2, 0]);
  });

  it('steps down one level once below that level\'s threshold minus the dead band', () => {
    // At level 2 (above 150): 140 is within the band (> 135) -> stays; 135 -> level 1.
    expect(run([160, 140, 135, 120])).toEqual([2, 2, 1, 1]);
  });
});
