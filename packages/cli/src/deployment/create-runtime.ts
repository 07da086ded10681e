import { MemoryTransport, createLogger, createScaledClock, systemClock } from '@polis/kernel';
import type { KernelOptions } from '@polis/kernel';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { AnyPlugin } from '@polis/plugin-api';
import type { PublishRate } from '@polis/bus-nats';
import { kernelAuth, pluginLogins, tlsOptions } from './broker-logins.js';
import { publishingComponents } from './publishing-components.js';
import type { DeploymentFile } from './read-deployment.js';

/**
 * The kernel options a deployment file asks for: transport, clock, logging and limits. `plugins`:
 * every plugin of the deployment, whose manifests declare who publishes what (`sourceCheck`, on by default).
 */
export async function kernelOptionsFor(deployment: DeploymentFile, plugins: readonly AnyPlugin[] = []): Promise<KernelOptions> {
  const { spec } = deployment;
  return {
    ...(await transportOptions(deployment, plugins)),
    clock: spec.clock.speed === 1 ? systemClock : createScaledClock(spec.clock.speed),
    logger: createLogger({ level: spec.log.level, format: spec.log.format }),
    maxEventBytes: spec.limits.maxEventBytes,
    timeouts: { setupMs: spec.limits.setupTimeoutMs, startMs: spec.limits.startTimeoutMs, stopMs: spec.limits.stopTimeoutMs },
    ...(spec.limits.handlerTimeoutMs === undefined ? {} : { handlerTimeoutMs: spec.limits.handlerTimeoutMs }),
  };
}

/**
 * The transport and, on NATS, the stores every node of the deployment shares: the schema
 * registry and plugin state in NATS KV.
 */
async function transportOptions(deployment: DeploymentFile, plugins: readonly AnyPlugin[]): Promise<Pick<KernelOptions, 'transport' | 'schemaStore' | 'stateStore'>> {
  const spec = deployment.spec.transport;
  if (spec.kind === 'memory') return { transport: new MemoryTransport() };
  let nats: typeof import('@polis/bus-nats');
  try {
    nats = await import('@polis/bus-nats');
  } catch (cause) {
    throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, "transport 'nats' needs the @polis/bus-nats package: pnpm add @polis/bus-nats", { cause });
  }
  const auth = await kernelAuth(deployment, spec);
  // A plugin with its own login gets its own connection; the others share the kernel's.
  const logins = await pluginLogins(deployment, spec);
  const tls = await tlsOptions(deployment, spec);
  const transport = new nats.NatsTransport({
    servers: spec.servers ?? ['nats://127.0.0.1:4222'],
    prefix: spec.prefix,
    jetstream: spec.jetstream ?? true,
    // The bus's size limit holds on receipt too.
    ...(deployment.spec.limits.maxEventBytes === undefined ? {} : { maxEventBytes: deployment.spec.limits.maxEventBytes }),
    // On unless turned off: without per-plugin logins it is what binds an event's source to its publisher.
    ...(spec.sourceCheck === false ? {} : { publishers: nats.declaredPublishers(plugins, await publishingComponents(deployment)) }),
    ...(spec.publishRate === undefined ? {} : { publishRate: publishRate(spec.publishRate, nats.DEFAULT_PUBLISH_RATE) }),
    ...(spec.outageBuffer === undefined ? {} : { outageBuffer: spec.outageBuffer }),
    ...(spec.outageBufferBytes === undefined ? {} : { outageBufferBytes: spec.outageBufferBytes }),
    ...(spec.outageMaxMs === undefined ? {} : { outageMaxMs: spec.outageMaxMs }),
    ...(auth ? { auth } : {}),
    ...(logins.size > 0 ? { pluginAuth: (plugin: string) => logins.get(plugin) } : {}),
    ...(tls ? { tls } : {}),
  });
  const connection = () => transport.kernelConnection();
  const bucketPrefix = spec.prefix ?? 'polis';
  // On a cluster the registry and the state are kept in as many copies as the events.
  const replicas = typeof spec.jetstream === 'object' ? spec.jetstream.replicas : undefined;
  const copies = replicas === undefined ? {} : { replicas };
  return {
    transport,
    schemaStore: new nats.NatsKvSchemaStore({ connection, bucket: `${bucketPrefix}_schemas`, ...copies }),
    stateStore: nats.natsKvStateStores({ connection, bucket: `${bucketPrefix}_state`, ...copies }),
  };
}

type PublishRateSpec = NonNullable<Extract<DeploymentFile['spec']['transport'], { kind: 'nats' }>['publishRate']>;

/** The deployment's publish rates by plugin: its override, else its default, else the transport's. */
function publishRate(spec: PublishRateSpec, defaults: PublishRate): (plugin: string) => PublishRate | false | undefined {
  if (spec === false) return () => false;
  const fallback = spec.perSecond === undefined && spec.burst === undefined ? undefined : { perSecond: spec.perSecond ?? defaults.perSecond, burst: spec.burst ?? defaults.burst };
  return (plugin) => (spec.plugins !== undefined && Object.hasOwn(spec.plugins, plugin) ? spec.plugins[plugin] : fallback);
}
