import type { Clock, Logger, TimerHandle } from '@polis/plugin-api';
import { failureFields } from './failure-fields.js';
import { invalidArgument } from './invalid-argument.js';

/**
 * The clock a plugin gets: the kernel's clock, plus the plugin's timers kept in one place so
 * that stopping the plugin cancels all of them, and so a callback that throws or rejects is
 * logged under the plugin's name instead of surfacing as an unhandled rejection.
 */
export class PluginClock implements Clock {
  private readonly pending = new Set<TimerHandle>();
  /** Pending `sleep`s: a handler drained on stop may still wait one out (see cancelTimers). */
  private readonly sleeps = new Set<TimerHandle>();
  /** Once the plugin has stopped, new timers are refused: nothing of it may run later. */
  private disposed = false;
  /** Once the plugin stops, its timers are cancelled and new ones refused; sleeps still run until dispose. */
  private stopping = false;
  /** Asynchronous timer callbacks still running: stopping waits for them as for handlers (see settled). */
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly base: Clock,
    private readonly logger: Logger,
  ) {}

  now(): number {
    return this.base.now();
  }

  setTimeout(callback: () => unknown, ms: number): TimerHandle {
    assertTimer(callback, ms);
    if (this.disposed || this.stopping) return this.refused();
    return this.schedule(callback, ms);
  }

  private schedule(callback: () => unknown, ms: number): TimerHandle {
    const handle = this.base.setTimeout(() => {
      this.pending.delete(handle);
      this.sleeps.delete(handle);
      this.run(callback);
    }, Math.max(0, ms));
    this.pending.add(handle);
    return handle;
  }

  setInterval(callback: () => unknown, ms: number): TimerHandle {
    assertTimer(callback, ms);
    if (this.disposed || this.stopping) return this.refused();
    // A period of 0 would fire without end on a fake clock; Node's timers round it up to 1 ms too.
    const handle = this.base.setInterval(() => this.run(callback), Math.max(1, ms));
    this.pending.add(handle);
    return handle;
  }

  clearTimer(handle: TimerHandle): void {
    this.pending.delete(handle);
    this.sleeps.delete(handle);
    this.base.clearTimer(handle);
  }

  sleep(ms: number): Promise<void> {
    try {
      assertTimer(() => undefined, ms);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.disposed) return new Promise((resolve) => this.setTimeout(resolve, ms));
    return new Promise((resolve) => this.sleeps.add(this.schedule(resolve, ms)));
  }

  /**
   * The plugin begins to stop: its timers (a mission's next step, a periodic report) are
   * cancelled and new ones refused, so none fires while its subscriptions close and its onStop
   * hooks run, when it may no longer publish. Sleeps go on: a handler drained on stop that
   * awaits `sleep` finishes.
   */
  cancelTimers(): void {
    this.stopping = true;
    for (const handle of this.pending) {
      if (this.sleeps.has(handle)) continue;
      this.base.clearTimer(handle);
      this.pending.delete(handle);
    }
  }

  /**
   * Resolves once the timer callbacks already running have ended. A callback that fired just
   * before the plugin began to stop (a report that awaits a query, then publishes) finishes
   * while the plugin drains, instead of publishing from a stopped plugin (INVALID_STATE).
   */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Timers still waiting to fire. */
  get pendingTimers(): number {
    return this.pending.size;
  }

  /** Cancels every pending timer and refuses new ones: the plugin has stopped. */
  dispose(): void {
    this.disposed = true;
    for (const handle of this.pending) this.base.clearTimer(handle);
    this.pending.clear();
    this.sleeps.clear();
  }

  private refused(): TimerHandle {
    // While stopping, a handler being drained may set one as usual: that is no news.
    if (this.disposed) this.logger.warn('a timer was set after the plugin stopped; it will not fire');
    else this.logger.debug('a timer was set while the plugin stops; it will not fire');
    return {};
  }

  private run(callback: () => unknown): void {
    try {
      const result = callback();
      if (result instanceof Promise) {
        const tracked = result.catch((error: unknown) => this.failed(error));
        this.running.add(tracked);
        void tracked.finally(() => this.running.delete(tracked));
      }
    } catch (error) {
      this.failed(error);
    }
  }

  private failed(error: unknown): void {
    this.logger.error('a timer callback failed', failureFields(error));
  }
}

/** Throws ARGUMENT_INVALID unless a timer gets a callback function and a delay in milliseconds. */
export function assertTimer(callback: unknown, ms: unknown): void {
  if (typeof callback !== 'function') throw invalidArgument('a timer callback', 'a function', callback);
  if (typeof ms !== 'number' || Number.isNaN(ms)) throw invalidArgument('a timer delay', 'a number of milliseconds', ms);
}
