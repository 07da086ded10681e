import type { InProcessPublisher } from '@polis/bus-nats';
import type { DeploymentFile } from './read-deployment.js';

/**
 * What publishes on the kernel's connection under a source of its own rather than a plugin's:
 * the HTTP gateway's declared sources (and its Open311 desk) and the MQTT connector. Both the
 * broker's permissions (`polis auth`) and the receivers' source check (`sourceCheck`) need them.
 */
export async function publishingComponents(deployment: Pick<DeploymentFile, 'spec'>): Promise<InProcessPublisher[]> {
  const { http, mqtt } = deployment.spec;
  return [
    ...(http === undefined ? [] : (await import('@polis/http')).gatewayPublishers(http)),
    ...(mqtt === undefined ? [] : [{ source: mqtt.source, publishes: mqtt.mappings.map((mapping) => mapping.type) }]),
  ];
}
