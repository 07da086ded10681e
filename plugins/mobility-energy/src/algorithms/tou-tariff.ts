import { EnergyInputError } from './errors.js';
import { MINUTES_PER_DAY, MS_PER_DAY, localMinuteOfDay, minuteOfClock, startOfLocalDay } from './local-time.js';

/** A time-of-use tariff: a price per kWh from each local time of day until the next. */
export interface TouTariffSpec {
  /** Periods by local start time `HH:MM`; the last runs past midnight until the first. */
  readonly periods: readonly { readonly from: string; readonly pricePerKwh: number }[];
  readonly utcOffsetMinutes: number;
}

/** A time-of-use tariff, checked and ready to price any interval. */
export class TouTariff {
  private readonly starts: number[];
  private readonly prices: number[];

  constructor(private readonly spec: TouTariffSpec) {
    if (spec.periods.length === 0) throw new EnergyInputError('periods', 'needs at least one period');
    const periods = spec.periods.map((period, i) => {
      if (!(period.pricePerKwh >= 0)) throw new EnergyInputError(`periods[${i}].pricePerKwh`, `must be a number >= 0, got ${period.pricePerKwh}`);
      return { start: minuteOfClock(period.from, `periods[${i}].from`) % MINUTES_PER_DAY, price: period.pricePerKwh };
    });
    periods.sort((a, b) => a.start - b.start);
    periods.forEach((period, i) => {
      if (i > 0 && period.start === periods[i - 1]!.start) throw new EnergyInputError('periods', `two periods start at ${spec.periods[i]!.from}`);
    });
    this.starts = periods.map((period) => period.start);
    this.prices = periods.map((period) => period.price);
  }

  /** Price per kWh at an instant. */
  priceAt(ms: number): number {
    return this.prices[this.periodAt(localMinuteOfDay(ms, this.spec.utcOffsetMinutes))]!;
  }

  /** Mean price per kWh over [fromMs, toMs): what energy drawn evenly over the interval costs. */
  meanPrice(fromMs: number, toMs: number): number {
    if (!(toMs > fromMs)) return this.priceAt(fromMs);
    let cost = 0;
    let at = fromMs;
    while (at < toMs) {
      const end = Math.min(toMs, this.nextChange(at));
      cost += this.priceAt(at) * (end - at);
      at = end;
    }
    return cost / (toMs - fromMs);
  }

  private periodAt(minute: number): number {
    let index = this.starts.length - 1; // before the first start: the last period, from the day before
    for (let i = 0; i < this.starts.length; i++) if (this.starts[i]! <= minute) index = i;
    return index;
  }

  /** The first instant after `ms` at which the price may change. */
  private nextChange(ms: number): number {
    const offset = this.spec.utcOffsetMinutes;
    const midnight = startOfLocalDay(ms, offset);
    const minute = localMinuteOfDay(ms, offset);
    const next = this.starts.find((start) => start > minute);
    return next === undefined ? midnight + MS_PER_DAY + this.starts[0]! * 60_000 : midnight + next * 60_000;
  }
}
