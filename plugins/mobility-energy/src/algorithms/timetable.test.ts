import { describe, expect, it } from 'vitest';
import { dailyTrips } from './timetable.js';

const HOUR = 3_600_000;

describe('dailyTrips', () => {
  it('repeats daily blocks in local time and rolls a return past midnight into the next day', () => {
    // UTC+8: 06:00 local is 22:00 UTC the day before.
    const from = Date.UTC(2026, 6, 1, 4); // 12:00 local on 1 July
    const trips = dailyTrips('bus-1', [{ id: 'am', depart: '06:00', return: '10:00', energyKwh: 80 }, { id: 'late', depart: '20:00', return: '01:00', energyKwh: 120 }], from, from + 24 * HOUR, 480);
    expect(trips.map((trip) => [trip.blockId, new Date(trip.departAtMs).toISOString(), new Date(trip.returnAtMs).toISOString()])).toEqual([
      ['late', '2026-07-01T12:00:00.000Z', '2026-07-01T17:00:00.000Z'],
      ['am', '2026-07-01T22:00:00.000Z', '2026-07-02T02:00:00.000Z'],
    ]);
  });

  it('includes the block the bus is driving now', () => {
    const from = Date.UTC(2026, 6, 1, 8);
    const trips = dailyTrips('bus-1', [{ id: 'day', depart: '07:00', return: '15:00', energyKwh: 150 }], from, from + 2 * HOUR, 0);
    expect(trips).toEqual([{ busId: 'bus-1', blockId: 'day', departAtMs: Date.UTC(2026, 6, 1, 7), returnAtMs: Date.UTC(2026, 6, 1, 15), energyKwh: 150 }]);
  });
});
