import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SubjectScheme } from '@polis/bus-nats';
import { connect, jetstreamManager } from '@polis/bus-nats/nats';
import { runDeployment } from '@polis/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsCluster } from '../support/nats-cluster.js';
import type { NatsCluster } from '../support/nats-cluster.js';

const Reading = { kind: 'event', type: 'meter.reading.taken', version: 1, schema: { type: 'object', properties: { kwh: { type: 'number' } }, required: ['kwh'] } };

describe('a deployment file on a three-node NATS cluster', () => {
  const folder = mkdtempSync(join(tmpdir(), 'polis-cluster-city-'));
  let cluster: NatsCluster;
  beforeAll(async () => {
    cluster = await startNatsCluster(3, { name: 'polis-cluster-city' });
  }, 60_000);
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await cluster?.stop();
  });

  it('keeps the event stream, the dead letters, the durable consumers and both KV buckets in `jetstream.replicas` copies', async () => {
    const prefix = 'cluster-city';
    writeFileSync(join(folder, 'meter.mjs'), `export default { ...${JSON.stringify({ name: 'meter', version: '1.0.0', kernel: '^1', publishes: [Reading] })}, setup() {} };\n`);
    writeFileSync(join(folder, 'reader.mjs'), `export default { ...${JSON.stringify({ name: 'reader', version: '1.0.0', kernel: '^1', consumes: [Reading] })}, setup(ctx) { ctx.on(this.consumes[0], () => undefined); } };\n`);
    const file = join(folder, 'city.yaml');
    writeFileSync(
      file,
      [
        'name: cluster-city',
        'transport:',
        '  kind: nats',
        `  servers: [${cluster.urls.map((url) => `'nats://${url}'`).join(', ')}]`,
        `  prefix: ${prefix}`,
        '  jetstream: { replicas: 3 }',
        'log: { level: silent }',
        'plugins:',
        '  - package: ./meter.mjs',
        '  - package: ./reader.mjs',
        '',
      ].join('\n'),
    );
    const raw = await connect({ servers: [...cluster.urls] });
    const seen: Record<string, number> = {};
    try {
      await runDeployment(file, {
        durationS: 0.01,
        control: false,
        onStarted: async (kernel) => {
          await kernel.bus.publish('meter', Reading.type, 1, { kwh: 1 });
          const jsm = await jetstreamManager(raw);
          const scheme = new SubjectScheme(prefix);
          seen.events = (await jsm.streams.info(scheme.defaultStream)).config.num_replicas;
          seen.letters = (await jsm.streams.info(scheme.deadLetters().defaultStream)).config.num_replicas;
          const consumers = await jsm.consumers.list(scheme.defaultStream).next();
          seen.consumers = consumers.length;
          seen.consumerReplicas = Math.min(...consumers.map((consumer) => consumer.cluster?.replicas?.length ?? 0).map((followers) => followers + 1));
          // A KV bucket is the stream KV_<bucket>.
          seen.schemas = (await jsm.streams.info(`KV_${prefix}_schemas`)).config.num_replicas;
          seen.state = (await jsm.streams.info(`KV_${prefix}_state`)).config.num_replicas;
        },
      });
    } finally {
      await raw.close();
    }
    expect(seen).toEqual({ events: 3, letters: 3, consumers: 1, consumerReplicas: 3, schemas: 3, state: 3 });
  }, 90_000);
});
