import { describe, expect, it } from 'vitest';
import { TouTariff } from './tou-tariff.js';

const HOUR = 3_600_000;

describe('TouTariff', () => {
  // Shenzhen's periods are given in local time (UTC+8).
  const tariff = new TouTariff({
    utcOffsetMinutes: 480,
    periods: [
      { from: '23:00', pricePerKwh: 0.3 },
      { from: '08:00', pricePerKwh: 0.9 },
      { from: '14:00', pricePerKwh: 1.3 },
    ],
  });
  const local = (h: number) => Date.UTC(2026, 6, 1, h - 8);

  it('prices an instant by the local period it falls in, the last running past midnight', () => {
    expect(tariff.priceAt(local(2))).toBe(0.3);
    expect(tariff.priceAt(local(8))).toBe(0.9);
    expect(tariff.priceAt(local(15))).toBe(1.3);
    expect(tariff.priceAt(local(23.5))).toBe(0.3);
  });

  it('averages over an interval across a price change: 13:00-15:00 is half 0.9 and half 1.3', () => {
    expect(tariff.meanPrice(local(13), local(15))).toBeCloseTo(1.1, 12);
    expect(tariff.meanPrice(local(22), local(22) + 2 * HOUR)).toBeCloseTo((1.3 + 0.3) / 2, 12);
  });

  it('refuses a malformed time or two periods starting together', () => {
    expect(() => new TouTariff({ utcOffsetMinutes: 0, periods: [{ from: '8:00', pricePerKwh: 1 }] })).toThrow(/periods\[0\]\.from: must be a local time HH:MM/);
    expect(() => new TouTariff({ utcOffsetMinutes: 0, periods: [{ from: '08:00', pricePerKwh: 1 }, { from: '08:00', pricePerKwh: 2 }] })).toThrow(/two periods start at 08:00/);
  });
});
