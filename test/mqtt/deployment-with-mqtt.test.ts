import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncApiOf, runDeployment } from '@polis/cli';
import type { Kernel } from '@polis/kernel';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { MQTT_URL } from '../support/mosquitto.js';
import { freePort } from '../support/nats-server.js';
import { repoRoot } from '../support/polis-command.js';
import { SseReader } from '../support/sse-reader.js';
import { waitFor } from '../support/wait-for.js';

const demoDir = join(repoRoot, 'examples/city-demo');

describe('a deployment file with an mqtt: section', () => {
  const file = join(demoDir, `.city-test-${randomBytes(4).toString('hex')}.yaml`);
  afterAll(() => rmSync(file, { force: true }));

  it('starts the connector with the gateway: sensor readings over MQTT reach the city, /readyz and AsyncAPI show the connector', async () => {
    const port = await freePort();
    const topic = `polis-test/${randomBytes(4).toString('hex')}`;
    writeFileSync(
      file,
      `name: mqtt-city
log: { level: warn }
plugins:
  - package: '@polis/plugin-traffic'
    config: { network: { $include: ./road-network.json } }
mqtt:
  url: ${MQTT_URL}
  source: roadside-gateways
  clientId: polis-test-${randomBytes(4).toString('hex')}
  mappings:
    - topic: ${topic}/+/reading
      type: traffic.detector.reported
      fields:
        detectorId: { topic: 2 }
        observedAt: { payload: /t, as: timestamp }
        intervalS: { value: 20 }
        flowVph: { payload: /q }
        occupancyPct: { payload: /occ }
        speedKph: { payload: /v }
http:
  port: ${port}
  sources:
    - name: dashboard
      token: { file: ./tokens/dashboard.token }
      consumes: ['traffic.>', 'kernel.>']
`,
    );
    const token = readFileSync(join(demoDir, 'tokens/dashboard.token'), 'utf8').trim();
    const stop = new AbortController();
    let kernel: Kernel | undefined;
    const running = runDeployment(file, { signal: stop.signal, onStarted: (started) => {
      kernel = started;
    } });
    let stream: SseReader | undefined;
    try {
      await waitFor(() => kernel !== undefined, 15_000);
      const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { checks: unknown[] };
      expect(ready.checks).toEqual([{ name: 'mqtt roadside-gateways', ready: true, state: 'connected' }]);
      stream = new SseReader(await fetch(`http://127.0.0.1:${port}/events/stream?types=traffic.detector.reported`, { headers: { authorization: `Bearer ${token}` } }));
      const sensor = await mqtt.connectAsync(MQTT_URL);
      await sensor.publishAsync(`${topic}/d-n10-n11-1/reading`, JSON.stringify({ t: Date.now(), q: 900, occ: 12, v: 38 }), { qos: 1 });
      await sensor.endAsync();
      await waitFor(() => stream!.messages().length === 1, 5000);
      expect(stream.messages()[0]).toMatchObject({ source: 'roadside-gateways', data: { detectorId: 'd-n10-n11-1', flowVph: 900, intervalS: 20 } });
      const document = (await (await fetch(`http://127.0.0.1:${port}/asyncapi.json`)).json()) as { operations: Record<string, { summary: string }> };
      expect(document.operations['roadside-gateways.send.traffic.detector.reported']!.summary).toMatch(/MQTT connector/);
      expect((await asyncApiOf(file)).operations).toHaveProperty(['roadside-gateways.send.traffic.detector.reported']);
    } finally {
      await stream?.close();
      stop.abort();
      await running;
    }
  }, 60_000);
});
