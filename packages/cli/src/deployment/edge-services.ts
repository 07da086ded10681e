import { dirname } from 'node:path';
import type { MqttConnector } from '@polis/connector-mqtt';
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

/** Edge services loaded and configured, ready to start on a kernel. */
export interface PreparedEdgeServices {
  start(kernel: Kernel): Promise<EdgeServices>;
}

const NONE: EdgeServices = { url: undefined, stop: async () => undefined };

/**
 * Loads what a deployment's `http:` and `mqtt:` sections need and reads their tokens and
 * passwords (files or environment variables), before the kernel starts: a missing token fails
 * the start before any plugin runs, and loading the gateway's modules never stalls a running
 * city. Nothing is loaded for a deployment without those sections.
 */
export async function prepareEdgeServices(deployment: Deployment): Promise<PreparedEdgeServices> {
  const { spec } = deployment;
  if (spec.http === undefined && spec.mqtt === undefined) return { start: async () => NONE };
  const folder = dirname(deployment.file);
  const http = await import('@polis/http');
  const mqttModule = spec.mqtt === undefined ? undefined : await import('@polis/connector-mqtt');
  const gatewayOptions = spec.http === undefined ? undefined : await http.gatewayOptionsFromSpec(spec.http, folder);
  const mqttPassword = spec.mqtt?.password === undefined ? undefined : await http.resolveSecret(spec.mqtt.password, folder, 'mqtt.password');

  return {
    async start(kernel) {
      const metrics = new http.PromMetricsService();
      const stops: Array<() => Promise<void>> = [];
      const stop = async () => {
        for (const step of stops.splice(0).reverse()) await step();
      };
      try {
        let connector: MqttConnector | undefined;
        if (spec.mqtt !== undefined && mqttModule !== undefined) {
          const { password: _secret, ...mqtt } = spec.mqtt;
          connector = await mqttModule.MqttConnector.start({ ...mqtt, kernel, metrics, ...(mqttPassword === undefined ? {} : { password: mqttPassword }) });
          stops.push(() => connector!.stop());
        }
        if (gatewayOptions === undefined) return { url: undefined, stop };
        const mqttSource: SourceDescription[] = spec.mqtt === undefined ? [] : [{ name: spec.mqtt.source, via: 'mqtt', publishes: spec.mqtt.mappings.map((mapping) => mapping.type) }];
        const gateway = await http.startGateway({
          ...gatewayOptions,
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
    },
  };
}
