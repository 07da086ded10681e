// One kernel process of the demo: `node.ts <node-name> <plugin,plugin,...>`. It joins the NATS
// server at NATS_URL (default 127.0.0.1:4222) under the subject prefix POLIS_PREFIX (default
// `polis-demo`), shares the schema registry with the other nodes through the NATS KV bucket
// POLIS_SCHEMA_BUCKET (default `<prefix>_schemas`), and logs JSON lines on stdout. SIGTERM or
// SIGINT stops it cleanly. On a NATS cluster, NATS_URL lists every server (comma-separated) so
// the connection fails over, and POLIS_REPLICAS (default 1) replicates the event stream, its
// consumers and the KV bucket on that many servers; POLIS_ACK_WAIT_MS shortens JetStream's ack
// wait, so what a killed server had in flight to a kernel comes back sooner.
import { NatsKvSchemaStore, NatsTransport } from '@polis/bus-nats';
import { Kernel, createLogger } from '@polis/kernel';
import type { AnyPlugin } from '@polis/plugin-api';
import { delayMonitor } from './plugins/delay-monitor.js';
import { fleet } from './plugins/fleet.js';
import { passengerInfo } from './plugins/passenger-info.js';

const available: Record<string, AnyPlugin> = {
  fleet: fleet as AnyPlugin,
  'delay-monitor': delayMonitor as AnyPlugin,
  'passenger-info': passengerInfo as AnyPlugin,
};

const [node = 'node', list = ''] = process.argv.slice(2);
const prefix = process.env.POLIS_PREFIX ?? 'polis-demo';
// KV bucket names allow letters, digits, `-` and `_`.
const bucket = process.env.POLIS_SCHEMA_BUCKET ?? `${prefix.replace(/[^A-Za-z0-9_-]/g, '_')}_schemas`;
const logger = createLogger({ format: 'json' }, { node });
const plugins = list.split(',').filter(Boolean).map((name) => {
  const plugin = available[name];
  if (!plugin) throw new Error(`unknown plugin '${name}'; available: ${Object.keys(available).join(', ')}`);
  return plugin;
});

const servers = (process.env.NATS_URL ?? '127.0.0.1:4222').split(',');
const replicas = Number(process.env.POLIS_REPLICAS ?? 1);
// POLIS_ACK_WAIT_MS: how soon JetStream hands out again a delivery lost with a killed server (default 30 s).
const ackWaitMs = process.env.POLIS_ACK_WAIT_MS === undefined ? undefined : Number(process.env.POLIS_ACK_WAIT_MS);
const transport = new NatsTransport({ servers, prefix, name: `multi-node/${node}`, jetstream: { replicas }, ...(ackWaitMs === undefined ? {} : { ackWaitMs }) });
const kernel = new Kernel({
  transport,
  logger,
  schemaStore: new NatsKvSchemaStore({ connection: () => transport.kernelConnection(), bucket, replicas }),
});

const report = await kernel.start(plugins);
if (report.failed.length > 0) {
  for (const error of report.failed) logger.error(error.message, { plugin: error.plugin, code: error.code });
  await kernel.stop();
  process.exit(1);
}
logger.info('node ready', { plugins: report.started });

const stop = async () => {
  await kernel.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());

