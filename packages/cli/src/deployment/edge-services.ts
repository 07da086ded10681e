import { dirname } from 'node:path';
import { MqttConnector } from '@polis/connector-mqtt';
import { PromMetricsService, gatewayOptionsFromSpec, resolveSecret, startGateway } from '@polis/http';
import type { SourceDescription } from '@polis/http';
import type { Kernel } from '@polis/kernel';
import type { Deployment } from './load-deployment.js';
import { importPlugin } from './load-deployment.js';

/** What a deployment runs at its edges besides the kernel: the HTTP gateway and the MQTT connector. */
export interface EdgeServices {
  /** The gateway's URL, when the deployment has an `http:` section. */
  readonly url: string | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the MQTT connector of a deployment's `mqtt:` section and the gateway of its `http:`
 * section on a started kernel (tokens and passwords read from their files or environment
 * variables). The admin API imports plugins from the deployment's folder, as the file's own
 * plugins are; `/readyz` includes the connector's broker connection.
 */
export async function startEdgeServices(deployment: Deployment, kernel: Kernel): Promise<EdgeServices> {
  const { spec } = deployment;
  const folder = dirname(deployment.file);
  const metrics = new PromMetricsService();
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step();
  };
  try {
    let connector: MqttConnector | undefined;
    if (spec.mqtt !== undefined) {
      const { password, ...mqtt } = spec.mqtt;
      connector = await MqttConnector.start({ ...mqtt, kernel, metrics, ...(password === undefined ? {} : { password: await resolveSecret(password, folder, 'mqtt.password') }) });
      stops.push(() => connector!.stop());
    }
    if (spec.http === undefined) return { url: undefined, stop };
    const mqttSource: SourceDescription[] = spec.mqtt === undefined ? [] : [{ name: spec.mqtt.source, via: 'mqtt', publishes: spec.mqtt.mappings.map((mapping) => mapping.type) }];
    const gateway = await startGateway({
      ...(await gatewayOptionsFromSpec(spec.http, folder)),
      kernel,
      name: spec.name,
      metrics,
      plugins: deployment.plugins,
      resolvePlugin: (specifier) => importPlugin(specifier, folder),
      otherSources: mqttSource,
      readiness: connector === undefined ? [] : [connector.readiness()],
      ...(spec.transport.kind === 'nats' ? { nats: { servers: spec.transport.servers ?? ['nats://127.0.0.1:4222'], prefix: spec.transport.prefix ?? 'polis' } } : {}),
    });
    stops.push(() => gateway.stop());
    return { url: gateway.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
