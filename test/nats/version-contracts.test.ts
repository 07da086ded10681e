import { NatsKvSchemaStore } from '@polis/bus-nats';
import { Kernel, createLogger } from '@polis/kernel';
import type { SchemaStore } from '@polis/kernel';
import { ErrorCodes, EventDeadLettered, Type, defineEvent } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { afterAll, describe, expect, it, vi } from 'vitest';
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

  // A race in the KV bucket, in its worst interleaving: the rival has already adopted this node's v1
  // (through its watch) when it registers its own v2, so that v2 must be valid against v1 too. (The
  // quarantined version gave the rival a v2 that v1 makes incompatible, PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL:
  // whenever the watch was quick, the rival's own register threw SCHEMA_INCOMPATIBLE, that error came out
  // of this node's load, and the rival's v2 was never written.)
  const racingNode = (rival: Kernel, type: string, beforeRivalV2: () => Promise<void> = async () => undefined): Kernel =>
    node((store) => ({
      list: () => store.list(),
      watch: (listener, onRemoved) => store.watch(listener, onRemoved),
      remove: (record) => store.remove(record),
      async putIfAbsent(record) {
        if (record.type === type && record.version === 2) {
          await vi.waitFor(() => expect(rival.registry.has(type, 1)).toBe(true), { timeout: 5000 });
          await beforeRivalV2();
          await rival.registry.register(type, 2, Type.Object({ litres: Type.Optional(Type.Unknown()) }));
        }
        return store.putIfAbsent(record);
      },
    }));

  it('takes back what a load stored in the shared store when another node wins a race for one of its versions', async () => {
    const FlowV1 = defineEvent({ type: 'test.flow.read', version: 1, schema: Type.Object({ m3: Type.Number() }) });
    const FlowV2 = defineEvent({ type: 'test.flow.read', version: 2, schema: Type.Object({}) });
    const rival = node();
    await rival.start();
    const racing = racingNode(rival, FlowV1.type);
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
    // The rival, which had adopted the v1 taken back, forgets it too: it checks later versions against what the bucket holds.
    await vi.waitFor(() => expect(rival.registry.versions('test.flow.read')).toEqual([2]), { timeout: 5000 });
  });

  it('stores again a version another node relies on when the node that stored it takes it back', async () => {
    const TankV1 = defineEvent({ type: 'test.tank.read', version: 1, schema: Type.Object({ m3: Type.Number() }) });
    const TankV2 = defineEvent({ type: 'test.tank.read', version: 2, schema: Type.Object({}) });
    const rival = node();
    await rival.start();
    // The rival loads a plugin declaring the identical v1, which it finds already stored by the racing node.
    const racing = racingNode(rival, TankV1.type, async () => {
      await rival.load([publisherPlugin('tank-v1', TankV1)]);
    });
    await racing.start();
    const error = await racing.load([publisherPlugin('tank-v1', TankV1), publisherPlugin('tank-v2', TankV2)]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCodes.SCHEMA_CONFLICT, details: { type: 'test.tank.read', version: 2 } });
    expect(rival.plugins().map((p) => p.name)).toEqual(['tank-v1']);
    // The racing node deleted its v1; the rival, whose plugin runs against it, writes it back.
    const fresh = node();
    await fresh.start();
    await vi.waitFor(() => expect(fresh.registry.versions('test.tank.read')).toEqual([1, 2]), { timeout: 5000 });
    expect(fresh.registry.get('test.tank.read', 1)?.schema).toMatchObject({ properties: { m3: {} } });
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
