import {
  Kernel,
  MemoryStateStore,
  checkCompatibility,
  createKernel,
  createLogger,
  createScaledClock,
  diffSchemas,
  matchesPattern,
  patternCovers,
  systemClock,
} from '@polis/kernel';
import {
  ErrorCodes,
  PolisAggregateError,
  PolisError,
  defineEvent,
  defineQuery,
  definePlugin,
  isPolisError,
  replyTypeOf,
  schemaUrn,
  schemaVersionOf,
  serviceRef,
} from '@polis/plugin-api';
import type { AnyPlugin, HandlerScope, PluginContext } from '@polis/plugin-api';
import { FakeClock, standIn, startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Echo, SensorFailed, SensorRead } from '../support/test-contracts.js';
import { waitFor } from '../support/wait-for.js';

/**
 * What a JavaScript caller, or a value that only goes wrong at run time, may pass where an API
 * expects something else. Every public function of the kernel, the plugin API and the test kit
 * gets each of them in each argument position (the others valid): it may succeed, or fail with a
 * PolisError saying what is wrong, but never with a TypeError or RangeError from deep inside.
 */
const HOSTILE: readonly unknown[] = [null, undefined, 0, -1, Number.NaN, Number.POSITIVE_INFINITY, '', 'x', true, {}, [], () => 'fn', Object.create(null), Symbol('s')];

type Call = (value: unknown) => unknown;

/** What calling `call(value)` ended with: undefined if it succeeded, else the error. */
async function outcome(call: Call, value: unknown): Promise<unknown> {
  try {
    await call(value);
    return undefined;
  } catch (error) {
    return error ?? new Error('rejected with nothing');
  }
}

/** Each (call, value) that failed with anything but a PolisError, as `label(value): error`. */
async function escapes(calls: Readonly<Record<string, Call>>): Promise<string[]> {
  const found: string[] = [];
  for (const [label, call] of Object.entries(calls)) {
    for (const value of HOSTILE) {
      const error = await outcome(call, value);
      if (error !== undefined && !isPolisError(error)) found.push(`${label}(${show(value)}): ${String((error as Error)?.name)}: ${String((error as Error)?.message)}`);
    }
  }
  return found;
}

function show(value: unknown): string {
  if (typeof value === 'symbol') return 'Symbol';
  if (typeof value === 'function') return 'function';
  if (value !== null && typeof value === 'object') return Array.isArray(value) ? '[]' : Object.getPrototypeOf(value) === null ? 'Object.create(null)' : '{}';
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** An expectation that is not met is a failing test, reported as such (an Error saying what was expected): not an escape. */
const unmet = (prefix: string) => (error: unknown) => {
  if (!(error instanceof Error && error.constructor === Error && error.message.startsWith(prefix))) throw error;
};

const silent = () => createLogger({ level: 'silent' });
const schema = SensorRead.schema;
const data = { sensor: 's', value: 1 };

describe('hostile arguments to public APIs', () => {
  let kit: TestKernel;
  let ctx: PluginContext<typeof SensorFailed, typeof SensorRead, typeof Echo, typeof Echo, never> | undefined;
  let scope: HandlerScope<typeof SensorFailed, typeof Echo> | undefined;

  beforeAll(async () => {
    const probe = definePlugin({
      name: 'probe',
      version: '1.0.0',
      kernel: '^1',
      publishes: [SensorFailed],
      consumes: [SensorRead],
      requests: [Echo],
      answers: [Echo],
      setup(context) {
        ctx = context as never;
        context.on(SensorRead, (_event, handlerScope) => void (scope = handlerScope as never));
        context.answer(Echo, ({ text }) => ({ text, by: 'probe' }));
      },
    });
    kit = await startTestKernel({ plugins: [probe] });
    await kit.publish(SensorRead, data);
    await kit.expectEvent(SensorRead);
    // The probe's handler keeps its scope; the tests below call it after the handler returned.
    await waitFor(() => scope !== undefined);
  });
  afterAll(() => kit.stop());

  it('the plugin API', async () => {
    expect(
      await escapes({
        schemaVersionOf: (v) => schemaVersionOf(v as never),
        defineEvent: (v) => defineEvent(v as never),
        defineQuery: (v) => defineQuery(v as never),
        definePlugin: (v) => definePlugin(v as never),
        serviceRef: (v) => serviceRef()(v as never),
        replyTypeOf: (v) => replyTypeOf(v as never),
        'schemaUrn type': (v) => schemaUrn(v as never, 1),
        'schemaUrn version': (v) => schemaUrn('a.b.c', v as never),
        'new PolisError options': (v) => new PolisError(ErrorCodes.INVALID_STATE, 'm', v as never),
        'new PolisAggregateError errors': (v) => new PolisAggregateError(ErrorCodes.STARTUP_FAILED, 's', v as never),
        isPolisError: (v) => isPolisError(v),
      }),
    ).toEqual([]);
  });

  it('the kernel, its bus and its registry', async () => {
    const { bus, registry } = kit.kernel;
    const kernelCall = (work: (kernel: Kernel) => unknown): Call => async () => {
      const kernel = new Kernel({ logger: silent() });
      try {
        await work(kernel);
      } finally {
        await kernel.stop();
      }
    };
    const subscription = { owner: 'ops', pattern: 'test.>', handler: () => {} };
    expect(
      await escapes({
        'new Kernel': (v) => new Kernel(v as never),
        createKernel: (v) => createKernel(v as never),
        'Kernel retry': (v) => new Kernel({ retry: v as never, logger: silent() }),
        'Kernel timeouts': (v) => new Kernel({ timeouts: v as never, logger: silent() }),
        'Kernel maxEventBytes': (v) => new Kernel({ maxEventBytes: v as never, logger: silent() }),
        start: (v) => kernelCall((kernel) => kernel.start(v as never))(v),
        check: (v) => kernelCall((kernel) => kernel.check(v as never))(v),
        load: (v) => kernelCall(async (kernel) => (await kernel.start(), kernel.load(v as never)))(v),
        unload: (v) => kernelCall(async (kernel) => (await kernel.start(), kernel.unload(v as never)))(v),
        'unload options': (v) => kernelCall(async (kernel) => (await kernel.start([definePlugin({ name: 'x', version: '1.0.0', kernel: '^1', setup() {} })]), kernel.unload('x', v as never)))(v),
        upgrade: (v) => kernelCall(async (kernel) => (await kernel.start(), kernel.upgrade(v as never)))(v),
        plugin: (v) => kit.kernel.plugin(v as never),
        'publish source': (v) => bus.publish(v as never, SensorRead.type, 1, data),
        'publish type': (v) => bus.publish('ops', v as never, 1, data),
        'publish version': (v) => bus.publish('ops', SensorRead.type, v as never, data),
        'publish data': (v) => bus.publish('ops', SensorRead.type, 1, v),
        'publish options': (v) => bus.publish('ops', SensorRead.type, 1, data, v as never),
        subscribe: (v) => bus.subscribe(v as never),
        'subscribe owner': (v) => bus.subscribe({ ...subscription, owner: v as never }),
        'subscribe pattern': (v) => bus.subscribe({ ...subscription, pattern: v as never }),
        'subscribe handler': (v) => bus.subscribe({ ...subscription, handler: v as never }),
        'subscribe version': (v) => bus.subscribe({ ...subscription, pattern: SensorRead.type, version: v as never }),
        'subscribe concurrency': (v) => bus.subscribe({ ...subscription, concurrency: v as never }),
        'subscribe retry': (v) => bus.subscribe({ ...subscription, retry: v as never }),
        'subscribe retry.maxAttempts': (v) => bus.subscribe({ ...subscription, retry: { maxAttempts: v as never } }),
        'request type': (v) => bus.request('ops', v as never, 1, { text: 'a' }),
        'request data': (v) => bus.request('ops', Echo.type, 1, v),
        'request options': (v) => bus.request('ops', Echo.type, 1, { text: 'a' }, v as never),
        'request timeoutMs': (v) => bus.request('ops', Echo.type, 1, { text: 'a' }, { timeoutMs: v as never }),
        'answer handler': (v) => bus.answer('ops', 'test.other.ask', 1, v as never),
        'register type': (v) => registry.register(v as never, 1, schema),
        'register version': (v) => registry.register('test.hostile.read', v as never, schema),
        'register schema': (v) => registry.register('test.hostile.read', 1, v as never),
        'register options': (v) => registry.register(SensorRead.type, 1, schema, v as never),
        'registry has': (v) => registry.has(v as never, v as never),
        'registry versions': (v) => registry.versions(v as never),
        'registry latestVersion': (v) => registry.latestVersion(v as never),
        'registry get': (v) => registry.get(v as never, 1),
        'registry assertValid': (v) => registry.assertValid(v as never, 1, {}),
        'registry addReferencedSchema uri': (v) => registry.addReferencedSchema(v as never, {}),
        'registry addReferencedSchema schema': (v) => registry.addReferencedSchema('https://example.org/hostile.json', v as never),
        'checkCompatibility previous': (v) => checkCompatibility(v as never, {}, 'BACKWARD'),
        'checkCompatibility update': (v) => checkCompatibility([[1, {}]], v as never, 'BACKWARD'),
        'checkCompatibility mode': (v) => checkCompatibility([[1, {}]], {}, v as never),
        'diffSchemas original': (v) => diffSchemas(v as never, {}),
        'diffSchemas update': (v) => diffSchemas({}, v as never),
        'matchesPattern pattern': (v) => matchesPattern(v as never, 'a.b.c'),
        'matchesPattern type': (v) => matchesPattern('a.>', v as never),
        'patternCovers outer': (v) => patternCovers(v as never, 'a.b'),
        'patternCovers inner': (v) => patternCovers('a.>', v as never),
        createLogger: (v) => createLogger(v as never),
        'createLogger level': (v) => createLogger({ level: v as never }),
        'logger message and fields': (v) => createLogger({ level: 'debug', format: 'json', write: () => {} }).info(v as never, { value: v, big: 10n }),
        'createScaledClock speed': (v) => createScaledClock(v as never),
        'createScaledClock startAt': (v) => createScaledClock(2, v as never),
        'systemClock.setTimeout callback': (v) => systemClock.clearTimer(systemClock.setTimeout(v as never, 1)),
        'systemClock.setTimeout ms': (v) => systemClock.clearTimer(systemClock.setTimeout(() => {}, v as never)),
        'MemoryStateStore.set value': (v) => new MemoryStateStore().set('k', v),
      }),
    ).toEqual([]);
  });

  it('a plugin context and a handler scope', async () => {
    const c = ctx!;
    const s = scope!;
    expect(s).toBeDefined();
    expect(
      await escapes({
        'ctx.publish event': (v) => c.publish(v as never, { sensor: 'x' } as never),
        'ctx.publish data': (v) => c.publish(SensorFailed, v as never),
        'ctx.publish options': (v) => c.publish(SensorFailed, { sensor: 'x' }, v as never),
        'ctx.publish subject': (v) => c.publish(SensorFailed, { sensor: 'x' }, { subject: v as never }),
        'ctx.publish priority': (v) => c.publish(SensorFailed, { sensor: 'x' }, { priority: v as never }),
        'ctx.publish causedBy': (v) => c.publish(SensorFailed, { sensor: 'x' }, { causedBy: v as never }),
        'ctx.on consumable': (v) => c.on(v as never, () => {}),
        'ctx.on handler': (v) => c.on(SensorRead, v as never),
        'ctx.on options': (v) => c.on(SensorRead, () => {}, v as never),
        'ctx.request query': (v) => c.request(v as never, { text: 'a' } as never),
        'ctx.request data': (v) => c.request(Echo, v as never),
        'ctx.request options': (v) => c.request(Echo, { text: 'a' }, v as never),
        'ctx.request timeoutMs': (v) => c.request(Echo, { text: 'a' }, { timeoutMs: v as never }),
        'ctx.request causedBy': (v) => c.request(Echo, { text: 'a' }, { causedBy: v as never }),
        'ctx.answer query': (v) => c.answer(v as never, (() => ({ text: '', by: '' })) as never),
        'ctx.answer handler': (v) => c.answer(Echo, v as never),
        'ctx.provide': (v) => c.provide(v as never, {} as never),
        'ctx.onStart': (v) => c.onStart(v as never),
        'ctx.onStop': (v) => c.onStop(v as never),
        'ctx.clock.setTimeout callback': (v) => c.clock.clearTimer(c.clock.setTimeout(v as never, 1)),
        'ctx.clock.setTimeout ms': (v) => c.clock.clearTimer(c.clock.setTimeout(() => {}, v as never)),
        'ctx.clock.setInterval callback': (v) => c.clock.clearTimer(c.clock.setInterval(v as never, 1)),
        'ctx.clock.setInterval ms': (v) => c.clock.clearTimer(c.clock.setInterval(() => {}, v as never)),
        'ctx.clock.clearTimer': (v) => c.clock.clearTimer(v as never),
        'ctx.clock.sleep': (v) => Promise.race([c.clock.sleep(v as never), Promise.resolve()]),
        'ctx.state.get': (v) => c.state.get(v as never),
        'ctx.state.set key': (v) => c.state.set(v as never, 1),
        'ctx.state.set value': (v) => c.state.set('k', v),
        'ctx.state.delete': (v) => c.state.delete(v as never),
        'ctx.state.keys': (v) => c.state.keys(v as never),
        'ctx.logger.info': (v) => c.logger.info(v as never, v as never),
        'ctx.logger.child': (v) => c.logger.child(v as never).info('x'),
        'scope.publish event': (v) => s.publish(v as never, { sensor: 'x' } as never),
        'scope.publish data': (v) => s.publish(SensorFailed, v as never),
        'scope.publish options': (v) => s.publish(SensorFailed, { sensor: 'x' }, v as never),
        'scope.request options': (v) => s.request(Echo, { text: 'a' }, v as never),
      }),
    ).toEqual([]);
  });

  it('the test kit', async () => {
    const clock = new FakeClock();
    expect(
      await escapes({
        startTestKernel: (v) => startTestKernel(v as never),
        'startTestKernel plugins': (v) => startTestKernel({ plugins: v as never }).then((k) => k.stop()),
        'startTestKernel a plugin': (v) => startTestKernel({ plugins: [v as AnyPlugin] }).then((k) => k.stop()),
        'kit.publish event': (v) => kit.publish(v as never, data as never),
        'kit.publish data': (v) => kit.publish(SensorRead, v as never),
        'kit.publish options': (v) => kit.publish(SensorRead, data, v as never),
        'kit.request query': (v) => kit.request(v as never, { text: 'a' } as never),
        'kit.request data': (v) => kit.request(Echo, v as never),
        'kit.request options': (v) => kit.request(Echo, { text: 'a' }, v as never),
        'kit.expectEvent what': (v) => kit.expectEvent(v as never, { within: 1 }).catch(unmet('expected an event')),
        'kit.expectEvent options': (v) => kit.expectEvent('test.sensor.read', v as never),
        'kit.expectNoEvent what': (v) => kit.expectNoEvent(v as never, { within: 1 }),
        'kit.expectNoEvent options': (v) => kit.expectNoEvent('test.none.seen', v as never).catch(unmet('expected no event')),
        'kit.eventsOf': (v) => kit.eventsOf(v as never),
        'new FakeClock': (v) => new FakeClock(v as never),
        'FakeClock.advance': (v) => clock.advance(v as never),
        'FakeClock.setTimeout callback': (v) => clock.clearTimer(clock.setTimeout(v as never, 1)),
        'FakeClock.setTimeout ms': (v) => clock.clearTimer(clock.setTimeout(() => {}, v as never)),
        'FakeClock.clearTimer': (v) => clock.clearTimer(v as never),
        standIn: (v) => standIn(v as never, (() => ({})) as never),
      }),
    ).toEqual([]);
  });
});
