import type { Clock, TimerHandle } from '@polis/plugin-api';
import { invalid } from './invalid-argument.js';


interface Timer {
  readonly id: number;
  at: number;
  readonly every: number | undefined;
  readonly callback: () => void;
}

/**
 * Lets the event loop run what a timer callback started (handlers, publishes, their replies)
 * before the next timer fires: a few turns of the loop, which covers chains of in-process
 * deliveries without waiting on real time.
 */
const SETTLE_TURNS = 5;
const settle = async () => {
  for (let turn = 0; turn < SETTLE_TURNS; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/**
 * A clock a test drives: time stands still until `advance` moves it, firing due timers in
 * order and letting the work they start settle in between.
 */
export class FakeClock implements Clock {
  private time: number;
  private readonly timers = new Map<number, Timer>();
  private nextId = 1;

  constructor(startAt: number | Date = Date.UTC(2026, 0, 1, 8, 0, 0)) {
    const time = typeof startAt === 'number' ? startAt : startAt instanceof Date ? startAt.getTime() : Number.NaN;
    if (!Number.isFinite(time)) throw invalid('startAt', 'a time in milliseconds or a valid Date', startAt);
    this.time = time;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    return this.add(callback, ms, undefined);
  }

  setInterval(callback: () => void, ms: number): TimerHandle {
    return this.add(callback, ms, Math.max(1, ms));
  }

  clearTimer(handle: TimerHandle): void {
    if (handle !== null && typeof handle === 'object') this.timers.delete((handle as { id?: number }).id as number);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Timers waiting to fire. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in time order. */
  async advance(ms: number): Promise<void> {
    if (typeof ms !== 'number' || !(ms >= 0) || !Number.isFinite(ms)) throw invalid('advance(ms)', 'a finite number >= 0', ms);
    const end = this.time + ms;
    for (;;) {
      const due = this.earliest();
      if (!due || due.at > end) break;
      this.time = due.at;
      if (due.every === undefined) this.timers.delete(due.id);
      else due.at += due.every;
      due.callback();
      await settle();
    }
    this.time = end;
    await settle();
  }

  private earliest(): Timer | undefined {
    let first: Timer | undefined;
    for (const timer of this.timers.values()) if (!first || timer.at < first.at || (timer.at === first.at && timer.id < first.id)) first = timer;
    return first;
  }

  private add(callback: () => void, ms: number, every: number | undefined): TimerHandle {
    if (typeof callback !== 'function') throw invalid('a timer callback', 'a function', callback);
    if (typeof ms !== 'number' || Number.isNaN(ms)) throw invalid('a timer delay', 'a number of milliseconds', ms);
    const timer = { id: this.nextId++, at: this.time + Math.max(0, ms), every, callback };
    this.timers.set(timer.id, timer);
    return { id: timer.id };
  }
}
