import type { LogFields, Logger } from '@polis/plugin-api';

export interface LogThrottleOptions {
  /** A key logs one line in full per interval (default 10 s); the rest are counted. */
  intervalMs?: number;
  /** Within an interval, one line says how many were held back each time this many are (default 1,000). */
  every?: number;
  /** Default `error`. */
  level?: 'warn' | 'error';
}

interface Window {
  readonly endsAt: number;
  held: number;
  last: LogFields;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Error lines about repeated bad input, rate-limited per key (a plugin and a code, say): a
 * flood of bad messages must not become a flood of log lines, which would hide everything else
 * and cost more than refusing the messages. The first line of a key in an interval is written in
 * full; the others are counted, and a line with the count (`repeated`) is written for every
 * `every` of them and when the interval ends. Nothing is lost from the count.
 */
export class LogThrottle {
  private readonly intervalMs: number;
  private readonly every: number;
  private readonly level: 'warn' | 'error';
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly logger: Logger,
    options: LogThrottleOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 10_000;
    this.every = options.every ?? 1_000;
    this.level = options.level ?? 'error';
  }

  log(key: string, message: string, fields: LogFields): void {
    const now = Date.now();
    const window = this.windows.get(key);
    if (window === undefined || now >= window.endsAt) {
      if (window !== undefined) this.close(key, window);
      this.windows.set(key, { endsAt: now + this.intervalMs, held: 0, last: fields, timer: undefined });
      this.logger[this.level](message, fields);
      return;
    }
    window.held++;
    window.last = fields;
    if (window.held >= this.every) this.report(key, window);
    else window.timer ??= unref(setTimeout(() => this.close(key, window), window.endsAt - now));
  }

  /** The interval is over: say what it held back, and forget the key until it comes again. */
  private close(key: string, window: Window): void {
    clearTimeout(window.timer);
    window.timer = undefined;
    if (window.held > 0) this.report(key, window);
    if (this.windows.get(key) === window) this.windows.delete(key);
  }

  private report(key: string, window: Window): void {
    const held = window.held;
    window.held = 0;
    this.logger[this.level](`${held} more like '${key}' since the last line (one line per ${this.every} or per ${this.intervalMs / 1000} s)`, { ...window.last, repeated: held });
  }
}

function unref(timer: ReturnType<typeof setTimeout>): ReturnType<typeof setTimeout> {
  timer.unref();
  return timer;
}
