import { NatsKvSchemaStore } from '@polis/bus-nats';
import { Kernel, createLogger } from '@polis/kernel';
import { ErrorCodes, PolisAggregateError, Type, defineEvent, definePlugin } from '@polis/plugin-api';
import type { AnyPlugin, CloudEvent, EventDefinition } from '@polis/plugin-api';
import { afterAll, describe, expect, it } from 'vitest';
import { removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';

const MeterRead = defineEvent({ type: 'test.meter.read', version: 1, schema: Type.Object({ kwh: Type.Number() }) });
// Adds a required property to an open content model: not BACKWARD compatible.
const MeterReadIncompatible = defineEvent({ type: 'test.meter.read', version: 2, schema: Type.Object({ kwh: Type.Number(), meterId: Type.String() }) });
const MeterReadChanged = defineEvent({ type: 'test.meter.read', version: 1, schema: Type.Object({ kwh: Type.Integer() }) });

const producer = (name: string, event: EventDefinition): AnyPlugin => definePlugin({ name, version: '1.0.0', kernel: '^1', publishes: [event], setup() {} }) as AnyPlugin;

describe('the schema registry shared through NATS KV', () => {
  const prefix = uniquePrefix('registry');
  const bucket = `polis_schemas_${prefix.replace(/-/g, '_')}`;
  const kernels: Kernel[] = [];

  /** A kernel of its own (a node), on the shared server, prefix and schema bucket. */
  const node = (): Kernel => {
    const transport = testTransport({ prefix });
    const kernel = new Kernel({
      transport,
      schemaStore: new NatsKvSchemaStore({ connection: () => transport.kernelConnection(), bucket }),
      logger: createLogger({ level: 'silent' }),
    });
    kernels.push(kernel);
    return kernel;
  };

  afterAll(async () => {
    await Promise.all(kernels.map((kernel) => kernel.stop()));
    await removeNatsState(prefix, [bucket]);
  });

  const a = node();
  const b = node();

  it('makes a schema registered on one node known on the others, running or started later', async () => {
    await b.start();
    await a.start([producer('meter', MeterRead)]);
    await expect.poll(() => b.registry.has('test.meter.read', 1), { timeout: 5000 }).toBe(true);
    expect(b.registry.get('test.meter.read', 1)?.schema).toEqual(JSON.parse(JSON.stringify(MeterRead.schema)));

    const later = node();
    await later.start();
    expect(later.registry.has('test.meter.read', 1)).toBe(true);
  });

  it('still enforces compatibility: another node refuses an incompatible new version', async () => {
    const error = await b.load(producer('new-meter', MeterReadIncompatible)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolisAggregateError);
    expect((error as PolisAggregateError).errors[0]).toMatchObject({
      code: ErrorCodes.SCHEMA_INCOMPATIBLE,
      plugin: 'new-meter',
      message: expect.stringContaining('test.meter.read v2 is not BACKWARD compatible'),
    });
    const fresh = node();
    await fresh.start();
    expect(fresh.registry.versions('test.meter.read')).toEqual([1]);
  });

  it('refuses on another node a different schema under a version that is taken', async () => {
    const error = await b.load(producer('other-meter', MeterReadChanged)).catch((e: unknown) => e);
    expect((error as PolisAggregateError).errors[0]).toMatchObject({ code: ErrorCodes.SCHEMA_CONFLICT, plugin: 'other-meter' });
  });

  it('validates events from another node against the shared schema', async () => {
    const seen: CloudEvent[] = [];
    // The consumer declares only a pattern: the schema it validates against comes from the KV bucket.
    await b.load(definePlugin({ name: 'auditor', version: '1.0.0', kernel: '^1', consumes: ['test.>'], setup: (ctx) => ctx.on('test.>', (event) => void seen.push(event)) }));
    await a.bus.publish('meter', 'test.meter.read', 1, { kwh: 12.5 });
    await expect.poll(() => seen.map((event) => event.data), { timeout: 5000 }).toEqual([{ kwh: 12.5 }]);
  });
});
