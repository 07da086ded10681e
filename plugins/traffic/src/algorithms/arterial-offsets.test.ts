import { describe, expect, it } from 'vitest';
import { greenWaveOffsets, offsetCorrectionS } from './arterial-offsets.js';

describe('greenWaveOffsets', () => {
  it('starts each arterial green one block of driving after the previous one', () => {
    const offsets = greenWaveOffsets(
      [
        { intersectionId: 'x20', phaseStartS: 25, travelFromPreviousS: 0 },
        { intersectionId: 'x21', phaseStartS: 25, travelFromPreviousS: 24 },
        { intersectionId: 'x22', phaseStartS: 25, travelFromPreviousS: 24 },
      ],
      60,
    );
    // Greens at 0, 24, 48 s; cycles start 25 s earlier: -25, -1, 23 -> 35, 59, 23 (mod 60).
    expect([...offsets]).toEqual([
      ['x20', 35],
      ['x21', 59],
      ['x22', 23],
    ]);
  });

  it('handles arterial phases that start at different points of their cycles', () => {
    const offsets = greenWaveOffsets(
      [
        { intersectionId: 'a', phaseStartS: 0, travelFromPreviousS: 0 },
        { intersectionId: 'b', phaseStartS: 30, travelFromPreviousS: 40 },
      ],
      80,
    );
    expect(offsets.get('a')).toBe(0);
    expect(offsets.get('b')).toBe(10);
  });

  it('refuses an empty arterial', () => {
    expect(() => greenWaveOffsets([], 60)).toThrow(/signals/);
  });
});

describe('offsetCorrectionS', () => {
  const referenceMs = 1_000_000;
  it('is zero for a cycle that starts on its offset', () => {
    expect(offsetCorrectionS(referenceMs + 35_000 + 3 * 60_000, referenceMs, 35, 60, 4)).toBe(0);
  });

  it('shortens the next cycle when the cycle starts late, by at most the step', () => {
    // 10 s late: shorten by 4 (the step), then 4, then 2.
    expect(offsetCorrectionS(referenceMs + 45_000, referenceMs, 35, 60, 4)).toBe(-4);
    expect(offsetCorrectionS(referenceMs + 37_000, referenceMs, 35, 60, 4)).toBe(-2);
  });

  it('lengthens it when it starts early, taking the shorter way round', () => {
    // 50 s late is 10 s early: lengthen.
    expect(offsetCorrectionS(referenceMs + 25_000, referenceMs, 35, 60, 4)).toBe(4);
    expect(offsetCorrectionS(referenceMs + 33_000, referenceMs, 35, 60, 4)).toBe(2);
  });
});
