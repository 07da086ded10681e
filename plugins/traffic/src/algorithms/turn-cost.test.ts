import { describe, expect, it } from 'vitest';
import { turnAngleDeg, turnPenaltyS, uniformSignalDelayS } from './turn-cost.js';

describe('turnAngleDeg', () => {
  it('is positive to the right and negative to the left, whatever the bearings wrap', () => {
    expect(turnAngleDeg(0, 90)).toBe(90); // north, then east: right
    expect(turnAngleDeg(0, 270)).toBe(-90); // north, then west: left
    expect(turnAngleDeg(350, 10)).toBe(20);
    expect(turnAngleDeg(90, 270)).toBe(180);
  });
});

describe('turnPenaltyS', () => {
  it("follows OSRM's car profile: ~0 straight, 2.1 s right, 5.4 s left, U-turns cost 20 s more", () => {
    expect(turnPenaltyS(0)).toBeCloseTo(0.0069, 3);
    // right: 7.5 / (1 + e^-(12.093 * 0.5 - 6.9875)) = 7.5 / (1 + e^0.9412) = 2.104
    expect(turnPenaltyS(90)).toBeCloseTo(2.104, 2);
    // left: 7.5 / (1 + e^-(13.975 * 0.5 - 6.0465)) = 7.5 / (1 + e^-0.9410) = 5.396
    expect(turnPenaltyS(-90)).toBeCloseTo(5.396, 2);
    expect(turnPenaltyS(180)).toBeGreaterThan(20 + 7);
  });
});

describe('uniformSignalDelayS', () => {
  it("is Webster's first term", () => {
    expect(uniformSignalDelayS(60, 25, 0.3)).toBeCloseTo(14.583, 3);
  });

  it('is zero for an approach that is always green, and bounded near saturation', () => {
    expect(uniformSignalDelayS(60, 60, 0.5)).toBe(0);
    expect(uniformSignalDelayS(60, 25, 2)).toBeCloseTo((60 * (35 / 60) ** 2) / (2 * 0.05), 9);
  });
});
