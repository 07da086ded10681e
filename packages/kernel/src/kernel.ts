import 'reflect-metadata';
import { CORE_SERVICE_IDS, ErrorCodes, PolisAggregateError, PolisError, coreServices, isPolisError, replyTypeOf } from '@polis/plugin-api';
import type { AnyPlugin, Clock, Logger, MetricsService, RetryPolicy, ServiceRef, StateStore } from '@polis/plugin-api';
import type { TracerProvider } from '@opentelemetry/api';
import { Container } from 'inversify';
import { EventBus } from './bus/event-bus.js';
import { MemoryTransport } from './bus/memory-transport.js';
import type { Transport } from './bus/transport.js';
import { resolveConfig } from './plugins/config-validation.js';
import { buildDependencyGraph, dependentsOf } from './plugins/dependency-graph.js';
import { manifestProblems } from './plugins/manifest-validation.js';
import { PluginHost } from './plugins/plugin-host.js';
import { versionPairProblems } from './plugins/version-pairs.js';
import type { PluginStatus } from './plugins/plugin-host.js';
import { serviceId } from './runtime/container-ids.js';
import { failureFields } from './runtime/failure-fields.js';
import { invalidArgument, isOptions } from './runtime/invalid-argument.js';
import { assertKernelOptions, pluginList } from './runtime/kernel-arguments.js';
import { createLogger } from './runtime/logger.js';
import { guardedStateStore } from './runtime/guarded-state-store.js';
import { sharedOutboxKey } from './plugins/outbox-key.js';
import { guardProcess } from './runtime/process-guard.js';
import { BusMetrics } from './metrics/bus-metrics.js';
import { PromMetricsService } from './metrics/prom-metrics-service.js';
import { MemoryStateStore } from './runtime/memory-state-store.js';
import { systemClock } from './runtime/system-clock.js';
import { SchemaRegistry } from './schema/schema-registry.js';
import type { SchemaClaim } from './schema/schema-registry.js';
import type { SchemaStore } from './schema/schema-store.js';

/** The plugin API this kernel implements; plugins declare the range they support in `kernel`. */
export const KERNEL_API_VERSION = '1.0.0';

/** A plugin with its configuration. */
export interface PluginEntry {
  plugin: AnyPlugin;
  config?: unknown;
}

export type PluginInput = AnyPlugin | PluginEntry;

/** An implementation the kernel binds under a service ref: a core service replaced, or a service no plugin provides (a test's mock). */
export interface ServiceBinding<T = unknown> {
  readonly ref: ServiceRef<T>;
  readonly implementation: T;
}

/** A {@link ServiceBinding}, typed by its ref: `bindService(coreServices.clock, testClock)`. */
export function bindService<T>(ref: ServiceRef<T>, implementation: NoInfer<T>): ServiceBinding<T> {
  return { ref, implementation };
}

export interface KernelOptions {
  /** Where events travel (default: a private in-memory transport). */
  transport?: Transport;
  logger?: Logger;
  /** The time plugins see (default: the system clock). */
  clock?: Clock;
  /** Where schemas are kept (default: in process; NATS KV shares one registry across nodes). */
  schemaStore?: SchemaStore;
  /** Each plugin's key-value state (default: in process). */
  stateStore?: (plugin: string) => StateStore;
  /**
   * Also records the events each plugin handled in `stateStore` (under `~processed/<plugin>`), so
   * a redelivery after a crash is not handled again. Off by default: one store write per handled
   * event, which on NATS KV costs the demo city a third of its throughput.
   */
  durableIdempotency?: boolean;
  /** Largest serialized event data in bytes (default 1 MiB). */
  maxEventBytes?: number;
  /** Default retry policy of every subscription. */
  retry?: Partial<RetryPolicy>;
  /** Default handler timeout of every subscription, in ms (default 30 000); `ctx.on(..., { timeoutMs })` overrides it. */
  handlerTimeoutMs?: number;
  /** Where the bus's OpenTelemetry spans go (default: the global tracer provider, none until an SDK registers one). */
  tracerProvider?: TracerProvider;
  /**
   * Head sampling in the kernel: the share of traces (0 to 1) that a publish starting one records.
   * The rest get an unsampled `traceparent` (flags 00) and no span object, and neither does
   * anything they cause; a trace arriving from outside keeps its own decision. Without it every
   * new trace is offered to the SDK's sampler, which costs a span context per publish even when it
   * declines. Pair it with the SDK's ParentBased(AlwaysOn) sampler.
   */
  traceSampleRatio?: number;
  /**
   * Deep-freeze event data on publish. In-process handlers share the published object, so events
   * are read-only by contract; this makes a mutation throw. Off by default (freezing a fresh
   * object costs V8 several times the rest of a publish); the test kit turns it on.
   */
  immutableEvents?: boolean;
  timeouts?: { setupMs?: number; startMs?: number; stopMs?: number };
  /**
   * Installs the process guard while the kernel runs (default true): a plugin's stray promise
   * rejection or a throw in a plain timer is logged (POLIS_PROCESS_FAULT) instead of ending the process.
   */
  processGuard?: boolean;
  /**
   * Records the bus metrics in `coreServices.metrics` (default true). Off, the bus and its
   * dispatchers do no metrics work at all: the baseline `pnpm bench` measures their cost against.
   */
  busMetrics?: boolean;
  /**
   * Services bound in the root container, which plugins `need` like any other: a replacement for
   * `coreServices.logger` or `.clock` (then the kernel uses it too), or a service no plugin
   * provides. Plugin-scoped services (`coreServices.state`, `.config`) are set through
   * `stateStore` and each plugin's config instead.
   */
  services?: readonly ServiceBinding[];
}

export interface LoadReport {
  /** Plugins now running, in start order. */
  readonly started: readonly string[];
  /** Plugins whose setup or start failed, or that need one that did. */
  readonly failed: readonly PolisError[];
}

interface Candidate {
  readonly plugin: AnyPlugin;
  readonly config: unknown;
}

/**
 * The kernel: loads plugins (validating every manifest and config before any plugin code runs),
 * starts them in dependency order, and hot-plugs them while events keep flowing.
 */
export class Kernel {
  /** The root container; each plugin's child container resolves through it. Not public: plugins reach services by `needs`. */
  private readonly container = new Container();
  /** The service ids the kernel binds itself (core services and `options.services`): no plugin may provide them. */
  private readonly kernelServices: ReadonlySet<string>;
  readonly registry: SchemaRegistry;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Where the bus's metrics are recorded (`coreServices.metrics`; default: prom-client, a registry of this kernel's own). */
  readonly metrics: MetricsService;
  private readonly busMetrics: BusMetrics | undefined;
  private readonly hosts = new Map<string, PluginHost>();
  private readonly stateStores = new Map<string, StateStore>();
  private readonly timeouts: { setupMs: number; startMs: number; stopMs: number };
  private phase: 'created' | 'running' | 'stopped' = 'created';
  private unguard: (() => void) | undefined;
  /** Serializes load / unload / upgrade / stop so they never interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: KernelOptions = {}) {
    assertKernelOptions(options);
    const overrides = new Map((options.services ?? []).map((binding) => [binding.ref.id, binding.implementation]));
    this.logger = (overrides.get(coreServices.logger.id) as Logger | undefined) ?? options.logger ?? createLogger();
    this.clock = (overrides.get(coreServices.clock.id) as Clock | undefined) ?? options.clock ?? systemClock;
    // No process metrics here: a test process runs many kernels; the gateway's own registry adds them.
    this.metrics = (overrides.get(coreServices.metrics.id) as MetricsService | undefined) ?? new PromMetricsService({ processMetrics: false });
    this.busMetrics = options.busMetrics === false ? undefined : new BusMetrics(this.metrics);
    this.registry = new SchemaRegistry({
      store: options.schemaStore,
      onUnreadable: (record, error) =>
        this.logger.warn(`shared schema ${record.type} v${record.version} does not compile here; its events will be refused`, {
          error: error instanceof Error ? error.message : String(error),
        }),
      onLost: (record, error) =>
        this.logger.error(`schema ${record.type} v${record.version}, which plugins here rely on, was taken back from the shared store and cannot be stored again`, {
          error: error instanceof Error ? error.message : String(error),
        }),
    });
    this.bus = new EventBus({
      registry: this.registry,
      transport: options.transport ?? new MemoryTransport(),
      clock: this.clock,
      logger: this.logger,
      maxEventBytes: options.maxEventBytes,
      retry: options.retry,
      handlerTimeoutMs: options.handlerTimeoutMs,
      immutableEvents: options.immutableEvents,
      tracerProvider: options.tracerProvider,
      traceSampleRatio: options.traceSampleRatio,
      metrics: this.busMetrics,
    });
    // Field by field: an explicit `undefined` (an unset line of a deployment file) keeps the default.
    this.timeouts = {
      setupMs: options.timeouts?.setupMs ?? 10_000,
      startMs: options.timeouts?.startMs ?? 10_000,
      stopMs: options.timeouts?.stopMs ?? 5_000,
    };
    overrides.set(coreServices.logger.id, this.logger);
    overrides.set(coreServices.clock.id, this.clock);
    overrides.set(coreServices.metrics.id, this.metrics);
    for (const [id, implementation] of overrides) this.container.bind(serviceId(id)).toConstantValue(implementation);
    // State and config are each plugin's own: bound in its child container (createHost).
    this.kernelServices = new Set([...CORE_SERVICE_IDS, ...overrides.keys()]);
  }

  /** Connects the bus, then loads `plugins` as one deployment. */
  async start(plugins: readonly PluginInput[] = []): Promise<LoadReport> {
    return this.serialized(async () => {
      if (this.phase !== 'created') throw new PolisError(ErrorCodes.INVALID_STATE, `the kernel is already ${this.phase}`);
      try {
        await this.registry.open();
        await this.bus.connect();
        const stores = this.options.stateStore;
        // A deployment with a state store shares one outbox key among its kernels and across restarts.
        if (stores !== undefined) this.bus.useOutboxKey(await sharedOutboxKey(guardedStateStore(stores('~kernel'))));
      } catch (error) {
        // A half-opened connection would keep the process alive after a failed start.
        this.phase = 'stopped';
        await this.bus.close(true).catch(() => undefined);
        this.registry.close();
        throw error;
      }
      this.phase = 'running';
      if (this.options.processGuard !== false) this.unguard = guardProcess(this.logger, () => this.hosts.values(), (plugin) => this.busMetrics?.fault(plugin));
      this.logger.info(`kernel started on the ${this.bus.transport.name} transport`);
      return this.loadNow(plugins);
    });
  }

  /**
   * Validates plugins as a dry run: manifests, configs, kernel range, names, service
   * dependencies and schema compatibility against what runs now. Nothing is registered or run.
   */
  async check(plugins: readonly PluginInput[]): Promise<readonly PolisError[]> {
    return this.validate(pluginList(plugins).map(toEntry)).problems;
  }

  /** Hot plug: loads plugins into the running kernel; the running ones are not disturbed. */
  async load(plugins: PluginInput | readonly PluginInput[]): Promise<LoadReport> {
    return this.serialized(async () => {
      this.assertRunning();
      return this.loadNow(Array.isArray(plugins) ? plugins : [plugins as PluginInput]);
    });
  }

  /**
   * Stops a plugin and removes its subscriptions and services. Plugins that need its services
   * are refused unless `cascade`, which unloads them first; their names are returned.
   */
  async unload(name: string, options: { cascade?: boolean } = {}): Promise<string[]> {
    return this.serialized(async () => {
      if (!isOptions(options)) throw invalidArgument('unload options', 'an object', options);
      this.assertRunning();
      return this.unloadNow(name, options.cascade === true);
    });
  }

  /**
   * Replaces a running plugin with another version of it. The new version is validated first
   * (nothing is touched if it is invalid); plugins that need it are restarted around the swap;
   * if the new version fails to start, the old one is started again.
   */
  async upgrade(input: PluginInput): Promise<LoadReport> {
    return this.serialized(async () => {
      this.assertRunning();
      const next = toEntry(input);
      const current = this.hosts.get(next.plugin?.name);
      if (!current) throw new PolisError(ErrorCodes.PLUGIN_NOT_FOUND, `no plugin '${String(next.plugin?.name)}' is loaded`);
      const previous = { plugin: current.plugin, config: current.config };
      const dependents = this.dependents(next.plugin.name).map((n) => ({ plugin: this.hosts.get(n)!.plugin, config: this.hosts.get(n)!.config }));
      // Validated together with its dependents: a new version that drops a service they need is
      // refused here, before anything is stopped.
      const swapped = [next, ...dependents];
      const { problems } = this.validate(swapped, new Set(swapped.map((entry) => entry.plugin.name)));
      if (problems.length > 0) throw new PolisAggregateError(ErrorCodes.STARTUP_FAILED, `cannot upgrade '${next.plugin.name}'`, problems);
      await this.unloadNow(next.plugin.name, true);
      let report: LoadReport;
      try {
        report = await this.loadNow(swapped);
      } catch (error) {
        report = { started: [], failed: [isPolisError(error) ? error : new PolisError(ErrorCodes.PLUGIN_SETUP_FAILED, String(error), { plugin: next.plugin.name, cause: error })] };
      }
      if (report.failed.some((error) => error.plugin === next.plugin.name || error.plugin === undefined)) {
        this.logger.warn(`upgrade failed; restarting version ${previous.plugin.version}`, { plugin: next.plugin.name });
        for (const name of [...dependents.map((d) => d.plugin.name), next.plugin.name]) {
          const host = this.hosts.get(name);
          if (host) {
            await host.stop(this.timeouts.stopMs);
            this.hosts.delete(name);
          }
        }
        const rollback = await this.loadNow([previous, ...dependents]);
        return { started: rollback.started, failed: [...report.failed, ...rollback.failed] };
      }
      return report;
    });
  }

  /** Stops every plugin in reverse start order, then closes the transport. */
  async stop(): Promise<void> {
    return this.serialized(async () => {
      if (this.phase !== 'running') return;
      this.phase = 'stopped';
      for (const host of [...this.hosts.values()].reverse()) {
        await host.stop(this.timeouts.stopMs);
        this.hosts.delete(host.name);
      }
      await this.bus.close();
      this.registry.close();
      this.unguard?.();
      this.logger.info('kernel stopped');
    });
  }

  plugins(): PluginStatus[] {
    return [...this.hosts.values()].map((host) => host.status());
  }

  plugin(name: string): PluginStatus | undefined {
    return this.hosts.get(name)?.status();
  }

  private async loadNow(inputs: readonly PluginInput[]): Promise<LoadReport> {
    const entries = pluginList(inputs).map(toEntry);
    const { problems, candidates, claims } = this.validate(entries);
    if (problems.length > 0) {
      throw new PolisAggregateError(ErrorCodes.STARTUP_FAILED, `${problems.length} problem(s) found; no plugin was started`, problems);
    }
    await this.registry.registerAll(claims);
    const byName = new Map(candidates.map((c) => [c.plugin.name, c]));
    const graph = buildDependencyGraph([
      ...[...this.hosts.values()].filter((h) => !byName.has(h.name)).map((h) => h.plugin),
      ...candidates.map((c) => c.plugin),
    ], this.kernelServices);
    const order = graph.order.filter((name) => byName.has(name));
    const failed: PolisError[] = [];
    const setUp: PluginHost[] = [];
    const unusable = (name: string): string | undefined =>
      [...(graph.needs.get(name) ?? [])].find((dependency) => {
        const host = this.hosts.get(dependency);
        return !host || host.state === 'failed' || host.state === 'stopped';
      });

    for (const name of order) {
      const candidate = byName.get(name)!;
      const host = this.createHost(candidate);
      this.hosts.set(name, host);
      const broken = unusable(name);
      if (broken) {
        failed.push(this.failDependent(host, broken));
        continue;
      }
      try {
        await host.setup(this.timeouts.setupMs);
        setUp.push(host);
      } catch (error) {
        failed.push(error as PolisError);
      }
    }
    const started: string[] = [];
    for (const host of setUp) {
      const broken = unusable(host.name);
      if (broken) {
        const error = dependencyFailed(host.name, broken);
        await host.abandon(error);
        failed.push(error);
        continue;
      }
      try {
        await host.start(this.timeouts.startMs);
        started.push(host.name);
        this.logger.info(`started ${host.name}@${host.plugin.version}`, { plugin: host.name });
      } catch (error) {
        failed.push(error as PolisError);
      }
    }
    return { started, failed };
  }

  private failDependent(host: PluginHost, dependency: string): PolisError {
    const error = dependencyFailed(host.name, dependency);
    host.refuse(error);
    this.logger.error(error.message, { plugin: host.name, ...failureFields(error) });
    return error;
  }

  private async unloadNow(name: string, cascade: boolean): Promise<string[]> {
    if (typeof name !== 'string') throw invalidArgument('the name of the plugin to unload', 'a string', name);
    const host = this.hosts.get(name);
    if (!host) throw new PolisError(ErrorCodes.PLUGIN_NOT_FOUND, `no plugin '${name}' is loaded`, { details: { loaded: [...this.hosts.keys()] } });
    const dependents = this.dependents(name);
    if (dependents.length > 0 && !cascade) {
      throw new PolisError(ErrorCodes.PLUGIN_HAS_DEPENDENTS, `cannot unload: ${dependents.join(', ')} need its services (unload with cascade to stop them too)`, {
        plugin: name,
        details: { dependents },
      });
    }
    for (const victim of [...dependents, name]) {
      const target = this.hosts.get(victim);
      if (!target) continue;
      await target.stop(this.timeouts.stopMs);
      this.hosts.delete(victim);
      this.logger.info(`unloaded ${victim}`, { plugin: victim });
    }
    return dependents;
  }

  private dependents(name: string): string[] {
    const graph = buildDependencyGraph([...this.hosts.values()].map((h) => h.plugin), this.kernelServices);
    return dependentsOf(name, graph.needs).filter((n) => this.hosts.has(n));
  }

  /**
   * Every problem of every entry, collected without running plugin code. `replacing` names a
   * running plugin the entries replace (an upgrade), which is then not a duplicate.
   */
  private validate(entries: readonly PluginEntry[], replacing: ReadonlySet<string> = new Set()): { problems: PolisError[]; candidates: Candidate[]; claims: SchemaClaim[] } {
    const problems: PolisError[] = [];
    const candidates: Candidate[] = [];
    // Plugins whose manifests are valid, whatever their config: their names, services and
    // schemas are checked too, so one pass reports every problem of every entry.
    const declared: AnyPlugin[] = [];
    const names = new Map<string, number>();
    entries.forEach((entry, index) => {
      const found = manifestProblems(entry.plugin, index, KERNEL_API_VERSION);
      problems.push(...found);
      const plugin = entry.plugin;
      const name = typeof plugin?.name === 'string' ? plugin.name : undefined;
      if (name === undefined) return;
      const first = names.get(name);
      if (first !== undefined) {
        problems.push(new PolisError(ErrorCodes.PLUGIN_DUPLICATE, `two plugins are named '${name}' (entries ${first} and ${index})`, { plugin: name, details: { entries: [first, index] } }));
        return;
      }
      names.set(name, index);
      const existing = this.hosts.get(name);
      if (existing && existing.state !== 'failed' && !replacing.has(name)) {
        problems.push(new PolisError(ErrorCodes.PLUGIN_DUPLICATE, `a plugin named '${name}' is already loaded (use upgrade to replace it)`, { plugin: name }));
        return;
      }
      if (found.length > 0) return;
      declared.push(plugin);
      const { config, problem } = resolveConfig(plugin, entry.config);
      if (problem) problems.push(problem);
      else candidates.push({ plugin, config });
    });
    const fresh = new Set(declared.map((p) => p.name));
    const running = [...this.hosts.values()].filter((h) => !replacing.has(h.name) && !fresh.has(h.name)).map((h) => h.plugin);
    const graph = buildDependencyGraph([...running, ...declared], this.kernelServices);
    problems.push(...graph.problems.filter((p) => p.plugin === undefined || fresh.has(p.plugin)));

    const claims = declared.flatMap((plugin) => schemaClaims(plugin));
    // On a scratch copy of the registry, so nothing leaks; then whether each consumer can read
    // what each producer of another version publishes.
    const scratch = this.registry.snapshot();
    problems.push(...scratch.claimAll(claims));
    problems.push(...versionPairProblems(scratch, [...running, ...declared], fresh));
    return { problems, candidates, claims };
  }

  private createHost(candidate: Candidate): PluginHost {
    const name = candidate.plugin.name;
    let state = this.stateStores.get(name);
    if (!state) {
      state = guardedStateStore(this.options.stateStore?.(name) ?? new MemoryStateStore());
      this.stateStores.set(name, state);
    }
    const container = new Container({ parent: this.container });
    const logger = this.logger.child({ plugin: name });
    container.bind(serviceId(coreServices.logger.id)).toConstantValue(logger);
    container.bind(serviceId(coreServices.state.id)).toConstantValue(state);
    container.bind(serviceId(coreServices.config.id)).toConstantValue(candidate.config);
    return new PluginHost({
      plugin: candidate.plugin,
      config: candidate.config,
      container,
      root: this.container,
      bus: this.bus,
      logger,
      clock: this.clock,
      state,
      processedStore: this.processedStore(name),
    });
  }

  /**
   * The record of the events a plugin handled, in the deployment's state store under a name no
   * plugin can take (names are lower-case words): redeliveries after a restart are recognised.
   */
  private processedStore(plugin: string): StateStore | undefined {
    const factory = this.options.stateStore;
    if (!factory || this.options.durableIdempotency !== true) return undefined;
    let store = this.stateStores.get(`~processed/${plugin}`);
    if (!store) {
      store = guardedStateStore(factory(`~processed/${plugin}`));
      this.stateStores.set(`~processed/${plugin}`, store);
    }
    return store;
  }

  private assertRunning(): void {
    if (this.phase !== 'running') throw new PolisError(ErrorCodes.INVALID_STATE, `the kernel is ${this.phase === 'created' ? 'not started' : 'stopped'}`);
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function toEntry(input: PluginInput): PluginEntry {
  if (input && typeof input === 'object' && 'plugin' in input && !('setup' in input)) return input as PluginEntry;
  return { plugin: input as AnyPlugin };
}

/** The schemas a plugin brings: its events, and both sides of its queries. */
function schemaClaims(plugin: AnyPlugin): SchemaClaim[] {
  const claims: SchemaClaim[] = [];
  const events = [...(plugin.publishes ?? []), ...(plugin.consumes ?? []).filter((c) => typeof c !== 'string')];
  for (const event of events) {
    claims.push({ plugin: plugin.name, type: event.type, version: event.version, schema: event.schema, compatibility: event.compatibility });
  }
  for (const query of [...(plugin.requests ?? []), ...(plugin.answers ?? [])]) {
    claims.push({ plugin: plugin.name, type: query.type, version: query.version, schema: query.request });
    claims.push({ plugin: plugin.name, type: replyTypeOf(query.type), version: query.version, schema: query.response });
  }
  return claims;
}

function dependencyFailed(plugin: string, dependency: string): PolisError {
  return new PolisError(ErrorCodes.DEPENDENCY_FAILED, `not started: it needs '${dependency}', which is not running`, {
    plugin,
    details: { dependency },
  });
}

/** Creates a kernel; call `start(plugins)` to run it. */
export function createKernel(options: KernelOptions = {}): Kernel {
  return new Kernel(options);
}
