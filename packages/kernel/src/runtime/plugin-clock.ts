import type { Clock, Logger, TimerHandle } from '@polis/plugin-api';

/**
 * The clock a plugin gets: the kernel's clock, plus the plugin's timers kept in one place so
 * that stopping the plugin cancels all of them, and so a callback that throws or rejects is
 * logged under the plugin's name instead of surfacing as an unhandled rejection.
 */
export class PluginClock implements Clock {
  private readonly pending = new Set<TimerHandle>();
  /** Once the plugin has stopped, new timers are refused: nothing of it may run later. */
  private disposed = false;

  constructor(
    private readonly base: Clock,
    private readonly logger: Logger,
  ) {}

  now(): number {
    return this.base.now();
  }

  setTimeout(callback: () => unknown, ms: number): TimerHandle {
    if (this.disposed) return this.refused();
    const handle = this.base.setTimeout(() => {
      this.pending.delete(handle);
      this.run(callback);
    }, Math.max(0, ms));
    this.pending.add(handle);
    return handle;
  }

  setInterval(callback: () => unknown, ms: number): TimerHandle {
    if (this.disposed) return this.refused();
    const handle = this.base.setInterval(() => this.run(callback), ms);
    this.pending.add(handle);
    return handle;
  }

  clearTimer(handle: TimerHandle): void {
    this.pending.delete(handle);
    this.base.clearTimer(handle);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
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
  }

  private refused(): TimerHandle {
    this.logger.warn('a timer was set after the plugin stopped; it will not fire');
    return {};
  }

  private run(callback: () => unknown): void {
    try {
      const result = callback();
      if (result instanceof Promise) result.catch((error: unknown) => this.failed(error));
    } catch (error) {
      this.failed(error);
    }
  }

  private failed(error: unknown): void {
    this.logger.error('a timer callback failed', { error: error instanceof Error ? error.message : String(error) });
  }
}
