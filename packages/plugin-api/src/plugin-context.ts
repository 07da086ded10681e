import type { CloudEvent, EventPriority } from './cloud-event.js';
import type { EventData, EventDefinition } from './define-event.js';
import type { QueryDefinition, QueryRequest, QueryResponse } from './define-query.js';
import type { ServiceOf, ServiceRef } from './service-ref.js';

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** Opaque handle of a timer started through a {@link Clock}. */
export type TimerHandle = object;

/**
 * Time as a plugin sees it. Use it instead of Date/setTimeout so tests can drive time with
 * the test kit's fake clock. A plugin's timers are cancelled when it stops, and a callback that
 * throws or rejects is logged under the plugin's name, so no plugin needs its own bookkeeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(callback: () => unknown, ms: number): TimerHandle;
  setInterval(callback: () => unknown, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  sleep(ms: number): Promise<void>;
}

/** A plugin's own key-value state; on NATS it is a JetStream KV bucket, so it survives restarts. */
export interface StateStore {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  keys(prefix?: string): Promise<string[]>;
}

export interface PublishOptions {
  /** What the event is about (CloudEvents `subject`), e.g. an intersection id. */
  subject?: string;
  /** Overrides the event definition's priority. */
  priority?: EventPriority;
  /**
   * The event being handled when this one is published: sets `causationid` to its id and
   * reuses its `correlationid` and trace. A handler's `scope.publish` sets it for you.
   */
  causedBy?: CloudEvent;
}

export interface RetryPolicy {
  /** Attempts in all, the first included, before the event is dead-lettered. */
  maxAttempts: number;
  /** Delay before the second attempt; each later delay is multiplied by `backoffFactor`. */
  initialDelayMs: number;
  backoffFactor: number;
  maxDelayMs: number;
}

export interface SubscribeOptions {
  /** Handler invocations in flight at once for this subscription (default 1: in order). */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  /**
   * Milliseconds one handler call may take (default: the kernel's `handlerTimeoutMs`, 30 s). A
   * call past it is aborted (`scope.signal`) and counted as a failed attempt: retried, then
   * dead-lettered with POLIS_HANDLER_TIMEOUT.
   */
  timeoutMs?: number;
}

export interface RequestOptions {
  /** Milliseconds to wait for the reply (default 5000). */
  timeoutMs?: number;
  causedBy?: CloudEvent;
}

/** Publishing and requesting on behalf of the event being handled, keeping its causal chain. */
export interface HandlerScope<P extends EventDefinition, R extends QueryDefinition> {
  /**
   * Aborted when this handler call runs past its subscription's timeout: stop the work (pass it
   * to fetch and the like). Whatever the call does afterwards is discarded.
   */
  readonly signal: AbortSignal;
  publish<E extends P>(
    event: E,
    data: EventData<E>,
    options?: Omit<PublishOptions, 'causedBy'>,
  ): Promise<CloudEvent<EventData<E>>>;
  request<Q extends R>(query: Q, data: QueryRequest<Q>, options?: Omit<RequestOptions, 'causedBy'>): Promise<QueryResponse<Q>>;
}

/** Something a plugin may consume: an event definition, or a subject pattern such as `traffic.>`. */
export type Consumable = EventDefinition | string;

/** The data type a consumable delivers: typed for a definition, unknown for a pattern. */
export type ConsumedData<C> = C extends EventDefinition<string, infer D, number> ? D : unknown;

export type EventHandler<TData, P extends EventDefinition, R extends QueryDefinition> = (
  event: CloudEvent<TData>,
  scope: HandlerScope<P, R>,
) => void | Promise<void>;

export type QueryHandler<Q> = (
  request: QueryRequest<Q>,
  event: CloudEvent<QueryRequest<Q>>,
) => QueryResponse<Q> | Promise<QueryResponse<Q>>;

/**
 * What `setup(ctx)` receives. Its type parameters come from the manifest, so the compiler
 * rejects publishing, consuming, requesting, answering or providing anything undeclared; the
 * kernel rejects the same at run time for JavaScript callers.
 */
export interface PluginContext<
  P extends EventDefinition = EventDefinition,
  C extends Consumable = Consumable,
  R extends QueryDefinition = QueryDefinition,
  A extends QueryDefinition = QueryDefinition,
  S extends ServiceRef = ServiceRef,
  TConfig = unknown,
  TDeps = Record<string, unknown>,
> {
  readonly name: string;
  readonly version: string;
  /** The plugin's configuration, validated against its config schema, defaults applied. */
  readonly config: TConfig;
  /** The services named in `needs`, resolved before setup runs. */
  readonly deps: TDeps;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly state: StateStore;
  /**
   * Validates and publishes an event. Events are read-only once published: in process, handlers
   * receive `data` itself, so neither the publisher nor a handler may change it afterwards.
   */
  publish<E extends P>(event: E, data: EventData<E>, options?: PublishOptions): Promise<CloudEvent<EventData<E>>>;
  /** Registers a handler for a consumed event definition or pattern. */
  on<E extends C>(consumable: E, handler: EventHandler<ConsumedData<E>, P, R>, options?: SubscribeOptions): void;
  request<Q extends R>(query: Q, data: QueryRequest<Q>, options?: RequestOptions): Promise<QueryResponse<Q>>;
  answer<Q extends A>(query: Q, handler: QueryHandler<Q>): void;
  provide<X extends S>(ref: X, implementation: ServiceOf<X>): void;
  /**
   * A scope continuing the causal chain of `cause` (an event this plugin received or
   * published), for work a timer or a later callback does after the handler returned. Its
   * publishes go out at once: only a handler's own scope holds them until it succeeded.
   */
  scopeFor(cause: CloudEvent): HandlerScope<P, R>;
  /**
   * Runs once every plugin loaded with this one has finished setup: start timers here. `signal`
   * is aborted when the start phase runs past its timeout.
   */
  onStart(hook: (signal: AbortSignal) => void | Promise<void>): void;
  /** Runs when the plugin stops, in reverse order of registration; `signal` as for onStart. */
  onStop(hook: (signal: AbortSignal) => void | Promise<void>): void;
}
