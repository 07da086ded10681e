import type { Kernel, PluginStatus } from '@polis/kernel';
import type { NatsConnection } from '@polis/bus-nats/nats';
import { isNatsTransport } from '../stream/jetstream-feed.js';

/** Something besides the kernel that readiness depends on (a connector's broker connection). */
export interface ReadinessCheck {
  readonly name: string;
  /** Whether it works now, and a short word on its state. */
  check(): { readonly ready: boolean; readonly state: string };
}

export interface Readiness {
  readonly ready: boolean;
  readonly transport: { readonly name: string; readonly connected: boolean };
  readonly plugins: readonly PluginStatus[];
  readonly checks: ReadonlyArray<{ readonly name: string; readonly ready: boolean; readonly state: string }>;
}

/**
 * Watches the transport's connection: the memory transport is connected while the kernel runs;
 * on NATS, the kernel connection's status events say when it is lost and back.
 */
export class TransportProbe {
  private connected = true;
  private connection: NatsConnection | undefined;

  private constructor(readonly name: string) {}

  static async watch(kernel: Kernel): Promise<TransportProbe> {
    const transport = kernel.bus.transport;
    const probe = new TransportProbe(transport.name);
    if (isNatsTransport(transport)) {
      const nc = await transport.kernelConnection();
      probe.connection = nc;
      void (async () => {
        for await (const status of nc.status()) {
          if (status.type === 'disconnect') probe.connected = false;
          else if (status.type === 'reconnect') probe.connected = true;
        }
      })();
    }
    return probe;
  }

  get isConnected(): boolean {
    return this.connected && (this.connection === undefined || !this.connection.isClosed());
  }
}

/** Ready when the transport is connected, every plugin runs, and every extra check passes. */
export function readiness(kernel: Kernel, probe: TransportProbe, checks: readonly ReadinessCheck[]): Readiness {
  const plugins = kernel.plugins();
  const results = checks.map((check) => ({ name: check.name, ...check.check() }));
  const connected = probe.isConnected;
  return {
    ready: connected && plugins.every((plugin) => plugin.state === 'running') && results.every((result) => result.ready),
    transport: { name: probe.name, connected },
    plugins,
    checks: results,
  };
}
