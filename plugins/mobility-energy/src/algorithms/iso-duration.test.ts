import { energy } from '@polis/contracts';
import { describe, expect, it } from 'vitest';
import { isoDurationMs } from './iso-duration.js';

describe('isoDurationMs', () => {
  it.each([
    ['PT2H', 7_200_000],
    ['PT90M', 5_400_000],
    ['P1DT30M', 88_200_000],
    ['PT0.5S', 500],
    ['PT1H15M30S', 4_530_000],
    ['P0D', 0],
  ])('reads %s as %d ms', (text, ms) => expect(isoDurationMs(text)).toBe(ms));

  it.each(['P', 'PT', '2H', 'P1Y', 'P1W', 'PT-1H', 'P1H'])('refuses %s', (text) => {
    expect(() => isoDurationMs(text)).toThrow(/must be an ISO 8601 duration/);
  });

  it('accepts exactly what the contract pattern accepts', () => {
    const pattern = new RegExp(energy.IsoDuration.pattern!);
    for (const text of ['PT2H', 'P1DT30M', 'PT0.5S', 'P0D', 'P', 'PT', 'P1Y', 'PT-1H', 'P1H']) {
      let parsed = true;
      try {
        isoDurationMs(text);
      } catch {
        parsed = false;
      }
      expect(pattern.test(text), text).toBe(parsed);
    }
  });
});
