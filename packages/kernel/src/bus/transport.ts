import type { CloudEvent, Logger, RetryPolicy } from '@polis/plugin-api';
import type { HandlerCall } from './handler-call.js';
import type { DeliveryMeter } from '../metrics/bus-metrics.js';

/**
 * The transport SPI: what the event bus needs from a message system. The bus does
 * validation, permissions and envelopes; a transport moves envelopes and provides the delivery
 * semantics every transport shares (one conformance suite proves them): wildcard
 * subscriptions, one delivery per group, request/reply with timeout, retries with backoff,
 * then dead-letter.
 */
export interface Transport {
  /** Shown in logs and test titles, e.g. `memory`, `nats`. */
  readonly name: string;
  /**
   * Whether an event whose handler finished may reach the same group's handler in this process
   * again (an ack lost on the way, a publisher's retry of a send the broker had in fact taken),
   * unless the kernel drops it. Where it may (the default), the kernel keeps a record of the events
   * each subscription handled and drops such copies. The memory transport and NATS set false:
   * memory and core NATS deliver each publish once per group and retry only calls that failed,
   * which the record never holds, and NATS's durable subscriptions drop repeats themselves, so the
   * record would be pure cost (two thirds of an in-memory event's time). Repeats after a restart
   * are `KernelOptions.durableIdempotency`'s, whatever this says.
   */
  readonly repeatsDeliveries?: boolean;
  /** Called once, before `connect`, by the bus that owns this transport. */
  attach(host: TransportHost): void;
  connect(): Promise<void>;
  /** Stops deliveries, then closes; pending handler calls are awaited. */
  close(): Promise<void>;
  /**
   * Sends an event whose data the bus has validated. A transport that crosses process boundaries
   * serializes it; the memory transport hands the object over as it is. Returns nothing when the
   * event was handed over synchronously, saving a promise per event.
   */
  publish(event: CloudEvent): Promise<void> | void;
  subscribe(subscription: TransportSubscription): Promise<TransportHandle>;
  /** Sends a request event and resolves with the reply event, or rejects with a PolisError. */
  request(event: CloudEvent, timeoutMs: number): Promise<CloudEvent>;
  answer(responder: TransportResponder): Promise<TransportHandle>;
}

export interface TransportHost {
  readonly logger: Logger;
  /**
   * Checks an event that arrived from outside this process (envelope, known type, data
   * against its schema); throws a PolisError saying why it is refused.
   */
  admit(event: CloudEvent): void;
  /** Publishes a dead letter for a subscription. Never throws. */
  deadLetter(letter: DeadLetter): Promise<void>;
  /** The connection came back after a loss (polis_transport_reconnects_total). */
  reconnected?(): void;
}

export interface TransportSubscription {
  /** Event type pattern, with `*` and `>` wildcards. */
  readonly pattern: string;
  /** Consumer group: each event is delivered once per group, across all nodes. */
  readonly group: string;
  /** The plugin that owns the subscription (for dead letters and logs). */
  readonly owner: string;
  /** Handler calls in flight at once. */
  readonly concurrency: number;
  readonly retry: RetryPolicy;
  /**
   * Milliseconds a handler call may take. Past it the transport gives the call up (its
   * HandlerCall expires, aborting the handler's signal), counts it as a failed attempt and stops
   * holding the event, so another member of the group can take it.
   */
  readonly timeoutMs: number;
  /** Whether the subscription should survive restarts where the transport can do it. */
  readonly durable: boolean;
  /**
   * Runs the handler. A throw or a rejection asks for a retry (the transport counts attempts).
   * Returns nothing when the handler finished synchronously. `redelivered`: the broker handed
   * this event out before (JetStream's delivery count above 1), perhaps to a process that
   * crashed after handling it, so the kernel consults its durable record of handled events.
   * `call`: this call's abort signal and expiry (see HandlerCall).
   */
  handle(event: CloudEvent, redelivered?: boolean, call?: HandlerCall): Promise<void> | void;
  /** Where the delivery engine reports handler calls, retries and queue depth (the kernel's metrics). */
  readonly meter?: DeliveryMeter | undefined;
}

export interface TransportResponder {
  /** The query type answered. */
  readonly type: string;
  readonly group: string;
  readonly owner: string;
  /** Builds the reply event (a failure reply included); never rejects. */
  respond(request: CloudEvent): Promise<CloudEvent>;
}

export interface TransportHandle {
  close(): Promise<void>;
}

/** A message that could not be decoded into an event, kept whole for the dead letter. */
export interface RawMessage {
  readonly subject: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: string;
}

export interface DeadLetter {
  readonly owner: string;
  readonly pattern: string;
  readonly attempts: number;
  readonly error: unknown;
  readonly event?: CloudEvent;
  readonly raw?: RawMessage;
}
