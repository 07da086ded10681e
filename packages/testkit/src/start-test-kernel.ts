import { Kernel, createLogger } from '@polis/kernel';
import type { LoadReport, LogLevel, LogRecord, PluginInput, ServiceBinding } from '@polis/kernel';
import type { Transport } from '@polis/kernel/transport';
import { EventDeadLettered, PolisAggregateError, ErrorCodes, definePlugin, replyTypeOf } from '@polis/plugin-api';
import type {
  CloudEvent,
  EventData,
  EventDefinition,
  PublishOptions,
  QueryDefinition,
  QueryHandler,
  QueryRequest,
  QueryResponse,
  RetryPolicy,
} from '@polis/plugin-api';
import { EventRecorder } from './event-recorder.js';
import type { ExpectOptions } from './event-recorder.js';
import { FakeClock } from './fake-clock.js';
import { invalid } from './invalid-argument.js';

/** An answer to a query no plugin under test answers: another domain's service, stood in for. */
export interface QueryStandIn {
  readonly query: QueryDefinition;
  readonly answer: QueryHandler<QueryDefinition>;
}

/** A typed stand-in: `standIn(traffic.RouteFind, ({ from, to }) => ({ ... }))`. */
export function standIn<Q extends QueryDefinition>(query: Q, answer: QueryHandler<Q>): QueryStandIn {
  return { query, answer: answer as QueryHandler<QueryDefinition> };
}

export interface TestKernelOptions {
  plugins: readonly PluginInput[];
  /** Queries answered by the test itself, in a plugin of its own (`testkit-stand-ins`). */
  standIns?: readonly QueryStandIn[];
  /** Configuration by plugin name, for plugins given without an entry of their own. */
  config?: Readonly<Record<string, unknown>>;
  /** The clock plugins see (default: a FakeClock at 2026-01-01T08:00:00Z). */
  clock?: FakeClock;
  /** Default: a private in-memory transport. */
  transport?: Transport;
  /** Log lines at or above this level are printed too (default: none; all are kept in `logs`). */
  printLogs?: LogLevel;
  /** Default: fast retries (3 attempts, 5 ms apart) so failure paths run quickly in tests. */
  retry?: Partial<RetryPolicy>;
  maxEventBytes?: number;
  timeouts?: { setupMs?: number; startMs?: number; stopMs?: number };
  /** Resolve even if some plugin failed to start (see `report`); default false: reject. */
  allowFailures?: boolean;
  /**
   * Services bound in the kernel's root container (`bindService(ref, mock)`): a mock of a service
   * the plugin under test `needs` that no plugin in the test provides, or a replacement for a core
   * service (a `coreServices.logger` given here replaces the recording one, so `logs` stays empty).
   */
  services?: readonly ServiceBinding[];
}

type DeadLetterData = EventData<typeof EventDeadLettered>;

export interface TestKernel {
  readonly kernel: Kernel;
  readonly clock: FakeClock;
  readonly report: LoadReport;
  /** Every event on the bus, in order. */
  readonly events: readonly CloudEvent[];
  /** Every log record of the kernel and the plugins. */
  readonly logs: readonly LogRecord[];
  readonly deadLetters: readonly CloudEvent<DeadLetterData>[];
  /** Publishes as the test (source `testkit`), with the same validation plugins get. */
  publish<E extends EventDefinition>(event: E, data: EventData<E>, options?: PublishOptions): Promise<CloudEvent<EventData<E>>>;
  request<Q extends QueryDefinition>(query: Q, data: QueryRequest<Q>, options?: { timeoutMs?: number }): Promise<QueryResponse<Q>>;
  /** Waits for the first event of a type (or pattern), already seen or still to come. */
  expectEvent<E extends EventDefinition>(event: E, options?: ExpectOptions<EventData<E>>): Promise<CloudEvent<EventData<E>>>;
  expectEvent(pattern: string, options?: ExpectOptions<unknown>): Promise<CloudEvent>;
  /** Resolves if no such event arrives within `within` ms (default 200). */
  expectNoEvent<E extends EventDefinition>(event: E, options?: ExpectOptions<EventData<E>>): Promise<void>;
  expectNoEvent(pattern: string, options?: ExpectOptions<unknown>): Promise<void>;
  eventsOf<E extends EventDefinition>(event: E): CloudEvent<EventData<E>>[];
  eventsOf(pattern: string): CloudEvent[];
  stop(): Promise<void>;
}

/**
 * Boots a real kernel with `plugins` in one call, records every event, and hands back a fake
 * clock. Rejects with the kernel's aggregated error if the deployment is invalid.
 */
export async function startTestKernel(options: TestKernelOptions): Promise<TestKernel> {
  if (options === null || typeof options !== 'object') throw invalid('startTestKernel options', '{ plugins, ... }', options);
  if (!Array.isArray(options.plugins)) throw invalid('options.plugins', 'an array of plugins', options.plugins);
  const clock = options.clock ?? new FakeClock();
  const logs: LogRecord[] = [];
  const print = options.printLogs ? createLogger({ level: options.printLogs }) : undefined;
  const logger = createLogger({
    level: 'debug',
    write: (_line, record) => {
      logs.push(record);
      print?.[record.level](record.message, record.fields);
    },
  });
  const kernel = new Kernel({
    clock,
    logger,
    transport: options.transport,
    maxEventBytes: options.maxEventBytes,
    retry: options.retry ?? { maxAttempts: 3, initialDelayMs: 5, backoffFactor: 1 },
    timeouts: options.timeouts,
    services: options.services,
    // A plugin that mutates an event it published or received fails its tests, not production.
    immutableEvents: true,
  });
  const recorder = new EventRecorder();
  const entries = options.plugins.map((input) =>
    input !== null && typeof input === 'object' && 'setup' in input ? { plugin: input, config: options.config?.[input.name] } : input,
  );
  if (options.standIns?.length) entries.push({ plugin: standInPlugin(options.standIns) });

  let report: LoadReport;
  try {
    report = await kernel.start([]);
    await kernel.bus.subscribe({
      owner: 'testkit',
      pattern: '>',
      group: `testkit-recorder-${Math.random().toString(36).slice(2)}`,
      concurrency: 1_000_000,
      handler: (event) => recorder.record(event),
    });
    report = await kernel.load(entries);
  } catch (error) {
    await kernel.stop();
    throw error;
  }
  if (report.failed.length > 0 && !options.allowFailures) {
    await kernel.stop();
    throw new PolisAggregateError(ErrorCodes.STARTUP_FAILED, 'plugins failed to start (pass allowFailures to inspect them)', report.failed);
  }

  const ensureRegistered = async (type: string, version: number, schema: EventDefinition['schema']) => {
    if (!kernel.registry.has(type, version)) await kernel.registry.register(type, version, schema);
  };

  return {
    kernel,
    clock,
    report,
    logs,
    get events() {
      return recorder.events;
    },
    get deadLetters() {
      return recorder.of<DeadLetterData>(EventDeadLettered.type);
    },
    async publish(event, data, publishOptions = {}) {
      assertDefinition(event, 'event');
      if (publishOptions === null || typeof publishOptions !== 'object') throw invalid('publish options', 'an object', publishOptions);
      await ensureRegistered(event.type, event.version, event.schema);
      return (await kernel.bus.publish('testkit', event.type, event.version, data, {
        ...publishOptions,
        priority: publishOptions.priority ?? event.priority,
      })) as never;
    },
    async request(query, data, requestOptions = {}) {
      assertDefinition(query, 'query');
      await ensureRegistered(query.type, query.version, query.request);
      await ensureRegistered(replyTypeOf(query.type), query.version, query.response);
      return (await kernel.bus.request('testkit', query.type, query.version, data, requestOptions)) as never;
    },
    expectEvent(what: EventDefinition | string, expectOptions?: ExpectOptions<never>) {
      return recorder.expect(patternOf(what), expectOptions) as never;
    },
    expectNoEvent(what: EventDefinition | string, expectOptions?: ExpectOptions<never>) {
      return recorder.expectNone(patternOf(what), expectOptions);
    },
    eventsOf(what: EventDefinition | string) {
      return recorder.of(patternOf(what)) as never;
    },
    stop: () => kernel.stop(),
  };
}

/** The pattern an expectation waits for: a type pattern, or the type of a definition. */
function patternOf(what: EventDefinition | string): string {
  if (typeof what === 'string') return what;
  assertDefinition(what, 'event');
  return what.type;
}

function assertDefinition(definition: unknown, kind: 'event' | 'query'): void {
  const type = (definition as { type?: unknown } | null)?.type;
  const version = (definition as { version?: unknown } | null)?.version;
  if (definition === null || typeof definition !== 'object' || typeof type !== 'string' || typeof version !== 'number') {
    throw invalid(`the ${kind}`, `a definition made with define${kind === 'event' ? 'Event' : 'Query'}()`, definition);
  }
}

function standInPlugin(standIns: readonly QueryStandIn[]) {
  return definePlugin({
    name: 'testkit-stand-ins',
    version: '1.0.0',
    kernel: '^1',
    answers: standIns.map((entry) => entry.query),
    setup(ctx) {
      for (const { query, answer } of standIns) ctx.answer(query, answer);
    },
  });
}
