import type { CloudEvent } from '@polis/plugin-api';
import { Deadlines } from './deadlines.js';
import { HandlerCall } from './handler-call.js';
import { PriorityLanes } from './priority-lanes.js';
import type { DeliveryMeter } from '../metrics/bus-metrics.js';
import type { TransportSubscription } from './transport.js';

/** What one queued delivery is to the dispatcher: an event, perhaps delivered before. */
export interface Dispatchable {
  readonly event: CloudEvent;
  /** The handler call in flight for it (the dispatcher's own bookkeeping). */
  call?: HandlerCall | undefined;
}

/** What a transport does with the outcome of a handler call: its ack strategy and retries. */
export interface DispatchOutcome<T extends Dispatchable> {
  /** Whether the broker delivered this item before (see TransportSubscription.handle). */
  redelivered?(item: T): boolean;
  /** The handler finished; called before the next item is taken, so acks of a burst batch up. */
  succeeded(item: T): void;
  /**
   * The handler threw, rejected, or ran past its timeout (`error` is then HANDLER_TIMEOUT):
   * retry or dead-letter it. The item's slot stays taken until a returned promise settles.
   */
  failed(item: T, error: unknown): void | Promise<void>;
}

/**
 * The delivery engine every transport shares, in front of one subscription's handler:
 * `concurrency` calls in flight, two lanes so an `emergency` event never waits behind routine
 * telemetry, and a timeout per call (a call past it is given up: its signal is aborted, its
 * slot freed, and it counts as a failure). What a success or a failure means (nothing, an ack, a
 * nak with backoff, a dead letter) is the transport's `outcome`.
 */
export class Dispatcher<T extends Dispatchable> {
  private readonly waiting = new PriorityLanes<T>();
  private readonly deadlines: Deadlines<T>;
  private inFlight = 0;
  private stopped = false;
  /** When stopped: whether what waits is still handled (memory) or left to the caller (JetStream hands it back). */
  private finishWaiting = true;
  private pumpScheduled = false;
  private idleWaiters: Array<() => void> = [];
  private readonly meter: DeliveryMeter | undefined;
  /** What the queue-depth gauge was last told waits here. */
  private reportedDepth = 0;

  constructor(
    private readonly subscription: TransportSubscription,
    private readonly outcome: DispatchOutcome<T>,
  ) {
    this.deadlines = new Deadlines(subscription.timeoutMs, this.expire);
    this.meter = subscription.meter;
  }

  /** Items waiting or in flight. */
  get size(): number {
    return this.waiting.size + this.inFlight;
  }

  /** Queues an item; handlers never run inside the pusher's call stack: one microtask drains a burst. */
  push(item: T): void {
    if (this.stopped && !this.finishWaiting) return;
    this.waiting.push(item, item.event.priority === 'emergency');
    // The queue-depth gauge follows in the pump this schedules (reportDepth), not per event.
    if (!this.pumpScheduled) {
      this.pumpScheduled = true;
      queueMicrotask(this.scheduledPump);
    }
  }

  /** Takes back everything waiting (not in flight), urgent first. */
  drain(): T[] {
    const items = this.waiting.drain();
    this.reportDepth();
    return items;
  }

  /**
   * Stops: with `finishWaiting` the handler still gets what waits, else nothing more is taken.
   * Resolves when no call is in flight (and, with `finishWaiting`, nothing waits).
   */
  async stop(finishWaiting: boolean): Promise<void> {
    this.stopped = true;
    this.finishWaiting = finishWaiting;
    this.pump();
    if (!this.isIdle()) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && (!this.finishWaiting || this.waiting.size === 0);
  }

  private readonly scheduledPump = (): void => {
    this.pumpScheduled = false;
    this.pump();
  };

  private pump(): void {
    // With a meter, one clock reading per call: a call's end is the next one's start. (Two per
    // call were most of what the bus metrics cost an in-memory event.)
    let now = this.meter === undefined ? 0 : performance.now();
    while (this.inFlight < this.subscription.concurrency && (!this.stopped || this.finishWaiting)) {
      const item = this.waiting.take();
      if (item === undefined) break;
      this.inFlight++;
      now = this.run(item, now);
    }
    this.reportDepth();
    if (this.stopped && this.isIdle()) {
      this.deadlines.clear();
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Brings the queue-depth gauge to what waits now: once per pump, so a burst costs one update, not two per event. */
  private reportDepth(): void {
    if (this.meter === undefined) return;
    const size = this.waiting.size;
    if (size === this.reportedDepth) return;
    this.meter.queued(size - this.reportedDepth);
    this.reportedDepth = size;
  }

  /** Runs one call begun at `began` (performance.now(), 0 without a meter); returns the clock when the handler returned. */
  private run(item: T, began: number): number {
    const call = new HandlerCall();
    const meter = this.meter;
    let result: unknown;
    try {
      result = this.subscription.handle(item.event, this.outcome.redelivered?.(item), call);
    } catch (error) {
      const ended = meter === undefined ? 0 : performance.now();
      meter?.finished(item.event.type, (ended - began) / 1000, false);
      this.fail(item, error, true);
      return ended;
    }
    const returned = meter === undefined ? 0 : performance.now();
    if (result === undefined || typeof (result as Partial<Promise<void>>).then !== 'function') {
      // A synchronous handler: no promise to wait for, the next item can go right away.
      meter?.finished(item.event.type, (returned - began) / 1000, true);
      this.outcome.succeeded(item);
      this.inFlight--;
      return returned;
    }
    item.call = call;
    this.deadlines.add(item);
    (result as Promise<void>).then(
      () => {
        if (!this.ended(item, call)) return;
        meter?.finished(item.event.type, (performance.now() - began) / 1000, true);
        this.outcome.succeeded(item);
        this.release();
      },
      (error: unknown) => {
        if (!this.ended(item, call)) return;
        meter?.finished(item.event.type, (performance.now() - began) / 1000, false);
        this.fail(item, error, false);
      },
    );
    return returned;
  }

  /** Whether a call's end still counts: one given up for its timeout was counted already. */
  private ended(item: T, call: HandlerCall): boolean {
    if (call.expired) return false;
    this.deadlines.delete(item);
    item.call = undefined;
    return true;
  }

  private readonly expire = (item: T): void => {
    const call = item.call;
    if (call === undefined) return;
    item.call = undefined;
    this.fail(item, call.expire(this.subscription), false);
  };

  /** Hands a failure to the transport; the slot is freed once it has dealt with it. */
  private fail(item: T, error: unknown, inPump: boolean): void {
    let settled: void | Promise<void>;
    try {
      settled = this.outcome.failed(item, error);
    } catch {
      settled = undefined;
    }
    if (settled === undefined) {
      if (inPump) this.inFlight--;
      else this.release();
      return;
    }
    settled.then(this.release, this.release);
  }

  private readonly release = (): void => {
    this.inFlight--;
    this.pump();
  };
}
