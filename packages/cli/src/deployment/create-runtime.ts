import { MemoryTransport, createLogger, createScaledClock, systemClock } from '@polis/kernel';
import type { KernelOptions, Transport } from '@polis/kernel';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { DeploymentSpec, TransportSpec } from './deployment-schema.js';

/** The kernel options a deployment file asks for: transport, clock, logging and limits. */
export async function kernelOptionsFor(spec: DeploymentSpec): Promise<KernelOptions> {
  return {
    transport: await createTransport(spec.transport),
    clock: spec.clock.speed === 1 ? systemClock : createScaledClock(spec.clock.speed),
    logger: createLogger({ level: spec.log.level, format: spec.log.format }),
    maxEventBytes: spec.limits.maxEventBytes,
    timeouts: { setupMs: spec.limits.setupTimeoutMs, startMs: spec.limits.startTimeoutMs, stopMs: spec.limits.stopTimeoutMs },
  };
}

async function createTransport(spec: TransportSpec): Promise<Transport> {
  if (spec.kind === 'memory') return new MemoryTransport();
  let natsModule: typeof import('@polis/bus-nats');
  try {
    natsModule = await import('@polis/bus-nats');
  } catch (cause) {
    throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, "transport 'nats' needs the @polis/bus-nats package: pnpm add @polis/bus-nats", { cause });
  }
  const { kind: _kind, ...options } = spec;
  return new natsModule.NatsTransport(options);
}
