import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type {
  AnyPlugin,
  Clock,
  CloudEvent,
  Consumable,
  EventDefinition,
  EventHandler,
  HandlerScope,
  Logger,
  PluginContext,
  PublishOptions,
  QueryDefinition,
  RequestOptions,
  RetryPolicy,
  ServiceRef,
  StateStore,
  SubscribeOptions,
} from '@polis/plugin-api';
import type { EventBus } from '../bus/event-bus.js';
import { isCause } from '../bus/envelope-validation.js';
import { patternCovers } from '../bus/subject-pattern.js';
import { describeValue, invalidArgument, isOptions } from '../runtime/invalid-argument.js';
import type { TransportHandle } from '../bus/transport.js';
import { resolveRetryPolicy } from '../bus/retry-policy.js';
import { Outbox } from './outbox.js';
import { ProcessedEvents } from './processed-events.js';
import { failureFields } from '../runtime/failure-fields.js';
import { HandlerCall } from '../bus/handler-call.js';

/** What a context needs from the host that owns it. */
export interface ContextHost {
  readonly plugin: AnyPlugin;
  readonly config: unknown;
  readonly deps: Readonly<Record<string, unknown>>;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly state: StateStore;
  /** Where the events this plugin handled are recorded across restarts (a durable deployment); none: in process only. */
  readonly processedStore?: StateStore | undefined;
  /** Throws INVALID_STATE unless the plugin may subscribe, answer or provide now. */
  assertActive(operation: string): void;
  /** Throws INVALID_STATE unless the plugin may publish or request now (also while it drains on stop). */
  assertCanSend(operation: string): void;
  /** Keeps a pending subscription or responder so the host can await and close it. */
  track(handle: Promise<TransportHandle>): void;
  provide(ref: ServiceRef, implementation: unknown): void;
  onStart(hook: (signal: AbortSignal) => void | Promise<void>): void;
  onStop(hook: (signal: AbortSignal) => void | Promise<void>): void;
  /** Records the plugin file calling into the context now, so the process guard can attribute its stray failures. */
  noteCaller?(): void;
}

/** The declared contract of a plugin, indexed for the run-time permission checks. */
class Permissions {
  readonly publishes = new Map<string, EventDefinition>();
  /** Each consumed event type with the versions declared for it. */
  readonly consumedTypes = new Map<string, Set<number>>();
  readonly consumedPatterns: string[] = [];
  readonly requests = new Map<string, QueryDefinition>();
  readonly answers = new Map<string, QueryDefinition>();
  readonly provides = new Set<string>();

  constructor(plugin: AnyPlugin) {
    for (const event of plugin.publishes ?? []) this.publishes.set(event.type, event);
    for (const consumable of plugin.consumes ?? []) {
      if (typeof consumable === 'string') this.consumedPatterns.push(consumable);
      else this.consumedTypes.set(consumable.type, (this.consumedTypes.get(consumable.type) ?? new Set()).add(consumable.version));
    }
    for (const query of plugin.requests ?? []) this.requests.set(query.type, query);
    for (const query of plugin.answers ?? []) this.answers.set(query.type, query);
    for (const ref of plugin.provides ?? []) this.provides.add(ref.id);
  }

  /** A pattern is covered by a declared pattern or type; a definition must match a declared type and version. */
  mayConsume(pattern: string, version: number | undefined): boolean {
    if (version !== undefined) return this.consumedTypes.get(pattern)?.has(version) === true;
    return this.consumedTypes.has(pattern) || this.consumedPatterns.some((declared) => patternCovers(declared, pattern));
  }

  /** Labels of everything consumed, for error details. */
  consumed(): string[] {
    return [...[...this.consumedTypes].flatMap(([type, versions]) => [...versions].map((v) => `${type} v${v}`)), ...this.consumedPatterns];
  }
}

/**
 * Builds the `ctx` a plugin's setup receives. The compiler already rejects undeclared use for
 * TypeScript callers; every method checks again at run time for JavaScript callers.
 */
export function createPluginContext(host: ContextHost): PluginContext {
  const { plugin, bus } = host;
  const name = plugin.name;
  const permissions = new Permissions(plugin);
  const subscriptionsPerPattern = new Map<string, number>();

  const declaredEvent = (event: EventDefinition): EventDefinition => {
    const declared = event && typeof event === 'object' ? permissions.publishes.get(event.type) : undefined;
    if (!declared || declared.version !== event.version) {
      const what = event && typeof event === 'object' ? `${String(event.type)} v${String(event.version)}` : String(event);
      throw new PolisError(ErrorCodes.PUBLISH_NOT_DECLARED, `cannot publish ${what}: it is not in the manifest's 'publishes'`, {
        plugin: name,
        details: { type: (event as { type?: unknown } | undefined)?.type, declared: [...permissions.publishes.keys()] },
      });
    }
    return declared;
  };

  const query = (table: Map<string, QueryDefinition>, field: string, q: QueryDefinition): QueryDefinition => {
    const declared = q && typeof q === 'object' ? table.get(q.type) : undefined;
    if (!declared || declared.version !== q.version) {
      const what = q && typeof q === 'object' ? `'${String(q.type)}' v${String(q.version)}` : `'${String(q)}'`;
      throw new PolisError(ErrorCodes.QUERY_NOT_DECLARED, `${what} is not in the manifest's '${field}'`, {
        plugin: name,
        details: { type: q?.type, declared: [...table.keys()] },
      });
    }
    return declared;
  };

  /** Checks and makes the envelope; `trusted`: the cause is the event being handled (made or admitted by the bus), not a caller's value. */
  const prepare = (event: EventDefinition, data: unknown, options: PublishOptions = {}, trusted = false, id?: string): CloudEvent => {
    if (!trusted) assertPublishOptions(options, name);
    const declared = declaredEvent(event);
    host.assertCanSend(`publish ${declared.type}`);
    return bus.prepare(name, declared.type, declared.version, data, {
      subject: options.subject,
      priority: options.priority ?? declared.priority,
      causedBy: options.causedBy,
      id,
    });
  };

  const publish = (event: EventDefinition, data: unknown, options: PublishOptions = {}, trusted = false): Promise<CloudEvent> => {
    try {
      return bus.send(prepare(event, data, options, trusted));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const request = async (q: QueryDefinition, data: unknown, options: RequestOptions = {}, trusted = false): Promise<unknown> => {
    if (!trusted) assertRequestOptions(options, name);
    const declared = query(permissions.requests, 'requests', q);
    host.assertCanSend(`request ${declared.type}`);
    return bus.request(name, declared.type, declared.version, data, options);
  };

  const scopes = new ScopeFactory(name, prepare, publish, request, (seed, n) => bus.outboxId(seed, n));
  const recordOptions = {
    store: host.processedStore,
    onStoreFailure: (error: unknown) => host.logger.warn('could not record a handled event durably', failureFields(error)),
  };

  /**
   * One handler call as a transaction: what it publishes through its scope is held and sent only
   * once it succeeded, and an event it already handled to the end is not handled again.
   */
  const transactional = (group: string, handler: EventHandler<unknown, EventDefinition, QueryDefinition>, retry: RetryPolicy) => {
    // Only where a finished event can come again is there anything to recognise: in this process
    // where the transport says so (Transport.repeatsDeliveries), after a restart where the
    // deployment keeps the record durably (KernelOptions.durableIdempotency).
    const inProcess = bus.transport.repeatsDeliveries !== false;
    const processed = inProcess || recordOptions.store !== undefined ? new ProcessedEvents(group, { ...recordOptions, inProcess }) : undefined;
    const commit = (scope: HandlerScopeImpl, event: CloudEvent, call: HandlerCall | undefined): void | Promise<void> => {
      // A call given up for its timeout was counted as failed (and retried): what it held is discarded.
      if (call?.expired === true) {
        scope.abandon();
        return;
      }
      const outbox = scope.close();
      if (outbox === undefined) return processed?.add(event);
      return outbox.flush(bus.send.bind(bus), retry).then(() => processed?.add(event));
    };
    const attempt = (event: CloudEvent, _redelivered?: boolean, call?: HandlerCall): void | Promise<void> => {
      // The scope opens the call's outbox only when the handler publishes.
      const scope = scopes.for(event, group, call);
      let result: void | Promise<void>;
      try {
        result = handler(event, scope as never);
      } catch (error) {
        scope.close();
        throw error;
      }
      // A synchronous handler publishing nothing costs no promise and no closure (the memory path's common case).
      if (result === undefined || typeof (result as Partial<Promise<void>>).then !== 'function') return commit(scope, event, call);
      return (result as Promise<void>).then(
        () => commit(scope, event, call),
        (error: unknown) => {
          scope.close();
          throw error;
        },
      );
    };
    if (processed === undefined) return attempt;
    return (event: CloudEvent, redelivered?: boolean, call?: HandlerCall): void | Promise<void> => {
      if (processed.has(event)) return;
      // Only a redelivery can have been handled by an earlier run of this process: a first delivery costs no store lookup.
      if (!processed.durable || redelivered !== true) return attempt(event, redelivered, call);
      return processed.hasDurably(event).then((done) => (done ? undefined : attempt(event, redelivered, call)));
    };
  };

  const context: PluginContext<EventDefinition, Consumable, QueryDefinition, QueryDefinition, ServiceRef, unknown, Readonly<Record<string, unknown>>> = {
    name,
    version: plugin.version,
    config: host.config,
    deps: host.deps,
    logger: host.logger,
    clock: host.clock,
    state: host.state,
    publish: publish as PluginContext['publish'],
    request: request as PluginContext['request'],
    on(consumable, handler, options: SubscribeOptions | undefined = {}) {
      host.noteCaller?.();
      const definition = consumable !== null && typeof consumable === 'object' ? (consumable as EventDefinition) : undefined;
      const pattern = typeof consumable === 'string' ? consumable : definition?.type;
      // A subscription to a definition is bound to its version: events of other versions are converted to it.
      const version = definition?.version;
      if (typeof pattern !== 'string' || (definition !== undefined && typeof version !== 'number') || !permissions.mayConsume(pattern, version)) {
        const what = typeof pattern !== 'string' ? describeValue(consumable) : version === undefined ? `'${pattern}'` : `${pattern} v${describeValue(version)}`;
        throw new PolisError(ErrorCodes.SUBSCRIBE_NOT_DECLARED, `cannot subscribe to ${what}: it is not in the manifest's 'consumes'`, {
          plugin: name,
          details: { pattern, version, declared: permissions.consumed() },
        });
      }
      if (typeof handler !== 'function') throw invalidArgument(`the handler of ctx.on('${pattern}')`, 'a function', handler, name);
      if (!isOptions(options)) throw invalidArgument(`the options of ctx.on('${pattern}')`, 'an object', options, name);
      host.assertActive(`subscribe to ${pattern}`);
      // Replicas run the same setup, so the nth subscription to a pattern gets the same group on
      // every node: replicas share work, while two handlers of one plugin each get every event.
      const nth = subscriptionsPerPattern.get(pattern) ?? 0;
      subscriptionsPerPattern.set(pattern, nth + 1);
      const group = nth === 0 ? name : `${name}#${nth}`;
      const retry = resolveRetryPolicy(bus.retry, options?.retry, name);
      host.track(
        bus.subscribe({
          owner: name,
          pattern,
          group,
          handler: transactional(group, handler as EventHandler<unknown, EventDefinition, QueryDefinition>, retry),
          version,
          concurrency: options?.concurrency,
          retry: options?.retry,
          timeoutMs: options?.timeoutMs,
        }),
      );
    },
    answer(q, handler) {
      host.noteCaller?.();
      const declared = query(permissions.answers, 'answers', q);
      if (typeof handler !== 'function') throw invalidArgument(`the handler of ctx.answer('${declared.type}')`, 'a function', handler, name);
      host.assertActive(`answer ${declared.type}`);
      host.track(bus.answer(name, declared.type, declared.version, (data, event) => handler(data as never, event as never)));
    },
    provide(ref, implementation) {
      if (!ref || typeof ref !== 'object' || !permissions.provides.has(ref.id)) {
        const what = ref !== null && typeof ref === 'object' && typeof ref.id === 'string' ? `'${ref.id}'` : describeValue(ref);
        throw new PolisError(ErrorCodes.SERVICE_NOT_DECLARED, `cannot provide ${what}: it is not in the manifest's 'provides'`, {
          plugin: name,
        });
      }
      host.provide(ref, implementation);
    },
    scopeFor(cause) {
      assertCause(cause, name);
      return scopes.for(cause as CloudEvent) as never;
    },
    onStart(hook) {
      host.noteCaller?.();
      if (typeof hook !== 'function') throw invalidArgument('the hook of ctx.onStart', 'a function', hook, name);
      host.onStart(hook);
    },
    onStop(hook) {
      host.noteCaller?.();
      if (typeof hook !== 'function') throw invalidArgument('the hook of ctx.onStop', 'a function', hook, name);
      host.onStop(hook);
    },
  };
  return Object.freeze(context) as PluginContext;
}

type Prepare = (event: EventDefinition, data: unknown, options: PublishOptions | undefined, trusted: boolean, id?: string) => CloudEvent;
type Publish = (event: EventDefinition, data: unknown, options: PublishOptions | undefined, trusted: boolean) => Promise<CloudEvent>;
type Request = (query: QueryDefinition, data: unknown, options: RequestOptions | undefined, trusted: boolean) => Promise<unknown>;

const PRIORITIES: ReadonlySet<unknown> = new Set(['emergency', 'routine']);

/** Options of a publish from plugin code: each checked, since a bad one would make a bad envelope. */
function assertPublishOptions(options: PublishOptions | undefined, plugin: string): void {
  if (options === undefined) return;
  if (!isOptions(options)) throw invalidArgument('publish options', 'an object', options, plugin);
  if (options.subject !== undefined && typeof options.subject !== 'string') throw invalidArgument('options.subject', 'a string', options.subject, plugin);
  if (options.priority !== undefined && !PRIORITIES.has(options.priority)) throw invalidArgument('options.priority', "'emergency' or 'routine'", options.priority, plugin);
  assertCause(options.causedBy, plugin);
}

function assertRequestOptions(options: RequestOptions | undefined, plugin: string): void {
  if (options === undefined) return;
  if (!isOptions(options)) throw invalidArgument('request options', 'an object', options, plugin);
  assertCause(options.causedBy, plugin);
}

function assertCause(cause: unknown, plugin: string): void {
  if (cause !== undefined && !isCause(cause)) {
    throw invalidArgument('options.causedBy', 'a CloudEvent this plugin received or published (string id and correlationid, a valid trace)', cause, plugin);
  }
}

/**
 * The `scope` handed to each handler call: publish and request on behalf of the event being
 * handled. While its handler runs, publishes are held in the outbox; once it returned (or for a
 * scope from `ctx.scopeFor`), they go out at once. A class rather than closures because one is
 * made per delivered event.
 */
class HandlerScopeImpl implements HandlerScope<EventDefinition, QueryDefinition> {
  /** Set once the call was given up for its timeout: the scope then refuses to publish or request. */
  private abandoned: PolisError | undefined;

  /** What the handler published so far, held until it succeeded; made at its first publish. */
  private outbox: Outbox | undefined;

  constructor(
    private readonly factory: ScopeFactory,
    private readonly cause: CloudEvent,
    /** The consumer group of the handler call whose transaction is open; undefined once it ended, or for a scope from `ctx.scopeFor`. */
    private group: string | undefined,
    private readonly call: HandlerCall | undefined,
  ) {}

  get signal(): AbortSignal {
    return (this.call ?? (this.free ??= new HandlerCall())).signal;
  }

  /** The signal of a scope from `ctx.scopeFor`, which no timeout bounds: never aborted. */
  private free: HandlerCall | undefined;

  /** Ends the handler's transaction and returns what it held, if anything: later publishes (a timer holding this scope) go out directly. */
  close(): Outbox | undefined {
    const held = this.outbox;
    this.outbox = undefined;
    this.group = undefined;
    return held;
  }

  /** Ends a call that ran past its timeout: what it held is dropped, and it may not publish any more. */
  abandon(): void {
    this.close();
    this.abandoned = new PolisError(ErrorCodes.HANDLER_TIMEOUT, `the handler of ${this.cause.type} ran past its timeout; it may no longer publish or request`, {
      plugin: this.factory.plugin,
    });
  }

  /** A call past its timeout may still be running (it ignored its signal): it publishes nothing more. */
  private assertLive(): void {
    if (this.abandoned === undefined && this.call?.expired === true) this.abandon();
    if (this.abandoned !== undefined) throw this.abandoned;
  }

  publish(event: EventDefinition, data: unknown, options?: Omit<PublishOptions, 'causedBy'>): Promise<never> {
    try {
      this.assertLive();
      assertPublishOptions(options, this.factory.plugin);
      const merged = { ...options, causedBy: this.cause };
      if (this.group === undefined) return this.factory.publish(event, data, merged, true) as Promise<never>;
      const outbox = (this.outbox ??= new Outbox(this.factory.plugin, this.group, this.cause, this.factory.outboxId));
      // The same id in a re-run after a crash: the broker drops what the killed run already sent.
      const prepared = this.factory.prepare(event, data, merged, true, outbox.nextId());
      outbox.hold(prepared);
      return Promise.resolve(prepared) as Promise<never>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  request(query: QueryDefinition, data: unknown, options?: Omit<RequestOptions, 'causedBy'>): Promise<never> {
    try {
      this.assertLive();
      assertRequestOptions(options, this.factory.plugin);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.factory.request(query, data, { ...options, causedBy: this.cause }, true) as Promise<never>;
  }
}

class ScopeFactory {
  constructor(
    readonly plugin: string,
    readonly prepare: Prepare,
    readonly publish: Publish,
    readonly request: Request,
    /** The bus's outbox ids (IdGenerator.outboxId). */
    readonly outboxId: (seed: string, n: number) => string,
  ) {}

  /** The scope of a handler call of `group` handling `cause` (its transaction open), or with no group a scope that publishes at once (`ctx.scopeFor`). */
  for(cause: CloudEvent, group?: string, call?: HandlerCall): HandlerScopeImpl {
    return new HandlerScopeImpl(this, cause, group, call);
  }
}
