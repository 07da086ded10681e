import type { BlockTrip } from './depot-schedule.js';
import { MS_PER_DAY, minuteOfClock, startOfLocalDay } from './local-time.js';

/** A block as a timetable states it: daily local times. */
export interface DailyBlock {
  readonly id: string;
  readonly depart: string;
  readonly return: string;
  readonly energyKwh: number;
}

/**
 * The runs of a bus's daily blocks that overlap [fromMs, toMs): each block every day, at its
 * local times; a block whose return is not after its departure returns the next day.
 */
export function dailyTrips(busId: string, blocks: readonly DailyBlock[], fromMs: number, toMs: number, utcOffsetMinutes: number): BlockTrip[] {
  const trips: BlockTrip[] = [];
  for (let day = startOfLocalDay(fromMs, utcOffsetMinutes) - MS_PER_DAY; day < toMs; day += MS_PER_DAY) {
    for (const block of blocks) {
      const depart = minuteOfClock(block.depart, 'depart');
      let back = minuteOfClock(block.return, 'return');
      if (back <= depart) back += 1440;
      const trip = { busId, blockId: block.id, departAtMs: day + depart * 60_000, returnAtMs: day + back * 60_000, energyKwh: block.energyKwh };
      if (trip.returnAtMs > fromMs && trip.departAtMs < toMs) trips.push(trip);
    }
  }
  return trips.sort((a, b) => a.departAtMs - b.departAtMs);
}
