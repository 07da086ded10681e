import { describe, expect, it } from 'vitest';
import { shareAt, waterLevel } from './water-level.js';

const all = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('waterLevel', () => {
  it('splits the capacity equally when no cap binds: 12 kW over three chargers is 4 kW each', () => {
    expect(waterLevel([0, 0, 0], [10, 10, 10], all(3), 12)).toBe(4);
  });

  it('gives what a capped member cannot take to the others: caps 10, 2, 10 on 12 kW share as 5, 2, 5', () => {
    const level = waterLevel([0, 0, 0], [10, 2, 10], all(3), 12);
    expect(level).toBe(5);
    expect([10, 2, 10].map((cap) => shareAt(level, 0, cap))).toEqual([5, 2, 5]);
  });

  it('holds a member with a higher floor at its floor and levels the rest: floors 6, 0, 0 on 12 kW are 6, 3, 3', () => {
    const level = waterLevel([6, 0, 0], [20, 20, 20], all(3), 12);
    expect(level).toBe(3);
    expect([6, 0, 0].map((floor) => shareAt(level, floor, 20))).toEqual([6, 3, 3]);
  });

  it('lifts everyone above their floors once the level passes them: floors 4.2, 4.2 on 11 kW are 5.5 each', () => {
    expect(waterLevel([4.2, 4.2], [11, 11], all(2), 11)).toBeCloseTo(5.5, 12);
  });

  it('is unbounded when every cap fits: nothing needs sharing', () => {
    expect(waterLevel([0, 1], [3, 4], all(2), 7)).toBe(Number.POSITIVE_INFINITY);
  });

  it('returns the floors when they exactly fill the capacity', () => {
    const floors = [2, 3, 5];
    const level = waterLevel(floors, [9, 9, 9], all(3), 10);
    expect(floors.map((floor) => shareAt(level, floor, 9))).toEqual(floors);
  });

  it('counts only the selected members', () => {
    // Members 1 and 3 of a larger array share 6 kW.
    expect(waterLevel([0, 0, 0, 0], [9, 9, 9, 9], [1, 3], 6)).toBe(3);
  });

  it('ignores a member whose floor equals its cap: it neither rises nor stops the others', () => {
    const level = waterLevel([4, 0], [4, 10], all(2), 7);
    expect(level).toBe(3);
  });
});
