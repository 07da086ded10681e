import { Kernel, MemorySchemaStore, createLogger } from '@polis/kernel';
import type { SchemaRecord } from '@polis/kernel';
import { ErrorCodes, PolisAggregateError, PolisError, Type, defineEvent, definePlugin, defineQuery, serviceRef } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { recordingPlugin } from '../support/recording-plugin.js';
import { publisherPlugin } from '../support/test-plugins.js';
import { waitFor } from '../support/wait-for.js';
import { BillingReadV1, BillingReadV2, LevelReadV1, LevelReadV2 } from '../support/test-contracts.js';


const quiet = () => createLogger({ level: 'silent' });

describe('version-aware contracts', () => {
  it('refuses a consumer of v1 next to a producer of v2 when v2 events cannot be read as v1, naming both plugins, the type and both versions', async () => {
    const seen: CloudEvent[] = [];
    const plugins = [publisherPlugin('meter-v2', BillingReadV2), recordingPlugin('billing', [BillingReadV1], seen)];
    const kernel = new Kernel({ logger: quiet() });
    const problems = await kernel.check(plugins);
    expect(problems.map((p) => p.code)).toEqual([ErrorCodes.EVENT_VERSION_INCOMPATIBLE]);
    expect(problems[0]).toMatchObject({
      plugin: 'billing',
      message: expect.stringMatching(/'billing' consumes test\.billing\.read v1, but 'meter-v2' publishes v2.*meterId/),
      details: { type: 'test.billing.read', consumer: 'billing', consumerVersion: 1, producer: 'meter-v2', producerVersion: 2 },
    });
    const error = await kernel.start(plugins).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolisAggregateError);
    expect((error as PolisAggregateError).errors.map((e) => e.code)).toEqual([ErrorCodes.EVENT_VERSION_INCOMPATIBLE]);
    // Nothing was registered or run.
    expect(kernel.registry.has('test.billing.read')).toBe(false);
    await kernel.stop();

    // Loaded one after the other, the second is refused the same way, whichever comes first.
    const kit = await startTestKernel({ plugins: [recordingPlugin('billing', [BillingReadV1], seen)] });
    const late = await kit.kernel.load(publisherPlugin('meter-v2', BillingReadV2)).catch((e: unknown) => e);
    expect((late as PolisAggregateError).errors[0]).toMatchObject({ code: ErrorCodes.EVENT_VERSION_INCOMPATIBLE, plugin: 'meter-v2' });
    expect(kit.kernel.registry.versions('test.billing.read')).toEqual([1]);
    await kit.stop();
  });

  it('registers schemas in version order on start as in check, so what passes check starts', async () => {
    // The producer of v2 comes first in the deployment: its claim comes first.
    const plugins = [publisherPlugin('gauge-v2', LevelReadV2), publisherPlugin('gauge-v1', LevelReadV1)];
    const kernel = new Kernel({ logger: quiet() });
    expect(await kernel.check(plugins)).toEqual([]);
    const report = await kernel.start(plugins);
    expect(report.started).toEqual(['gauge-v2', 'gauge-v1']);
    expect(kernel.registry.versions('test.level.read')).toEqual([1, 2]);
    await kernel.stop();
  });

  it('registers nothing when a load fails half-way through its schemas', async () => {
    const Other = defineEvent({ type: 'test.flow.read', version: 1, schema: Type.Object({ m3: Type.Number() }) });
    // A store that fails on the last write, as a shared store that becomes unreachable would.
    class FlakyStore extends MemorySchemaStore {
      override async putIfAbsent(record: SchemaRecord): Promise<SchemaRecord> {
        if (record.type === 'test.flow.read') throw new PolisError(ErrorCodes.TRANSPORT_FAILED, 'the store went away');
        return super.putIfAbsent(record);
      }
    }
    const store = new FlakyStore();
    const kernel = new Kernel({ logger: quiet(), schemaStore: store });
    const error = await kernel.start([publisherPlugin('gauge-v2', LevelReadV2), publisherPlugin('gauge-v1', LevelReadV1), publisherPlugin('flow', Other)]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCodes.TRANSPORT_FAILED });
    expect(kernel.registry.has('test.level.read')).toBe(false);
    expect((await store.list()).filter((record) => record.type !== 'kernel.event.deadlettered')).toEqual([]);
    expect(kernel.plugins()).toEqual([]);
    await kernel.stop();
  });

  it('matches provides by service id, not by object identity', async () => {
    type Meter = () => number;
    const declared = serviceRef<Meter>()('test.meter');
    const provider = definePlugin({
      name: 'meter',
      version: '1.0.0',
      kernel: '^1',
      provides: [declared],
      // An equal ref built separately, as a plugin bundling its own copy of a contracts package would.
      setup: (ctx) => ctx.provide(serviceRef<Meter>()('test.meter'), () => 42),
    });
    let read: number | undefined;
    const reader = definePlugin({ name: 'reader', version: '1.0.0', kernel: '^1', needs: { meter: serviceRef<Meter>()('test.meter') }, setup: (ctx) => void (read = ctx.deps.meter()) });
    const kit = await startTestKernel({ plugins: [provider, reader] });
    expect(kit.report.started).toEqual(['meter', 'reader']);
    expect(read).toBe(42);
    await kit.stop();
  });

  it('refuses at run time, for JavaScript callers, a version of an event or query other than the declared one', async () => {
    const RouteV1 = defineQuery({ type: 'test.route.find', version: 1, request: Type.Object({ to: Type.String() }), response: Type.Object({ s: Type.Number() }) });
    const RouteV2 = defineQuery({ type: 'test.route.find', version: 2, request: Type.Object({ to: Type.String() }), response: Type.Object({ s: Type.Number() }) });
    const errors = new Map<string, PolisError>();
    const attempt = (label: string, work: () => unknown) => {
      try {
        const result = work();
        if (result instanceof Promise) result.catch((e: PolisError) => errors.set(label, e));
      } catch (error) {
        errors.set(label, error as PolisError);
      }
    };
    const plugin = definePlugin({
      name: 'js-caller',
      version: '1.0.0',
      kernel: '^1',
      publishes: [BillingReadV2],
      consumes: [BillingReadV2],
      requests: [RouteV2],
      answers: [RouteV2],
      setup(ctx) {
        const loose = ctx as unknown as Record<string, (...args: unknown[]) => unknown>;
        attempt('publish', () => loose.publish!(BillingReadV1, { kwh: 1, meterId: 'm' }));
        attempt('on', () => loose.on!(BillingReadV1, () => {}));
        attempt('request', () => loose.request!(RouteV1, { to: 'x' }));
        attempt('answer', () => loose.answer!(RouteV1, () => ({ s: 1 })));
      },
    });
    const kit = await startTestKernel({ plugins: [plugin] });
    await waitFor(() => errors.size === 4);
    expect(Object.fromEntries([...errors].map(([label, e]) => [label, e.code]))).toEqual({
      publish: ErrorCodes.PUBLISH_NOT_DECLARED,
      on: ErrorCodes.SUBSCRIBE_NOT_DECLARED,
      request: ErrorCodes.QUERY_NOT_DECLARED,
      answer: ErrorCodes.QUERY_NOT_DECLARED,
    });
    expect(errors.get('on')?.message).toContain('test.billing.read v1');
    await kit.stop();
  });
});
