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
import { median, quantileOfSorted } from '../stats.js';

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

/** The p50 and p99 of `requests` round trips made one after the other, in microseconds. */
interface Latencies {
  readonly p50: number;
  readonly p99: number;
}

async function roundTrips(requests: number, ask: () => Promise<RouteResponse>): Promise<Latencies> {
  const latencies: number[] = [];
  for (let i = 0; i < requests; i++) {
    const began = performance.now();
    const reply = await ask();
    latencies.push((performance.now() - began) * 1000);
    if (reply.travelTimeS !== routeResponse.travelTimeS) throw new Error(`a reply came back altered: ${JSON.stringify(reply)}`);
  }
  latencies.sort((a, b) => a - b);
  return { p50: median(latencies), p99: quantileOfSorted(latencies, 0.99) };
}

/**
 * A contender measured once a round yields one figure, but a round trip gives two (p50, p99):
 * the round's latencies are taken once, by the p50 contender, and the p99 figure reads the same
 * round's p99, so both keys come from the same requests.
 */
interface LatencyPair {
  readonly p50: RunningContender;
  readonly p99: () => number[];
}

function latencyPair(label: string, requests: number, ask: () => Promise<RouteResponse>, stop: () => Promise<void>): LatencyPair {
  const p99s: number[] = [];
  return {
    p50: {
      label,
      unit: 'µs p50',
      async measure() {
        const { p50, p99 } = await roundTrips(requests, ask);
        p99s.push(p99);
        return p50;
      },
      stop,
    },
    p99: () => p99s,
  };
}

let sequence = 0;

/**
 * A query or its reply as the CloudEvent document Polis puts on the wire (captured from a Polis
 * round trip: same attributes, same order), with a fresh id, time and trace per message, as an
 * application speaking CloudEvents over nats.js directly would build it.
 */
function cloudEventJson(source: string, type: string, data: unknown, correlationid: string, causationid?: string): { id: string; json: string } {
  const id = `raw-${source}-${++sequence}`;
  const span = sequence.toString(16).padStart(16, '0');
  const json = JSON.stringify({
    specversion: '1.0',
    id,
    source,
    type,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    dataschema: `urn:polis:schema:${type}:1`,
    data,
    traceparent: `00-0123456789abcdef${span}-${span}-01`,
    correlationid: causationid === undefined ? id : correlationid,
    ...(causationid === undefined ? {} : { causationid }),
  });
  return { id, json };
}

/** Polis: a requesting plugin and an answering plugin, each in a kernel (and connection) of its own. */
async function polisRequests(url: string, requests: number): Promise<LatencyPair> {
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
  return latencyPair('polis', requests, () => ask!(), async () => {
    for (const kernel of kernels.reverse()) await kernel.stop();
  });
}

/**
 * nats.js: `nc.request` of the same CloudEvent JSON Polis sends to a subscription that parses it
 * and replies with the same CloudEvent reply document Polis' answering plugin sends, on two
 * connections; the requester parses the reply and reads its data.
 */
async function rawRequests(url: string, requests: number): Promise<LatencyPair> {
  const subject = `bench-${randomBytes(4).toString('hex')}.rpc.route`;
  const responder: NatsConnection = await connectRaw(url, 'raw-responder');
  responder.subscribe(subject, {
    callback: (error, msg) => {
      if (error) throw error;
      const request = msg.json<{ id: string; correlationid: string; data: RouteRequest }>();
      msg.respond(Buffer.from(cloudEventJson('router', 'traffic.route.find.reply', routeResponse, request.correlationid, request.id).json));
    },
  });
  await responder.flush();
  const requester: NatsConnection = await connectRaw(url, 'raw-requester');
  const ask = async () => {
    const request = cloudEventJson('dispatcher', 'traffic.route.find', routeRequest, '');
    return (await requester.request(subject, Buffer.from(request.json), { timeout: TIMEOUT_MS })).json<{ data: RouteResponse }>().data;
  };
  return latencyPair('raw nats.js, same CloudEvent JSON', requests, ask, async () => {
    await requester.close();
    await responder.close();
  });
}

/** Request/reply latency over NATS, one request at a time: ctx.request -> ctx.answer vs nc.request -> msg.respond. */
export const requestReplyScenario: Scenario = {
  name: 'request/reply',
  keys: ['request_p50_vs_raw', 'request_p99_vs_raw'],
  async run({ settings, nats }) {
    const requests = sized(settings, 3_000, 200);
    const stops: Array<() => Promise<void>> = [];
    try {
      const polis = await polisRequests(nats.url, requests);
      stops.push(polis.p50.stop);
      const raw = await rawRequests(nats.url, requests);
      stops.push(raw.p50.stop);
      const [p, r] = await alternate([polis.p50, raw.p50], settings);
      // alternate records the rounds after the warm-ups, so the p99s of the warm-ups are dropped the same way.
      const recorded = (all: number[]) => all.slice(all.length - settings.rounds);
      const notes = [`${requests.toLocaleString('en-US')} sequential requests a round (traffic.route.find); both sides send the same CloudEvent request and reply JSON; Polis validates the request and the reply`, nats.description];
      return [
        ratioResult({
          key: 'request_p50_vs_raw',
          title: 'request/reply over core NATS, one process, two connections: ctx.request -> answering plugin vs nc.request -> raw responder (p50 latency, lower is better)',
          numerator: p!,
          denominator: r!,
          target: { op: '<=', bound: 1.2 },
          notes,
        }),
        ratioResult({
          key: 'request_p99_vs_raw',
          title: 'request/reply over core NATS, as above (p99 latency, lower is better)',
          numerator: { label: 'polis', unit: 'µs p99', perRound: recorded(polis.p99()) },
          denominator: { label: r!.label, unit: 'µs p99', perRound: recorded(raw.p99()) },
          target: { op: '<=', bound: 1.5 },
          notes,
        }),
      ];
    } finally {
      for (const stop of stops.reverse()) await stop();
    }
  },
};
