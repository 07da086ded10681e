import { randomBytes } from 'node:crypto';
import { NatsTransport } from '@polis/bus-nats';
import type { NatsConnection } from '@polis/bus-nats/nats';
import { traffic } from '@polis/contracts';
import type { Kernel } from '@polis/kernel';
import { definePlugin } from '@polis/plugin-api';
import type { QueryRequest, QueryResponse } from '@polis/plugin-api';
import { startKernel } from '../bench-kernel.js';
import { connectRaw } from '../raw-connection.js';
import { alternate } from '../measure.js';
import type { RunningContender } from '../measure.js';
import { ratioResult } from '../result.js';
import type { Scenario } from '../scenario.js';
import { sized } from '../settings.js';
import { median } from '../stats.js';

type RouteRequest = QueryRequest<typeof traffic.RouteFind>;
type RouteResponse = QueryResponse<typeof traffic.RouteFind>;

/** An ambulance asking for the route from a crash scene to a hospital in Futian, and the answer. */
const routeRequest: RouteRequest = { from: { lat: 22.5331, lon: 114.0552 }, to: { lat: 22.5412, lon: 114.0789 } };
const routeResponse: RouteResponse = {
  found: true,
  nodes: ['n2_3', 'n2_4', 'n3_4', 'n3_5', 'n4_5', 'n4_6'],
  lengthM: 2640,
  travelTimeS: 212,
};

const TIMEOUT_MS = 5_000;

/** Median of `requests` round trips made one after the other, in microseconds. */
async function p50(requests: number, ask: () => Promise<RouteResponse>): Promise<number> {
  const latencies: number[] = [];
  for (let i = 0; i < requests; i++) {
    const began = performance.now();
    const reply = await ask();
    latencies.push((performance.now() - began) * 1000);
    if (reply.travelTimeS !== routeResponse.travelTimeS) throw new Error(`a reply came back altered: ${JSON.stringify(reply)}`);
  }
  return median(latencies);
}

/** Polis: a requesting plugin and an answering plugin, each in a kernel (and connection) of its own. */
async function polisRequests(url: string, requests: number): Promise<RunningContender> {
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const transport = () => new NatsTransport({ servers: url, prefix, jetstream: false });
  const router = definePlugin({
    name: 'router',
    version: '1.0.0',
    kernel: '^1',
    answers: [traffic.RouteFind],
    setup(ctx) {
      ctx.answer(traffic.RouteFind, () => routeResponse);
    },
  });
  let ask: (() => Promise<RouteResponse>) | undefined;
  const dispatcher = definePlugin({
    name: 'dispatcher',
    version: '1.0.0',
    kernel: '^1',
    requests: [traffic.RouteFind],
    setup(ctx) {
      ask = () => ctx.request(traffic.RouteFind, routeRequest, { timeoutMs: TIMEOUT_MS });
    },
  });
  const kernels: Kernel[] = [await startKernel([router], transport())];
  kernels.push(await startKernel([dispatcher], transport()));
  return {
    label: 'polis',
    unit: 'µs p50',
    measure: () => p50(requests, ask!),
    stop: async () => {
      for (const kernel of kernels.reverse()) await kernel.stop();
    },
  };
}

/** nats.js: `nc.request` of the same JSON to a subscription that parses it and replies the same answer, on two connections. */
async function rawRequests(url: string, requests: number): Promise<RunningContender> {
  const subject = `bench-${randomBytes(4).toString('hex')}.rpc.route`;
  const responder: NatsConnection = await connectRaw(url, 'raw-responder');
  responder.subscribe(subject, {
    callback: (error, msg) => {
      if (error) throw error;
      msg.json<RouteRequest>();
      msg.respond(Buffer.from(JSON.stringify(routeResponse)));
    },
  });
  await responder.flush();
  const requester: NatsConnection = await connectRaw(url, 'raw-requester');
  const ask = async () => (await requester.request(subject, Buffer.from(JSON.stringify(routeRequest)), { timeout: TIMEOUT_MS })).json<RouteResponse>();
  return {
    label: 'raw nats.js',
    unit: 'µs p50',
    measure: () => p50(requests, ask),
    stop: async () => {
      await requester.close();
      await responder.close();
    },
  };
}

/** Request/reply latency over NATS, one request at a time: ctx.request -> ctx.answer vs nc.request -> msg.respond. */
export const requestReplyScenario: Scenario = {
  name: 'request/reply',
  keys: ['request_p50_vs_raw'],
  async run({ settings, nats }) {
    const requests = sized(settings, 3_000, 200);
    const stops: Array<() => Promise<void>> = [];
    try {
      const polis = await polisRequests(nats.url, requests);
      stops.push(polis.stop);
      const raw = await rawRequests(nats.url, requests);
      stops.push(raw.stop);
      const [p, r] = await alternate([polis, raw], settings);
      return [
        ratioResult({
          key: 'request_p50_vs_raw',
          title: 'request/reply over core NATS, one process, two connections: ctx.request -> answering plugin vs nc.request -> raw responder (p50 latency, lower is better)',
          numerator: p!,
          denominator: r!,
          target: { op: '<=', bound: 1.3 },
          notes: [`${requests.toLocaleString('en-US')} sequential requests a round (traffic.route.find); Polis validates the request and the reply`, nats.description],
        }),
      ];
    } finally {
      for (const stop of stops.reverse()) await stop();
    }
  },
};
