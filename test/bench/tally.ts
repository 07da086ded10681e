import { detectorReading } from './payload.js';

/**
 * What every contender's handler does with a reading: count it and add up its flow. The same
 * small work on every side, and work the JIT cannot drop, since `assertIntact` reads the sum.
 * A waiter is woken by the handler call that reaches its count: no polling loop competes with
 * the handlers (or, on two cores, with nats-server) for the CPU.
 */
export class Tally {
  count = 0;
  private flowVph = 0;
  private awaited = -1;
  private wake: (() => void) | undefined;

  record(reading: { readonly flowVph: number }): void {
    this.count++;
    this.flowVph += reading.flowVph;
    if (this.count === this.awaited) this.wake!();
  }

  /** Resolves once `count` readings are counted; rejects if none arrives for `stallMs`. One waiter at a time. */
  reach(count: number, what: string, stallMs: number): Promise<void> {
    if (this.count >= count) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let seen = this.count;
      const watchdog = setInterval(() => {
        if (this.count !== seen) {
          seen = this.count;
          return;
        }
        clearInterval(watchdog);
        this.awaited = -1;
        reject(new Error(`${what}: ${count - this.count} of the events were never handled (nothing arrived for ${stallMs / 1000} s)`));
      }, stallMs);
      this.awaited = count;
      this.wake = () => {
        clearInterval(watchdog);
        this.awaited = -1;
        resolve();
      };
    });
  }

  /** Throws unless every reading counted arrived with its data whole. */
  assertIntact(what: string): void {
    if (this.flowVph !== this.count * detectorReading.flowVph) {
      throw new Error(`${what}: ${this.count} readings carried a total flow of ${this.flowVph}, not ${this.count * detectorReading.flowVph}`);
    }
  }
}
