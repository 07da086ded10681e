import { MemoryTransport, createLogger, createScaledClock, systemClock } from '@polis/kernel';
import type { KernelOptions } from '@polis/kernel';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import { pluginLogins, tlsOptions } from './broker-logins.js';
import type { DeploymentFile } from './read-deployment.js';

/** The kernel options a deployment file asks for: transport, clock, logging and limits. */
export async function kernelOptionsFor(deployment: DeploymentFile): Promise<KernelOptions> {
  const { spec } = deployment;
  return {
    ...(await transportOptions(deployment)),
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
async function transportOptions(deployment: DeploymentFile): Promise<Pick<KernelOptions, 'transport' | 'schemaStore' | 'stateStore'>> {
  const spec = deployment.spec.transport;
  if (spec.kind === 'memory') return { transport: new MemoryTransport() };
  let nats: typeof import('@polis/bus-nats');
  try {
    nats = await import('@polis/bus-nats');
  } catch (cause) {
    throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, "transport 'nats' needs the @polis/bus-nats package: pnpm add @polis/bus-nats", { cause });
  }
  const auth = spec.token !== undefined ? { token: spec.token } : spec.user !== undefined ? { user: spec.user, pass: spec.pass ?? '' } : undefined;
  // A plugin with its own login gets its own connection; the others share the kernel's.
  const logins = await pluginLogins(deployment, spec);
  const tls = await tlsOptions(deployment, spec);
  const transport = new nats.NatsTransport({
    servers: spec.servers ?? ['nats://127.0.0.1:4222'],
    prefix: spec.prefix,
    jetstream: spec.jetstream ?? true,
    ...(auth ? { auth } : {}),
    ...(logins.size > 0 ? { pluginAuth: (plugin: string) => logins.get(plugin) } : {}),
    ...(tls ? { tls } : {}),
  });
  const connection = () => transport.kernelConnection();
  const bucketPrefix = spec.prefix ?? 'polis';
  return {
    transport,
    schemaStore: new nats.NatsKvSchemaStore({ connection, bucket: `${bucketPrefix}_schemas` }),
    stateStore: nats.natsKvStateStores({ connection, bucket: `${bucketPrefix}_state` }),
  };
}
