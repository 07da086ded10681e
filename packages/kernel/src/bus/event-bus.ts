import { EventDeadLettered, ErrorCodes, PolisError, isPolisError, replyTypeOf, schemaUrn, schemaVersionOf } from '@polis/plugin-api';
import type { ValidateFunction } from 'ajv';
import type { TracerProvider } from '@opentelemetry/api';
import type { Clock, CloudEvent, EventPriority, Logger, RetryPolicy } from '@polis/plugin-api';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { IdGenerator, createEnvelope } from './envelope.js';
import { admitEnvelope, causeFrom } from './envelope-validation.js';
import { deepFreeze } from './deep-freeze.js';
import { jsonSizeBound } from './json-size.js';
import { DEFAULT_RETRY_POLICY, resolveRetryPolicy } from './retry-policy.js';
import { checkSubscription, isTimeout } from './subscription-check.js';
import type { HandlerCall } from './handler-call.js';
import { failureFields, reasonOf } from '../runtime/failure-fields.js';
import { eventSummary } from './event-summary.js';
import { invalidArgument, isOptions } from '../runtime/invalid-argument.js';
import { bindToVersion } from './version-binding.js';
import { BusTracing } from './tracing.js';
import type { TraceParent } from './trace-context.js';
import type { DeadLetter, Transport, TransportHandle, TransportHost, TransportSubscription } from './transport.js';
import { LogThrottle } from '../runtime/log-throttle.js';
import type { BusMetrics } from '../metrics/bus-metrics.js';

export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
export const DEFAULT_HANDLER_TIMEOUT_MS = 30_000;

/** Reply type a responder sends when it failed; the requester turns it back into a PolisError. */
export const REPLY_FAILED_TYPE = 'kernel.reply.failed';

export interface EventBusOptions {
  registry: SchemaRegistry;
  transport: Transport;
  clock: Clock;
  logger: Logger;
  /** Largest serialized `data` accepted, in bytes (default 1 MiB). */
  maxEventBytes?: number;
  retry?: Partial<RetryPolicy>;
  /** Default handler timeout of every subscription (default 30 s). */
  handlerTimeoutMs?: number | undefined;
  /** Deep-freeze event data on publish, so a handler or publisher mutating an event fails loudly (tests). */
  immutableEvents?: boolean;
  /** Where spans go (default: OpenTelemetry's global tracer provider). */
  tracerProvider?: TracerProvider | undefined;
  /** See KernelOptions.traceSampleRatio. */
  traceSampleRatio?: number | undefined;
  /** Where publishes, handler calls, retries and dead letters are counted (the kernel's; default none). */
  metrics?: BusMetrics | undefined;
}

export interface BusPublishOptions {
  subject?: string | undefined;
  priority?: EventPriority | undefined;
  causedBy?: CloudEvent | undefined;
  /** The trace to continue when there is no `causedBy`, e.g. an HTTP request's `traceparent`. */
  parent?: TraceParent | undefined;
  /** For `prepare` only: the id an outbox gives the event (outboxId). */
  id?: string | undefined;
}

export interface BusSubscription {
  /** The subscribing plugin (or system component). */
  owner: string;
  pattern: string;
  /** Consumer group; defaults to the owner, so replicas of a plugin share the work. */
  group?: string;
  /** `redelivered`, `call`: see TransportSubscription.handle. */
  handler: (event: CloudEvent, redelivered?: boolean, call?: HandlerCall) => void | Promise<void>;
  /**
   * Binds the subscription to one version of its event type (the pattern is then a type): the
   * handler receives events of other versions converted to this one, or they are dead-lettered.
   */
  version?: number | undefined;
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  /** Milliseconds a handler call may take (default: the bus's handlerTimeoutMs). */
  timeoutMs?: number | undefined;
  durable?: boolean;
}

/**
 * Moves CloudEvents between plugins over a transport. It owns what must be identical on every
 * transport: envelopes, the size limit, validation of data on publish and on receipt from
 * another node, request/reply envelopes and dead letters. Permissions are checked one level up,
 * in each plugin's context.
 */
export class EventBus {
  readonly transport: Transport;
  readonly registry: SchemaRegistry;
  readonly maxEventBytes: number;
  readonly retry: RetryPolicy;
  readonly handlerTimeoutMs: number;
  private readonly immutableEvents: boolean;
  private readonly ids = new IdGenerator();
  private readonly clock: Clock;
  private readonly logger: Logger;
  /** Dead letters come in floods when the input is bad: one line per plugin and code per interval, with a count. */
  private readonly letterLog: LogThrottle;
  private connected = false;
  private readonly tracing: BusTracing;
  private readonly metrics: BusMetrics | undefined;

  constructor(options: EventBusOptions) {
    this.transport = options.transport;
    this.registry = options.registry;
    this.clock = options.clock;
    this.logger = options.logger;
    this.letterLog = new LogThrottle(this.logger);
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.retry = resolveRetryPolicy(DEFAULT_RETRY_POLICY, options.retry);
    const handlerTimeoutMs = options.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS;
    if (!isTimeout(handlerTimeoutMs)) throw invalidArgument('handlerTimeoutMs', 'a positive number of milliseconds', handlerTimeoutMs);
    this.handlerTimeoutMs = handlerTimeoutMs;
    this.immutableEvents = options.immutableEvents ?? false;
    this.metrics = options.metrics;
    const ratio = options.traceSampleRatio;
    if (ratio !== undefined && !(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) throw invalidArgument('traceSampleRatio', 'a number from 0 to 1', ratio);
    this.tracing = new BusTracing(() => this.transport.name, this.logger, options.tracerProvider, ratio);
    const host: TransportHost = {
      logger: this.logger,
      admit: (event) => this.admit(event),
      deadLetter: (letter) => this.deadLetter(letter),
      reconnected: () => this.metrics?.reconnected(),
    };
    this.transport.attach(host);
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.registry.register(EventDeadLettered.type, EventDeadLettered.version, EventDeadLettered.schema);
    await this.transport.connect();
    this.connected = true;
  }

  /** Closes the transport; `force` also closes one whose connect() failed half-way. */
  async close(force = false): Promise<void> {
    if (!this.connected && !force) return;
    this.connected = false;
    await this.transport.close();
  }

  /**
   * Validates `data` against `type`@`version` (and the size limit), wraps it in an envelope and
   * publishes it. In process, handlers receive the validated object itself: no copy on the hot
   * path, so events are read-only by contract (`immutableEvents` freezes them to enforce it).
   */
  publish(source: string, type: string, version: number, data: unknown, options: BusPublishOptions = {}): Promise<CloudEvent> {
    // Not an async function: on the memory transport a publish then costs one promise, not three.
    try {
      return this.send(this.prepare(source, type, version, data, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Everything of a publish but the sending: checks `data` and makes the envelope. A handler's
   * outbox holds prepared events and sends them once the handler succeeded. Throws what keeps
   * the event off the bus.
   */
  prepare(source: string, type: string, version: number, data: unknown, options: BusPublishOptions = {}): CloudEvent {
    // The source names the publisher in the envelope, the subject and the metrics' labels.
    if (typeof source !== 'string' || source.length === 0) throw invalidArgument('publish source', 'a non-empty string', source);
    if (!this.connected) throw this.closedError(source);
    if (!isOptions(options)) throw invalidArgument('publish options', 'an object', options, source);
    const schema = this.registry.handle(type, version);
    this.check(source, type, version, schema.validate, data);
    const start = this.tracing.startSend(source, type, options.causedBy ?? options.parent, 'send', options.id);
    const event = createEnvelope(this.ids, {
      source,
      type,
      dataschema: schema.urn,
      data,
      timeMs: this.clock.now(),
      subject: options.subject,
      priority: options.priority,
      causedBy: options.causedBy,
      trace: start,
      id: start.id,
    });
    this.tracing.hold(event, start.span);
    return event;
  }

  /** The id of the `n`th event an outbox sends for `seed` (IdGenerator.outboxId). */
  outboxId(seed: string, n: number): string {
    return this.ids.outboxId(seed, n);
  }

  /** Keys outbox ids with the deployment's shared secret (outbox-key.ts) instead of this process's own. */
  useOutboxKey(key: string): void {
    this.ids.useOutboxKey(key);
  }

  /** Hands a prepared event to the transport; sending it again sends the same id (receivers drop the copy). */
  send(event: CloudEvent): Promise<CloudEvent> {
    return this.tracing.send(event, this.transmit);
  }

  private readonly transmit = (event: CloudEvent): Promise<CloudEvent> => {
    try {
      if (!this.connected) throw this.closedError(event.source);
      const sent = this.transport.publish(event);
      // Counted once the transport has it: a refused publish (a bad source, say) is not published.
      if (sent === undefined) {
        this.metrics?.published(event.source, event.type);
        return Promise.resolve(event);
      }
      return sent.then(() => {
        this.metrics?.published(event.source, event.type);
        return event;
      });
    } catch (error) {
      return Promise.reject(error);
    }
  };

  async subscribe(subscription: BusSubscription): Promise<TransportHandle> {
    const { owner, concurrency, retry, timeoutMs } = checkSubscription(subscription, this.retry, this.handlerTimeoutMs);
    const traced = this.tracing.process(owner, subscription.group ?? subscription.owner, subscription.handler);
    const handler = subscription.version === undefined ? traced : bindToVersion(this.registry, { ...subscription, handler: traced }, subscription.version, this.immutableEvents ? deepFreeze : undefined);
    return this.transport.subscribe({
      pattern: subscription.pattern,
      group: subscription.group ?? subscription.owner,
      owner,
      concurrency,
      retry,
      timeoutMs,
      durable: subscription.durable ?? true,
      handle: handler as TransportSubscription['handle'],
      meter: this.metrics?.meter(owner),
    });
  }

  /** Sends a query and returns the validated response data. */
  async request(
    source: string,
    type: string,
    version: number,
    data: unknown,
    options: { timeoutMs?: number; causedBy?: CloudEvent; parent?: TraceParent } = {},
  ): Promise<unknown> {
    if (!this.connected) throw this.closedError(source);
    if (!isOptions(options)) throw invalidArgument('request options', 'an object', options, source);
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw invalidArgument('options.timeoutMs', 'a positive number of milliseconds', timeoutMs, source);
    const schema = this.registry.handle(type, version);
    this.check(source, type, version, schema.validate, data);
    const start = this.tracing.startSend(source, type, options.causedBy ?? options.parent, 'request');
    const event = createEnvelope(this.ids, { source, type, dataschema: schema.urn, data, timeMs: this.clock.now(), causedBy: options.causedBy, trace: start, id: start.id });
    const reply = await this.tracing.request(event, start.span, this.transport.request(event, timeoutMs));
    admitEnvelope(reply, this.receivedAt);
    if (reply.type === REPLY_FAILED_TYPE) {
      const failure = reply.data as { code?: string; message?: string; plugin?: string };
      throw new PolisError(ErrorCodes.REQUEST_FAILED, `'${type}' failed at ${reply.source}: ${failure.message ?? 'unknown error'}`, {
        plugin: failure.plugin,
        details: { type, remoteCode: failure.code },
      });
    }
    this.registry.assertValid(replyTypeOf(type), version, reply.data, reply.source);
    return reply.data;
  }

  /** Answers a query type; `handler`'s result is validated against the response schema. */
  async answer(
    owner: string,
    type: string,
    version: number,
    handler: (data: unknown, request: CloudEvent) => unknown,
  ): Promise<TransportHandle> {
    if (typeof handler !== 'function') throw invalidArgument(`the handler answering '${String(type)}'`, 'a function', handler, owner);
    return this.transport.answer({
      type,
      group: owner,
      owner,
      respond: this.tracing.answer(owner, async (request) => {
        const replyType = replyTypeOf(type);
        try {
          const requestVersion = schemaVersionOf(request) ?? version;
          const result = await handler(request.data, request);
          const schema = this.registry.handle(replyType, requestVersion);
          this.check(owner, replyType, requestVersion, schema.validate, result);
          return createEnvelope(this.ids, { source: owner, type: replyType, dataschema: schema.urn, data: result, timeMs: this.clock.now(), causedBy: request, trace: this.tracing.reply(owner, request) });
        } catch (error) {
          this.logger.warn(`answering ${type} failed`, { plugin: owner, ...failureFields(error, request) });
          const failure = {
            code: isPolisError(error) ? error.code : ErrorCodes.REQUEST_FAILED,
            message: reasonOf(error),
            plugin: owner,
          };
          return createEnvelope(this.ids, { source: owner, type: REPLY_FAILED_TYPE, dataschema: schemaUrn(REPLY_FAILED_TYPE, 1), data: failure, timeMs: this.clock.now(), causedBy: request, trace: this.tracing.reply(owner, request) });
        }
      }),
    });
  }

  /**
   * Checks an event from outside this process (every envelope attribute, then its data against
   * its schema version); throws a PolisError saying why it is refused. Normalizes the received
   * object as envelope-validation.ts describes; an event without `dataschema` is read as the
   * latest registered version of its type.
   */
  admit(event: CloudEvent): void {
    admitEnvelope(event, this.receivedAt);
    if (event.type === REPLY_FAILED_TYPE) return;
    if ((event as { dataschema?: string }).dataschema === undefined) {
      const latest = this.registry.latestVersion(event.type);
      if (latest === undefined) throw this.registry.unknown(event.type);
      (event as { dataschema: string }).dataschema = schemaUrn(event.type, latest);
    }
    const version = schemaVersionOf(event);
    if (version === undefined) {
      throw new PolisError(ErrorCodes.EVENT_UNKNOWN_TYPE, `${event.type}: dataschema '${String(event.dataschema)}' does not name a registered schema version`, {
        details: { type: event.type, dataschema: event.dataschema },
      });
    }
    this.registry.assertValid(event.type, version, event.data, event.source);
  }

  /** The time stamped on a received event that carries none: the kernel's clock, as for events published here. */
  private readonly receivedAt = (): string => this.ids.isoTime(this.clock.now());

  private closedError(source: string): PolisError {
    return new PolisError(ErrorCodes.INVALID_STATE, 'the event bus is not connected (the kernel is not started, or stopped)', { plugin: source });
  }

  /** Throws what keeps `data` off the bus: not JSON, over the size limit, or failing its schema. */
  private check(source: string, type: string, version: number, validate: ValidateFunction, data: unknown): void {
    if (data === undefined || typeof data === 'function' || typeof data === 'symbol') {
      throw new PolisError(ErrorCodes.EVENT_INVALID, `${type} v${version}: data must be JSON (got ${typeof data})`, { plugin: source });
    }
    // The bound costs a walk of the object; the exact size (a serialization) only when it may matter.
    if (jsonSizeBound(data, this.maxEventBytes) > this.maxEventBytes) {
      const bytes = Buffer.byteLength(JSON.stringify(data));
      if (bytes > this.maxEventBytes) {
        throw new PolisError(ErrorCodes.EVENT_TOO_LARGE, `${type}: data is ${bytes} bytes, over the ${this.maxEventBytes}-byte limit`, {
          plugin: source,
          details: { type, bytes, limit: this.maxEventBytes },
        });
      }
    }
    if (!validate(data)) this.registry.assertValid(type, version, data, source);
    if (this.immutableEvents) deepFreeze(data);
  }

  private async deadLetter(letter: DeadLetter): Promise<void> {
    const error = letter.error;
    const data = {
      plugin: letter.owner,
      subscription: letter.pattern,
      attempts: letter.attempts,
      reason: reasonOf(error),
      // A handler's own failure has no code of its own: it is recorded as HANDLER_FAILED.
      code: isPolisError(error) ? error.code : ErrorCodes.HANDLER_FAILED,
      ...(letter.event ? { event: letter.event } : {}),
      ...(letter.raw ? { raw: letter.raw } : {}),
    };
    // A raw message has no trustworthy type: its subject would let the wire grow the series.
    this.metrics?.deadLettered(letter.owner, typeof letter.event?.type === 'string' ? letter.event.type : '', data.code);
    this.letterLog.log(`${letter.owner} ${data.code}`, `dead-lettered ${letter.event?.type ?? letter.raw?.subject ?? 'message'} for ${letter.owner}`, {
      plugin: letter.owner,
      attempts: letter.attempts,
      reason: data.reason,
      ...failureFields(error, letter.event),
      code: data.code,
    });
    // A watcher of the dead letters that fails on one must not make a letter of that letter: it
    // would receive that one too, fail again, and so on without end. The log line above is its record.
    if (letter.event?.type === EventDeadLettered.type) {
      this.lettersOfLetters++;
      return;
    }
    // A letter from the wire may carry a malformed event: only what is well-formed of it becomes the cause.
    const causedBy = causeFrom(letter.event);
    try {
      await this.publish('kernel', EventDeadLettered.type, EventDeadLettered.version, data, { causedBy });
      return;
    } catch (failure) {
      // Too large, too deep, not JSON: the letter goes out with a bounded summary of the event instead.
      if (letter.event === undefined) {
        this.letterLog.log(`${letter.owner} unpublished`, 'could not publish a dead letter', { plugin: letter.owner, ...failureFields(failure) });
        return;
      }
      const { event: _whole, ...rest } = data;
      try {
        await this.publish('kernel', EventDeadLettered.type, EventDeadLettered.version, { ...rest, event: eventSummary(letter.event, failure) }, { causedBy });
      } catch (again) {
        this.letterLog.log(`${letter.owner} unpublished`, 'could not publish a dead letter', { plugin: letter.owner, ...failureFields(again, letter.event) });
      }
    }
  }

  private lettersOfLetters = 0;

  /** Dead letters not published because they were about a dead letter (a failing watcher of the channel). */
  get deadLettersOfDeadLetters(): number {
    return this.lettersOfLetters;
  }
}
