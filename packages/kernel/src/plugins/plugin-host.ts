import { ErrorCodes, PolisError, isPolisError } from '@polis/plugin-api';
import type { AnyPlugin, Clock, Logger, PluginContext, ServiceRef, StateStore } from '@polis/plugin-api';
import type { Container } from 'inversify';
import type { EventBus } from '../bus/event-bus.js';
import type { TransportHandle } from '../bus/transport.js';
import { createPluginContext } from './plugin-context.js';
import { assertTransition, isActive } from './plugin-state.js';
import type { PluginState } from './plugin-state.js';
import { withTimeout } from './timeout.js';
import { failureFields, reasonOf } from '../runtime/failure-fields.js';
import { PluginClock } from '../runtime/plugin-clock.js';
import { callerFile } from '../runtime/process-guard.js';
import { PluginConfigId, PluginContextId, serviceId } from '../runtime/container-ids.js';

export interface PluginStatus {
  readonly name: string;
  readonly version: string;
  readonly state: PluginState;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface PluginHostOptions {
  plugin: AnyPlugin;
  config: unknown;
  /** The plugin's own child container; its parent is the kernel's root container. */
  container: Container;
  root: Container;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  state: StateStore;
  /** The durable record of handled events (see ProcessedEvents), when the deployment has a state store. */
  processedStore?: StateStore | undefined;
}

/**
 * Runs one plugin: its state machine, its child container, and everything it holds on the
 * bus, so that stopping or failing it releases all of that and nothing of anyone else's.
 */
export class PluginHost {
  readonly plugin: AnyPlugin;
  readonly logger: Logger;
  private current: PluginState = 'loaded';
  private failure: PolisError | undefined;
  private readonly pending: Array<Promise<TransportHandle>> = [];
  private readonly handles: TransportHandle[] = [];
  private readonly startHooks: Array<(signal: AbortSignal) => void | Promise<void>> = [];
  private readonly stopHooks: Array<(signal: AbortSignal) => void | Promise<void>> = [];
  /** Ids of the services this plugin provided (refs are matched by id: an equal ref built elsewhere is the same service). */
  private readonly provided = new Set<string>();
  /** True while the subscriptions close: handlers still run and may publish. */
  private draining = false;
  /** The source files the plugin's setup called the kernel from: the process guard attributes stray failures by them. */
  readonly origins = new Set<string>();
  /** The plugin's own view of the kernel clock: its timers end with it. */
  private readonly clock: PluginClock;

  constructor(private readonly options: PluginHostOptions) {
    this.plugin = options.plugin;
    this.logger = options.logger;
    this.clock = new PluginClock(options.clock, options.logger);
  }

  get name(): string {
    return this.plugin.name;
  }

  get state(): PluginState {
    return this.current;
  }

  get error(): PolisError | undefined {
    return this.failure;
  }

  get config(): unknown {
    return this.options.config;
  }

  /** Marks the plugin failed without running any of its code (a plugin it needs is down). */
  refuse(error: PolisError): void {
    this.transition('failed');
    this.failure = error;
  }

  /** Fails a plugin that was set up but may not start (a plugin it needs failed to start). */
  async abandon(error: PolisError): Promise<void> {
    await this.fail(error);
  }

  status(): PluginStatus {
    return {
      name: this.name,
      version: this.plugin.version,
      state: this.current,
      ...(this.failure ? { error: { code: this.failure.code, message: this.failure.message } } : {}),
    };
  }

  /** Runs `setup` (bounded by `timeoutMs`) and waits until its subscriptions are live. */
  async setup(timeoutMs: number): Promise<void> {
    this.transition('setting-up');
    const { container, plugin } = this.options;
    try {
      const deps: Record<string, unknown> = {};
      for (const [key, ref] of Object.entries(plugin.needs ?? {})) deps[key] = container.get(serviceId(ref.id));
      const ctx = createPluginContext({
        plugin,
        config: this.options.config,
        deps: Object.freeze(deps),
        bus: this.options.bus,
        logger: this.logger,
        clock: this.clock,
        state: this.options.state,
        processedStore: this.options.processedStore,
        assertActive: (operation) => this.assertActive(operation),
        assertCanSend: (operation) => this.assertCanSend(operation),
        track: (handle) => this.track(handle),
        provide: (ref, implementation) => this.provide(ref, implementation),
        onStart: (hook) => this.startHooks.push(hook),
        onStop: (hook) => this.stopHooks.push(hook),
        noteCaller: () => {
          const file = callerFile();
          if (file !== undefined) this.origins.add(file);
        },
      });
      container.bind<PluginContext>(PluginContextId).toConstantValue(ctx);
      container.bind(PluginConfigId).toConstantValue(this.options.config);
      await withTimeout(
        async (signal) => {
          await plugin.setup(ctx as never, signal);
          await this.settleSubscriptions();
        },
        timeoutMs,
        () => new PolisError(ErrorCodes.PLUGIN_TIMEOUT, `setup did not finish within ${timeoutMs} ms`, { plugin: this.name, details: { phase: 'setup', timeoutMs } }),
      );
      const missing = (plugin.provides ?? []).filter((ref) => !this.provided.has(ref.id));
      if (missing.length > 0) {
        throw new PolisError(
          ErrorCodes.PLUGIN_SETUP_FAILED,
          `declares provides ${missing.map((ref) => `'${ref.id}'`).join(', ')} but setup never called ctx.provide for it`,
          { plugin: this.name },
        );
      }
    } catch (error) {
      await this.fail(wrap(error, this.name, 'setup'));
      throw this.failure;
    }
  }

  /** Runs the `onStart` hooks, bounded by `timeoutMs`; the plugin is then running. */
  async start(timeoutMs: number): Promise<void> {
    this.transition('starting');
    try {
      await withTimeout(
        async (signal) => {
          for (const hook of this.startHooks) await hook(signal);
          await this.settleSubscriptions();
        },
        timeoutMs,
        () => new PolisError(ErrorCodes.PLUGIN_TIMEOUT, `start hooks did not finish within ${timeoutMs} ms`, { plugin: this.name, details: { phase: 'start', timeoutMs } }),
      );
      this.transition('running');
    } catch (error) {
      await this.fail(wrap(error, this.name, 'start'));
      throw this.failure;
    }
  }

  /**
   * Closes the plugin's subscriptions (its handlers finish what was already queued and may still
   * publish meanwhile), then runs its `onStop` hooks in reverse order, then removes its services.
   * Its timers are cancelled first (its sleeps only at the end). Never throws: a failing hook is logged.
   */
  async stop(timeoutMs: number): Promise<PolisError | undefined> {
    if (this.current === 'stopped') return undefined;
    const wasFailed = this.current === 'failed';
    if (this.current !== 'loaded') this.transition('stopping');
    // No timer may fire while the plugin stops: it could not publish any more (INVALID_STATE).
    this.clock.cancelTimers();
    let problem: PolisError | undefined;
    try {
      await withTimeout(
        async (signal) => {
          for (const failure of await this.release()) {
            problem ??= new PolisError(ErrorCodes.PLUGIN_STOP_FAILED, `closing a subscription failed: ${reasonOf(failure)}`, { plugin: this.name, cause: failure });
            this.logger.error('closing a subscription failed', { plugin: this.name, code: ErrorCodes.PLUGIN_STOP_FAILED, ...failureFields(failure) });
          }
          for (const hook of this.stopHooks.splice(0).reverse()) {
            try {
              await hook(signal);
            } catch (error) {
              problem ??= new PolisError(ErrorCodes.PLUGIN_STOP_FAILED, `an onStop hook threw: ${reasonOf(error)}`, { plugin: this.name, cause: error });
              this.logger.error('onStop hook failed', { plugin: this.name, code: ErrorCodes.PLUGIN_STOP_FAILED, ...failureFields(error) });
            }
          }
        },
        timeoutMs,
        () => new PolisError(ErrorCodes.PLUGIN_TIMEOUT, `stop did not finish within ${timeoutMs} ms`, { plugin: this.name, details: { phase: 'stop', timeoutMs } }),
      );
    } catch (error) {
      problem = wrap(error, this.name, 'stop');
      this.logger.error(problem.message, { plugin: this.name, ...failureFields(problem) });
    }
    this.clock.dispose();
    this.unbindServices();
    this.current = 'stopped';
    if (wasFailed && !problem) return undefined;
    return problem;
  }

  private assertActive(operation: string): void {
    if (!isActive(this.current)) {
      throw new PolisError(ErrorCodes.INVALID_STATE, `cannot ${operation}: the plugin is ${this.current}`, { plugin: this.name });
    }
  }

  /** Publishing and requesting stay open while a stopping plugin's handlers finish their queue. */
  private assertCanSend(operation: string): void {
    if (this.current === 'stopping' && this.draining) return;
    this.assertActive(operation);
  }

  private track(handle: Promise<TransportHandle>): void {
    this.pending.push(handle);
    // A subscription refused by the transport fails setup when it is awaited, not here.
    handle.catch(() => {});
  }

  private async settleSubscriptions(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      const settled = await Promise.allSettled(batch);
      for (const result of settled) if (result.status === 'fulfilled') this.handles.push(result.value);
      const rejected = settled.find((result) => result.status === 'rejected');
      if (rejected) throw (rejected as PromiseRejectedResult).reason;
      // The plugin stopped while its subscriptions were being made: release them too.
      if (!isActive(this.current)) await this.release();
    }
  }

  private provide(ref: ServiceRef, implementation: unknown): void {
    this.assertActive(`provide ${ref.id}`);
    const id = serviceId(ref.id);
    if (this.provided.has(ref.id)) this.options.root.unbind(id);
    this.options.root.bind(id).toConstantValue(implementation);
    this.provided.add(ref.id);
  }

  private unbindServices(): void {
    for (const ref of this.provided) {
      const id = serviceId(ref);
      if (this.options.root.isBound(id)) this.options.root.unbind(id);
    }
    this.provided.clear();
  }

  /** Closes every subscription and responder, each whatever the others do; resolves with what failed to close. */
  private async release(): Promise<unknown[]> {
    this.draining = true;
    try {
      const pending = await Promise.allSettled(this.pending.splice(0));
      for (const result of pending) if (result.status === 'fulfilled') this.handles.push(result.value);
      // Each close in its own async call: one that throws at once must not keep the rest open.
      const closed = await Promise.allSettled(this.handles.splice(0).map(async (handle) => handle.close()));
      // Timer callbacks that fired before the stop began may still publish, like the drained handlers.
      await this.clock.settled();
      return closed.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    } finally {
      this.draining = false;
    }
  }

  private async fail(error: PolisError): Promise<void> {
    this.failure = error;
    this.current = 'failed';
    this.logger.error(`${error.message}`, { plugin: this.name, ...failureFields(error) });
    await this.release();
    this.clock.dispose();
    this.unbindServices();
  }

  private transition(to: PluginState): void {
    assertTransition(this.name, this.current, to);
    this.current = to;
  }
}

/** A failure of a lifecycle phase as a PolisError: PLUGIN_STOP_FAILED for stop, PLUGIN_SETUP_FAILED for setup and start. */
function wrap(error: unknown, plugin: string, phase: 'setup' | 'start' | 'stop'): PolisError {
  if (isPolisError(error)) return error;
  const code = phase === 'stop' ? ErrorCodes.PLUGIN_STOP_FAILED : ErrorCodes.PLUGIN_SETUP_FAILED;
  return new PolisError(code, `${phase} threw: ${reasonOf(error)}`, { plugin, cause: error, details: { phase } });
}
