import { matchesPattern } from '@polis/kernel';
import type { CloudEvent } from '@polis/plugin-api';
import { invalid } from './invalid-argument.js';

export interface ExpectOptions<T> {
  /** Milliseconds of real time to wait (default 1000). */
  within?: number;
  /** Only events for which this returns true. */
  where?: (event: CloudEvent<T>) => boolean;
}

interface Waiter {
  readonly pattern: string;
  readonly where: ((event: CloudEvent<never>) => boolean) | undefined;
  readonly resolve: (event: CloudEvent) => void;
}

/** Keeps every event seen on the bus, in order, and resolves expectations as events arrive. */
export class EventRecorder {
  private readonly recorded: CloudEvent[] = [];
  private waiters: Waiter[] = [];

  get events(): readonly CloudEvent[] {
    return this.recorded;
  }

  record(event: CloudEvent): void {
    this.recorded.push(event);
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => {
      if (!this.matches(waiter.pattern, waiter.where, event)) return true;
      waiter.resolve(event);
      return false;
    });
  }

  /** Recorded events whose type matches `pattern` (wildcards allowed). */
  of<T = unknown>(pattern: string, where?: (event: CloudEvent<T>) => boolean): CloudEvent<T>[] {
    return this.recorded.filter((event) => this.matches(pattern, where as never, event)) as CloudEvent<T>[];
  }

  /**
   * The first recorded event matching `pattern` (and `where`), already seen or still to come;
   * rejects after `within` ms with the types that were seen instead.
   */
  expect<T>(pattern: string, options: ExpectOptions<T> = {}): Promise<CloudEvent<T>> {
    try {
      assertExpectation(pattern, options as ExpectOptions<never>);
    } catch (error) {
      return Promise.reject(error);
    }
    const seen = this.of<T>(pattern, options.where)[0];
    if (seen) return Promise.resolve(seen);
    const within = options.within ?? 1000;
    return new Promise<CloudEvent<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const types = [...new Set(this.recorded.map((e) => e.type))];
        reject(new Error(`expected an event '${pattern}'${options.where ? ' matching the predicate' : ''} within ${within} ms; seen: ${types.join(', ') || 'none'}`));
      }, within);
      const waiter: Waiter = {
        pattern,
        where: options.where as Waiter['where'],
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event as CloudEvent<T>);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Resolves if no matching event shows up within `within` ms; rejects with the one that did. */
  async expectNone<T>(pattern: string, options: ExpectOptions<T> = {}): Promise<void> {
    // Checked here: the expectation's own rejection below means "none came".
    assertExpectation(pattern, options as ExpectOptions<never>);
    const event = await this.expect(pattern, { ...options, within: options.within ?? 200 }).catch(() => undefined);
    if (event) throw new Error(`expected no event '${pattern}', but got ${event.type} ${event.id}: ${JSON.stringify(event.data)}`);
  }

  private matches(pattern: string, where: ((event: CloudEvent<never>) => boolean) | undefined, event: CloudEvent): boolean {
    return matchesPattern(pattern, event.type) && (!where || where(event as CloudEvent<never>));
  }
}

/** Throws ARGUMENT_INVALID for an expectation that could never be met as meant. */
function assertExpectation(pattern: unknown, options: ExpectOptions<never> | undefined): void {
  if (typeof pattern !== 'string' || pattern.length === 0) throw invalid('the expected event', 'a pattern or an event definition', pattern);
  if (options === null || typeof options !== 'object') throw invalid('expectation options', 'an object', options);
  if (options.within !== undefined && (typeof options.within !== 'number' || !(options.within >= 0))) throw invalid('options.within', 'a number of milliseconds >= 0', options.within);
  if (options.where !== undefined && typeof options.where !== 'function') throw invalid('options.where', 'a function', options.where);
}
