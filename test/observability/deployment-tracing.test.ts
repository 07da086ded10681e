import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDeployment } from '@polis/cli';
import type { Kernel } from '@polis/kernel';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/nats-server.js';
import { repoRoot } from '../support/polis-command.js';
import { waitFor } from '../support/wait-for.js';

const demoDir = join(repoRoot, 'examples/city-demo');

/** One span of an OTLP/JSON export request, with its resource's service name. */
interface ReceivedSpan {
  readonly service: string;
  readonly name: string;
  readonly traceId: string;
  readonly parentSpanId?: string;
}

/** An OTLP/HTTP collector's traces endpoint: what a real collector receives, parsed. */
async function otlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const contentTypes: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      contentTypes.push(String(request.headers['content-type']));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: ReceivedSpan[] }[] }[];
      };
      for (const resource of body.resourceSpans) {
        const service = resource.resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '';
        for (const scope of resource.scopeSpans) for (const span of scope.spans) spans.push({ service, name: span.name, traceId: span.traceId, ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}) });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, spans, contentTypes, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('a deployment file with a tracing: section', () => {
  const file = join(demoDir, `.city-test-${randomBytes(4).toString('hex')}.yaml`);
  afterAll(() => rmSync(file, { force: true }));

  it('exports the spans of an ingested event over OTLP/HTTP to the collector: the caller trace, the gateway, the send and the handler calls', async () => {
    const receiver = await otlpReceiver();
    const port = await freePort();
    writeFileSync(
      file,
      `name: traced-city
log: { level: warn }
plugins:
  - package: '@polis/plugin-traffic'
    config: { network: { $include: ./road-network.json } }
http:
  port: ${port}
  sources:
    - name: field-sensors
      token: { file: ./tokens/field-sensors.token }
      publishes: [traffic.detector.reported]
tracing:
  otlpUrl: ${receiver.url}
  sampleRatio: 1
`,
    );
    const token = readFileSync(join(demoDir, 'tokens/field-sensors.token'), 'utf8').trim();
    const callerTrace = randomBytes(16).toString('hex');
    const stop = new AbortController();
    let kernel: Kernel | undefined;
    const running = runDeployment(file, { signal: stop.signal, control: false, onStarted: (started) => void (kernel = started) });
    try {
      await waitFor(() => kernel !== undefined, 15_000);
      const reply = await fetch(`http://127.0.0.1:${port}/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'ce-specversion': '1.0',
          'ce-id': `reading-${randomBytes(4).toString('hex')}`,
          'ce-source': 'urn:detector:d-n10-n11-1',
          'ce-type': 'traffic.detector.reported',
          traceparent: `00-${callerTrace}-${randomBytes(8).toString('hex')}-01`,
        },
        body: JSON.stringify({ detectorId: 'd-n10-n11-1', observedAt: new Date().toISOString(), intervalS: 20, flowVph: 900, occupancyPct: 12, speedKph: 38 }),
      });
      expect(reply.status).toBe(202);
    } finally {
      stop.abort();
      await running;
    }
    // The run's end flushes what is still batched: no wait for the exporter's timer.
    await receiver.close();
    const traced = receiver.spans.filter((span) => span.traceId === callerTrace);
    expect(traced.map((span) => span.name)).toEqual(expect.arrayContaining(['POST /events', 'send traffic.detector.reported', 'process traffic.detector.reported']));
    expect(new Set(traced.map((span) => span.service))).toEqual(new Set(['traced-city']));
    expect(traced.every((span) => span.parentSpanId !== undefined)).toBe(true);
    expect(new Set(receiver.contentTypes)).toEqual(new Set(['application/json']));
  }, 60_000);
});
