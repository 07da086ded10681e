import { PromMetricsService, gatewayOptionsFromSpec, startGateway } from '@polis/http';
import type { Kernel } from '@polis/kernel';
import type { Deployment } from './load-deployment.js';
import { importPlugin } from './load-deployment.js';
import { dirname } from 'node:path';

/** What a deployment runs at its edges besides the kernel: the HTTP gateway. */
export interface EdgeServices {
  /** The gateway's URL, when the deployment has an `http:` section. */
  readonly url: string | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the gateway of a deployment's `http:` section on a started kernel (tokens read from
 * their files or environment variables); the admin API imports plugins from the deployment's
 * folder, as the file's own plugins are.
 */
export async function startEdgeServices(deployment: Deployment, kernel: Kernel): Promise<EdgeServices> {
  const spec = deployment.spec.http;
  if (spec === undefined) return { url: undefined, stop: async () => undefined };
  const folder = dirname(deployment.file);
  const gateway = await startGateway({
    ...(await gatewayOptionsFromSpec(spec, folder)),
    kernel,
    name: deployment.spec.name,
    metrics: new PromMetricsService(),
    plugins: deployment.plugins,
    resolvePlugin: (specifier) => importPlugin(specifier, folder),
    ...(deployment.spec.transport.kind === 'nats'
      ? { nats: { servers: deployment.spec.transport.servers ?? ['nats://127.0.0.1:4222'], prefix: deployment.spec.transport.prefix ?? 'polis' } }
      : {}),
  });
  return { url: gateway.url, stop: () => gateway.stop() };
}
