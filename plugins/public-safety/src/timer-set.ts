import type { Clock, Logger, TimerHandle } from '@polis/plugin-api';

/**
 * The plugin's pending timers on `ctx.clock`. Keeping them in one place lets `onStop` cancel
 * them all, and turns a failing callback into a logged error instead of an unhandled rejection.
 */
export class TimerSet {
  private readonly pending = new Set<TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Runs `task` after `ms` milliseconds; `what` names it in the log if it fails. */
  after(ms: number, what: string, task: () => Promise<void>): TimerHandle {
    const handle = this.clock.setTimeout(() => {
      this.pending.delete(handle);
      task().catch((error: unknown) => {
        this.logger.error(`${what} failed`, { error: error instanceof Error ? error.message : String(error) });
      });
    }, Math.max(0, Math.round(ms)));
    this.pending.add(handle);
    return handle;
  }

  cancel(handle: TimerHandle): void {
    this.clock.clearTimer(handle);
    this.pending.delete(handle);
  }

  cancelAll(): void {
    for (const handle of this.pending) this.clock.clearTimer(handle);
    this.pending.clear();
  }
}
