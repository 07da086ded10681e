import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { PromMetricsService, startGateway } from '@polis/http';
import type { Gateway } from '@polis/http';
import type { Kernel } from '@polis/kernel';
import { startKernel } from '../bench-kernel.js';
import { counterPlugin } from '../bench-plugins.js';
import { alternate } from '../measure.js';
import type { RunningContender } from '../measure.js';
import { detectorReading } from '../payload.js';
import { ratioResult } from '../result.js';
import type { Scenario } from '../scenario.js';
import { sized } from '../settings.js';
import { STALL_MS } from '../throughput.js';
import { Tally } from '../tally.js';

const TOKEN = 'bench-field-gateway-token-0123456789';
const CONNECTIONS = 16;
const LOAD = fileURLToPath(new URL('../load/autocannon-run.mjs', import.meta.url));

/** The CloudEvent every request carries (autocannon adds a fresh id to each). */
const EVENT = { specversion: '1.0', source: 'urn:bench:field-gateway', type: 'traffic.detector.reported', data: detectorReading };
const HEADERS = { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${TOKEN}` };

interface Load {
  readonly durationS: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

/** Runs the load generator against `url` and returns what it measured. */
function load(url: string, durationS: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [LOAD, JSON.stringify({ url, durationS, connections: CONNECTIONS, headers: HEADERS, body: EVENT })], { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`the load generator failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as Load);
    });
  });
}

/**
 * Events accepted per second of the server's CPU time. The server (this process) and the load
 * generator share two cores with whatever else runs: wall-clock requests per second then
 * measure the scheduler more than the server (runs of the same contender differed fivefold
 * under a load average of 15). CPU time is what serving costs, whoever else runs.
 */
function acceptedPerCpuSecond(what: string, result: Load, cpu: NodeJS.CpuUsage): number {
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${what}: ${result.non2xx} non-2xx replies, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return result.ok / ((cpu.user + cpu.system) / 1e6);
}

/** Polis: POST /events through the gateway, each event validated and published to a counting plugin. */
async function polisGateway(durationS: number): Promise<RunningContender> {
  const tally = new Tally();
  const kernel: Kernel = await startKernel([counterPlugin('counter', tally)]);
  const gateway: Gateway = await startGateway({
    kernel,
    port: 0,
    sources: [{ name: 'field-gateway', token: TOKEN, publishes: ['traffic.detector.reported'], consumes: [], requests: [] }],
    metrics: new PromMetricsService({ processMetrics: false }),
  });
  return {
    label: 'polis gateway',
    unit: 'events/cpu-s',
    measure: async () => {
      const before = tally.count;
      const cpu = process.cpuUsage();
      const result = await load(`${gateway.url}/events`, durationS);
      await tally.reach(before + result.ok, 'polis gateway', STALL_MS);
      const used = process.cpuUsage(cpu);
      // Requests still in flight when the generator stops are handled but not counted by it.
      if (tally.count - before > result.ok + CONNECTIONS) throw new Error(`polis gateway: ${tally.count - before} events handled for ${result.ok} accepted`);
      tally.assertIntact('polis gateway');
      return acceptedPerCpuSecond('polis gateway', result, used);
    },
    stop: async () => {
      await gateway.stop();
      await kernel.stop();
    },
  };
}

/** express 5 alone: a route that parses the same JSON body and answers 202, with no validation, no bus. */
async function bareExpress(durationS: number): Promise<RunningContender> {
  const app = express();
  let parsed = 0;
  app.post('/events', express.json({ type: 'application/cloudevents+json', limit: '1mb' }), (req, res) => {
    parsed++;
    res.status(202).json({ id: (req.body as { id: string }).id });
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    label: 'express 5 route',
    unit: 'events/cpu-s',
    measure: async () => {
      const before = parsed;
      const cpu = process.cpuUsage();
      const result = await load(`http://127.0.0.1:${port}/events`, durationS);
      const used = process.cpuUsage(cpu);
      if (parsed - before < result.ok) throw new Error('express: fewer bodies parsed than replies');
      return acceptedPerCpuSecond('express', result, used);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * HTTP ingest: events accepted per second by `POST /events` (structured-mode CloudEvents, each
 * authenticated, checked against the CloudEvents spec, validated against its schema and
 * published to a plugin), against a bare express 5 route that parses the same JSON body.
 */
export const httpIngestScenario: Scenario = {
  name: 'http ingest',
  keys: ['http_ingest_vs_express'],
  async run({ settings }) {
    const durationS = sized(settings, 3, 1);
    const running: RunningContender[] = [];
    try {
      running.push(await polisGateway(durationS), await bareExpress(durationS));
      const [polis, bare] = await alternate(running, settings);
      return [
        ratioResult({
          key: 'http_ingest_vs_express',
          title: 'POST /events -> validated, published, handled by a plugin, vs a bare express 5 route parsing the same JSON (events per second of server CPU)',
          numerator: polis!,
          denominator: bare!,
          target: { op: '>=', bound: 0.7 },
          notes: [
            `autocannon in a second process over loopback, ${CONNECTIONS} connections, no pipelining, ${durationS} s a measurement; every request a fresh CloudEvent id`,
            'per second of the server process CPU time (user + system), not of wall time: see acceptedPerCpuSecond',
          ],
        }),
      ];
    } finally {
      for (const contender of running.reverse()) await contender.stop();
    }
  },
};
