import type { Clock, Logger, TimerHandle } from '@polis/plugin-api';

/**
 * The plugin's pending timers on its clock, so stopping the plugin cancels every one of them.
 * A timer's callback may be async; a failure is logged, since no caller is left to receive it.
 */
export class TimerSet {
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #pending = new Set<TimerHandle>();

  constructor(clock: Clock, logger: Logger) {
    this.#clock = clock;
    this.#logger = logger;
  }

  /** Runs `callback` at epoch ms `timeMs`, or as soon as possible if that has passed. */
  at(timeMs: number, callback: () => void | Promise<unknown>): TimerHandle {
    const handle = this.#clock.setTimeout(() => {
      this.#pending.delete(handle);
      try {
        const result = callback();
        if (result instanceof Promise) result.catch((error: unknown) => this.#failed(error));
      } catch (error) {
        this.#failed(error);
      }
    }, Math.max(0, timeMs - this.#clock.now()));
    this.#pending.add(handle);
    return handle;
  }

  cancel(handle: TimerHandle): void {
    this.#clock.clearTimer(handle);
    this.#pending.delete(handle);
  }

  cancelAll(): void {
    for (const handle of this.#pending) this.#clock.clearTimer(handle);
    this.#pending.clear();
  }

  #failed(error: unknown): void {
    this.#logger.error('a timer callback failed', { error: error instanceof Error ? error.message : String(error) });
  }
}
