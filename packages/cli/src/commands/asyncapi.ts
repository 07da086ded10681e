import type { SourceDescription } from '@polis/http';
import { loadDeployment } from '../deployment/load-deployment.js';

/**
 * `polis asyncapi city.yaml`: the AsyncAPI 3.0 document of a deployment, from its plugins'
 * manifests and its declared sources, without starting anything (no token is read).
 */
export async function asyncApiOf(file: string): Promise<Record<string, unknown>> {
  const deployment = await loadDeployment(file);
  const { asyncApiDocument } = await import('@polis/http');
  const { spec } = deployment;
  const sources: SourceDescription[] = (spec.http?.sources ?? []).map((source) => ({
    name: source.name,
    via: 'http',
    publishes: source.publishes,
    consumes: source.consumes,
    requests: source.requests,
    ...(source.description === undefined ? {} : { description: source.description }),
  }));
  if (spec.mqtt !== undefined) sources.push({ name: spec.mqtt.source, via: 'mqtt', publishes: spec.mqtt.mappings.map((mapping) => mapping.type) });
  return asyncApiDocument({
    name: spec.name,
    plugins: deployment.plugins.map((entry) => entry.plugin),
    sources,
    ...(spec.http === undefined ? {} : { http: `${spec.http.host}:${spec.http.port}` }),
    ...(spec.transport.kind === 'nats' ? { nats: { servers: spec.transport.servers ?? ['nats://127.0.0.1:4222'], prefix: spec.transport.prefix ?? 'polis' } } : {}),
  });
}
