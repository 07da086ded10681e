import { Kernel, MemorySchemaStore, createLogger } from '@polis/kernel';
import type { SchemaRecord } from '@polis/kernel';
import { ErrorCodes, PolisAggregateError, Type, defineEvent, definePlugin, serviceRef } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { SensorFailed, SensorRead } from '../support/test-contracts.js';

const Svc = serviceRef<() => string>()('test.svc');

describe('failure paths of the lifecycle', () => {
  it('fails the dependents of a provider whose start hook throws, and still starts the others', async () => {
    const provider = definePlugin({
      name: 'provider',
      version: '1.0.0',
      kernel: '^1',
      provides: [Svc],
      setup(ctx) {
        ctx.provide(Svc, () => 'x');
        ctx.onStart(() => {
          throw new Error('no licence');
        });
      },
    });
    const user = definePlugin({ name: 'user', version: '1.0.0', kernel: '^1', needs: { svc: Svc }, setup() {} });
    const bystander = definePlugin({ name: 'bystander', version: '1.0.0', kernel: '^1', consumes: [SensorRead], setup: (ctx) => ctx.on(SensorRead, () => {}) });
    const kit = await startTestKernel({ plugins: [provider, user, bystander], allowFailures: true });
    expect(kit.report.started).toEqual(['bystander']);
    expect(kit.report.failed.map((e) => [e.plugin, e.code])).toEqual([
      ['provider', ErrorCodes.PLUGIN_SETUP_FAILED],
      ['user', ErrorCodes.DEPENDENCY_FAILED],
    ]);
    expect(kit.kernel.plugins().map((p) => [p.name, p.state])).toEqual([
      ['provider', 'failed'],
      ['user', 'failed'],
      ['bystander', 'running'],
    ]);
    await kit.stop();
  });

  it('refuses an upgrade that drops a service others need, before stopping anything', async () => {
    const v1 = definePlugin({ name: 'base', version: '1.0.0', kernel: '^1', provides: [Svc], setup: (ctx) => ctx.provide(Svc, () => 'v1') });
    const v2 = definePlugin({ name: 'base', version: '2.0.0', kernel: '^1', setup() {} });
    const user = definePlugin({ name: 'user', version: '1.0.0', kernel: '^1', needs: { svc: Svc }, setup() {} });
    const kit = await startTestKernel({ plugins: [v1, user] });
    const error = await kit.kernel.upgrade(v2).catch((e: unknown) => e);
    expect((error as PolisAggregateError).errors).toContainEqual(expect.objectContaining({ code: ErrorCodes.DEPENDENCY_MISSING, plugin: 'user' }));
    expect(kit.kernel.plugins().map((p) => [p.name, p.version, p.state])).toEqual([
      ['base', '1.0.0', 'running'],
      ['user', '1.0.0', 'running'],
    ]);
    await kit.stop();
  });

  it('lets an unloaded plugin finish the events already queued for it, publishing as it goes', async () => {
    const done: string[] = [];
    const worker = definePlugin({
      name: 'worker',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      publishes: [SensorFailed],
      setup(ctx) {
        ctx.on(SensorRead, async (event, scope) => {
          await new Promise((r) => setTimeout(r, 5));
          await scope.publish(SensorFailed, { sensor: event.data.sensor });
          done.push(event.data.sensor);
        });
      },
    });
    const kit = await startTestKernel({ plugins: [worker] });
    for (const sensor of ['a', 'b', 'c', 'd']) await kit.publish(SensorRead, { sensor, value: 1 });
    await kit.kernel.unload('worker');
    expect(done).toEqual(['a', 'b', 'c', 'd']);
    expect(kit.eventsOf(SensorFailed).map((e) => e.data.sensor)).toEqual(['a', 'b', 'c', 'd']);
    expect(kit.deadLetters).toEqual([]);
    await kit.stop();
  });

  it('lets a handler that sleeps on the plugin clock finish during an unload, and fires nothing of the plugin afterwards', async () => {
    let ticks = 0;
    let slept = false;
    const sleeper = definePlugin({
      name: 'sleeper',
      version: '1.0.0',
      kernel: '^1',
      consumes: [SensorRead],
      setup(ctx) {
        ctx.on(SensorRead, async () => {
          await ctx.clock.sleep(1);
          slept = true;
        });
        ctx.onStop(() => {
          ctx.clock.setInterval(() => ticks++, 1);
        });
      },
    });
    const kernel = new Kernel({ logger: createLogger({ level: 'silent' }), timeouts: { stopMs: 2000 } });
    await kernel.start([sleeper]);
    await kernel.bus.publish('test', SensorRead.type, SensorRead.version, { sensor: 's', value: 1 });
    await new Promise((r) => setImmediate(r));
    const began = Date.now();
    await kernel.unload('sleeper');
    expect(Date.now() - began).toBeLessThan(1000);
    expect(slept).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(ticks).toBe(0);
    await kernel.stop();
  });
});

describe('boundaries of the bus and the registry', () => {
  it('refuses a subscription whose concurrency would never run a handler', async () => {
    const stuck = definePlugin({ name: 'stuck', version: '1.0.0', kernel: '^1', consumes: [SensorRead], setup: (ctx) => ctx.on(SensorRead, () => {}, { concurrency: 0 }) });
    const kit = await startTestKernel({ plugins: [stuck], allowFailures: true });
    expect(kit.report.failed[0]).toMatchObject({ code: ErrorCodes.ARGUMENT_INVALID, plugin: 'stuck', message: expect.stringContaining('concurrency of the subscription to \'test.sensor.read\' must be an integer >= 1, got 0') });
    await kit.stop();
  });

  it('refuses to publish once the kernel has stopped', async () => {
    const kit = await startTestKernel({ plugins: [] });
    await kit.stop();
    await expect(kit.kernel.bus.publish('ops', SensorRead.type, SensorRead.version, { sensor: 'late', value: 1 })).rejects.toMatchObject({ code: ErrorCodes.INVALID_STATE });
  });

  it("keeps a type's compatibility mode: a plugin declaring a looser one cannot slip in a breaking version", async () => {
    const strict = defineEvent({ type: 'test.meter.read', version: 1, compatibility: 'FULL', schema: Type.Object({ kwh: Type.Number() }) });
    const loose = defineEvent({ type: 'test.meter.read', version: 2, compatibility: 'NONE', schema: Type.Object({ kwh: Type.String() }) });
    const kit = await startTestKernel({ plugins: [definePlugin({ name: 'meter', version: '1.0.0', kernel: '^1', publishes: [strict], setup() {} })] });
    const error = await kit.kernel.load(definePlugin({ name: 'rogue', version: '1.0.0', kernel: '^1', publishes: [loose], setup() {} })).catch((e: unknown) => e);
    expect((error as PolisAggregateError).errors[0]).toMatchObject({ code: ErrorCodes.SCHEMA_CONFLICT, plugin: 'rogue', message: expect.stringContaining('registered with compatibility FULL') });
    expect(kit.kernel.registry.versions('test.meter.read')).toEqual([1]);
    await kit.stop();
  });

  it('starts although the shared registry holds a schema this node cannot compile, and says so', async () => {
    const store = new MemorySchemaStore();
    const broken: SchemaRecord = { type: 'vendor.thing.happened', version: 1, compatibility: 'BACKWARD', schema: { $ref: 'https://example.invalid/missing.json' } };
    await store.putIfAbsent(broken);
    const warnings: string[] = [];
    const kernel = new Kernel({ schemaStore: store, logger: createLogger({ level: 'warn', write: (line) => warnings.push(line) }) });
    await kernel.start([]);
    expect(warnings.join('\n')).toContain('shared schema vendor.thing.happened v1 does not compile here');
    expect(kernel.registry.has('vendor.thing.happened')).toBe(false);
    await kernel.stop();
  });
});
