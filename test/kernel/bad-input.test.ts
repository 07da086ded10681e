import { Kernel, createLogger } from '@polis/kernel';
import { ErrorCodes, PolisAggregateError, Type, defineEvent, definePlugin } from '@polis/plugin-api';
import type { AnyPlugin, CloudEvent } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { recordingPlugin } from '../support/recording-plugin.js';
import { SensorRead } from '../support/test-contracts.js';

const startError = async (plugins: unknown[], options: ConstructorParameters<typeof Kernel>[0] = {}) => {
  const kernel = new Kernel({ logger: createLogger({ level: 'silent' }), ...options });
  const error = await kernel.start(plugins as AnyPlugin[]).catch((e: unknown) => e);
  await kernel.stop();
  expect(error).toBeInstanceOf(PolisAggregateError);
  return (error as PolisAggregateError).errors;
};

const listener = (seen: CloudEvent[]) => recordingPlugin('listener', [SensorRead], seen);

describe('bad input gets a clear error and affects nothing else', () => {
  it('reports every problem of every invalid manifest at once, before any plugin code runs', async () => {
    let ran = false;
    const errors = await startError([
      { name: 'Bad Name!', version: 'one', kernel: '^1', setup: () => (ran = true) },
      { name: 'no-setup', version: '1.0.0', kernel: '^1' },
      { name: 'future', version: '1.0.0', kernel: '^7', setup: () => (ran = true) },
      { name: 'bad-events', version: '1.0.0', kernel: '^1', publishes: [{ kind: 'event', type: 'Nope', version: 0, schema: {} }], setup: () => (ran = true) },
      null,
    ]);
    expect(ran).toBe(false);
    const summary = errors.map((e) => `${e.plugin} ${e.code} ${e.message}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Bad Name! POLIS_MANIFEST_INVALID manifest\.name must be an npm-style name: lower-case letters, digits/),
        expect.stringMatching(/^Bad Name! POLIS_MANIFEST_INVALID manifest\.version 'one' is not a semver version/),
        expect.stringMatching(/^no-setup POLIS_MANIFEST_INVALID manifest\.setup must be a function/),
        expect.stringMatching(/^future POLIS_KERNEL_VERSION_MISMATCH needs kernel API \^7, but this kernel provides 1\.0\.0/),
        expect.stringMatching(/^bad-events POLIS_MANIFEST_INVALID manifest\.publishes\.0\.version must be >= 1/),
        expect.stringMatching(/^plugins\[4\] POLIS_MANIFEST_INVALID a plugin must be an object/),
      ]),
    );
  });

  it('rejects an invalid plugin config naming the path and rule, and applies defaults to a valid one', async () => {
    let seenConfig: unknown;
    const configurable = definePlugin({
      name: 'configurable',
      version: '1.0.0',
      kernel: '^1',
      config: Type.Object({ cycleS: Type.Integer({ minimum: 30, maximum: 180 }), mode: Type.String({ default: 'adaptive' }) }),
      setup(ctx) {
        seenConfig = ctx.config;
        const cycle: number = ctx.config.cycleS;
        void cycle;
      },
    });
    const errors = await startError([{ plugin: configurable, config: { cycleS: 20 } }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: ErrorCodes.CONFIG_INVALID, plugin: 'configurable', message: expect.stringContaining('/cycleS must be >= 30 (minimum)') });
    expect(seenConfig).toBeUndefined();

    const given = { cycleS: 90 };
    const kit = await startTestKernel({ plugins: [{ plugin: configurable, config: given }] });
    expect(seenConfig).toEqual({ cycleS: 90, mode: 'adaptive' });
    expect(given).toEqual({ cycleS: 90 });
    await kit.stop();
  });

  it('refuses event data failing its schema, naming the JSON path and the failed rule, and delivers nothing', async () => {
    const seen: CloudEvent[] = [];
    const kit = await startTestKernel({ plugins: [listener(seen)] });
    const error = await kit.publish(SensorRead, { sensor: 7, value: -1 } as never).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: ErrorCodes.EVENT_INVALID,
      message: 'test.sensor.read v1: /sensor must be string (type); /value must be >= 0 (minimum)',
      details: { problems: [{ path: '/sensor', rule: 'type' }, { path: '/value', rule: 'minimum' }] },
    });
    await kit.publish(SensorRead, { sensor: 'ok', value: 1 });
    await kit.expectEvent(SensorRead);
    expect(seen.map((e) => e.data)).toEqual([{ sensor: 'ok', value: 1 }]);
    await kit.stop();
  });

  it('refuses an unknown event type', async () => {
    const kit = await startTestKernel({ plugins: [] });
    await expect(kit.kernel.bus.publish('ops', 'no.such.event', 1, {})).rejects.toMatchObject({
      code: ErrorCodes.EVENT_UNKNOWN_TYPE,
      message: expect.stringContaining("unknown event type 'no.such.event'"),
    });
    await expect(kit.kernel.bus.publish('ops', 'test.sensor.read', 1, {})).rejects.toMatchObject({ code: ErrorCodes.EVENT_UNKNOWN_TYPE });
    await kit.stop();
  });

  it('refuses an event over the size limit (1 MiB by default, configurable)', async () => {
    const Blob = defineEvent({ type: 'test.blob.stored', version: 1, schema: Type.Object({ body: Type.String() }) });
    const kit = await startTestKernel({ plugins: [] });
    expect(kit.kernel.bus.maxEventBytes).toBe(1024 * 1024);
    await expect(kit.publish(Blob, { body: 'x'.repeat(1024 * 1024) })).rejects.toMatchObject({
      code: ErrorCodes.EVENT_TOO_LARGE,
      details: { bytes: 1024 * 1024 + 11, limit: 1024 * 1024 },
    });
    await kit.publish(Blob, { body: 'x'.repeat(1000 * 1000) });
    await kit.stop();

    const small = await startTestKernel({ plugins: [], maxEventBytes: 100 });
    // Bytes, not characters: 40 two-byte characters + `{"body":""}` = 91 bytes fit; 50 make 111.
    await expect(small.publish(Blob, { body: 'é'.repeat(40) })).resolves.toMatchObject({ type: 'test.blob.stored' });
    await expect(small.publish(Blob, { body: 'é'.repeat(50) })).rejects.toMatchObject({ code: ErrorCodes.EVENT_TOO_LARGE, details: { bytes: 111, limit: 100 } });
    await small.stop();
  });

  it('refuses two plugins with one name', async () => {
    const make = () => definePlugin({ name: 'twin', version: '1.0.0', kernel: '^1', setup() {} });
    const errors = await startError([make(), make()]);
    expect(errors).toEqual([expect.objectContaining({ code: ErrorCodes.PLUGIN_DUPLICATE, plugin: 'twin' })]);

    const kit = await startTestKernel({ plugins: [make()] });
    await expect(kit.kernel.load(make())).rejects.toMatchObject({ message: expect.stringContaining("a plugin named 'twin' is already loaded") });
    expect(kit.kernel.plugin('twin')?.state).toBe('running');
    await kit.stop();
  });

  it('refuses an incompatible schema version and a changed schema under a taken version', async () => {
    const v1 = defineEvent({ type: 'test.meter.read', version: 1, schema: Type.Object({ kwh: Type.Number() }) });
    const v2 = defineEvent({ type: 'test.meter.read', version: 2, schema: Type.Object({ kwh: Type.Number(), meterId: Type.String() }) });
    const v1changed = defineEvent({ type: 'test.meter.read', version: 1, schema: Type.Object({ kwh: Type.Integer() }) });
    const producer = (name: string, event: typeof v1 | typeof v2 | typeof v1changed) =>
      definePlugin({ name, version: '1.0.0', kernel: '^1', publishes: [event], setup() {} });

    const kit = await startTestKernel({ plugins: [producer('old-meter', v1)] });
    const incompatible = await kit.kernel.load(producer('new-meter', v2)).catch((e: unknown) => e);
    expect((incompatible as PolisAggregateError).errors[0]).toMatchObject({
      code: ErrorCodes.SCHEMA_INCOMPATIBLE,
      plugin: 'new-meter',
      message: expect.stringMatching(/test\.meter\.read v2 is not BACKWARD compatible: .*PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL at #\/properties\/meterId/),
    });
    const conflicting = await kit.kernel.load(producer('other-meter', v1changed)).catch((e: unknown) => e);
    expect((conflicting as PolisAggregateError).errors[0]).toMatchObject({ code: ErrorCodes.SCHEMA_CONFLICT, plugin: 'other-meter' });
    expect(kit.kernel.registry.versions('test.meter.read')).toEqual([1]);
    expect(kit.kernel.plugins().map((p) => p.name)).toEqual(['old-meter']);
    await kit.stop();
  });
});
