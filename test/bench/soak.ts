// `pnpm bench:soak [--duration <s>] [--rate <events/s>]`: JetStream at a steady rate for a long
// time (default 10,000 events/s for 600 s), reporting end-to-end latency (publish call to the
// durable consumer's handler) per minute and overall, and live heap growth after a full GC from
// the end of the first tenth of the run to its end, both taken while events flow. Issue #15's targets: p99 < 50 ms, heap flat
// within 10 %. A soak is a long test, not a comparison: it is not part of `pnpm bench`.
import { NatsTransport } from '@polis/bus-nats';
import { traffic } from '@polis/contracts';
import { definePlugin } from '@polis/plugin-api';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startKernel } from './bench-kernel.js';
import { assertPackagesBuilt } from './built-packages.js';
import { describeMachine } from './machine.js';
import { startNatsSite } from './nats-site.js';
import { detectorReading } from './payload.js';
import { quantileOfSorted } from './stats.js';

const USAGE = 'usage: pnpm bench:soak [--duration <seconds>] [--rate <events per second>]';
/** The publisher's tick: every tick publishes the events due since the last one. */
const TICK_MS = 10;
/** Publishes awaiting their stream ack at most; beyond it the publisher falls behind, which the report says. */
const MAX_IN_FLIGHT = 4_096;

function option(args: readonly string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const text = args[at + 1];
  if (text === undefined || !/^[1-9][0-9]*$/.test(text)) throw new Error(`${name} needs a positive whole number; ${USAGE}`);
  return Number(text);
}

function liveHeapMb(): number {
  gc!();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

async function soak(durationS: number, rate: number): Promise<number> {
  console.log(`Polis soak, ${new Date().toISOString()}: JetStream, ${rate.toLocaleString('en-US')} events/s for ${durationS} s`);
  console.log(`machine: ${describeMachine()}`);
  const nats = await startNatsSite();
  console.log(`nats: ${nats.description}`);
  const sentAt = new Map<string, number>();
  let latencies: number[] = [];
  const all: number[] = [];
  let handled = 0;
  let publish: ((detectorId: string) => Promise<unknown>) | undefined;
  const plugins = [
    definePlugin({ name: 'soak-gateway', version: '1.0.0', kernel: '^1', publishes: [traffic.DetectorReported], setup: (ctx) => void (publish = (detectorId) => ctx.publish(traffic.DetectorReported, { ...detectorReading, detectorId })) }),
    definePlugin({
      name: 'soak-consumer',
      version: '1.0.0',
      kernel: '^1',
      consumes: [traffic.DetectorReported],
      setup(ctx) {
        ctx.on(traffic.DetectorReported, (event) => {
          const at = sentAt.get(event.data.detectorId);
          if (at === undefined) return;
          sentAt.delete(event.data.detectorId);
          latencies.push(performance.now() - at);
          handled++;
        });
      },
    }),
  ];
  const transport = new NatsTransport({ servers: nats.url, prefix: `soak-${randomBytes(4).toString('hex')}`, publishRate: () => false, jetstream: {} });
  const kernel = await startKernel(plugins, transport);
  let sent = 0;
  let inFlight = 0;
  let failed = 0;
  const began = performance.now();
  const endAt = began + durationS * 1000;
  let minuteEnds = began + 60_000;
  let heapAtTenthMb: number | undefined;
  let heapAtEndMb = Number.NaN;
  const minuteLines: string[] = [];
  const closeMinute = (label: string) => {
    latencies.sort((a, b) => a - b);
    // Not push(...latencies): a minute holds more values than a call's arguments may.
    for (const latency of latencies) all.push(latency);
    const line = `${label}: ${latencies.length.toLocaleString('en-US')} handled, p50 ${quantileOfSorted(latencies, 0.5).toFixed(1)} ms, p99 ${quantileOfSorted(latencies, 0.99).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`;
    minuteLines.push(line);
    console.log(line);
    latencies = [];
  };
  try {
    for (let now = performance.now(); now < endAt; now = performance.now()) {
      const due = Math.floor(((now - began) / 1000) * rate);
      while (sent < due && inFlight < MAX_IN_FLIGHT) {
        const id = `soak-${++sent}`;
        sentAt.set(id, performance.now());
        inFlight++;
        publish!(id).then(
          () => inFlight--,
          () => {
            inFlight--;
            failed++;
          },
        );
      }
      if (heapAtTenthMb === undefined && now - began >= (durationS * 1000) / 10) heapAtTenthMb = liveHeapMb();
      if (now >= minuteEnds) {
        closeMinute(`minute ${Math.round((minuteEnds - began) / 60_000)}`);
        minuteEnds += 60_000;
      }
      await sleep(TICK_MS);
    }
    // Taken while the events still flow, as the first sample was: the same state, a run apart.
    heapAtEndMb = liveHeapMb();
    // Let the backlog drain; give up only when nothing has been handled for 10 s.
    let progressAt = performance.now();
    for (let seen = handled; handled < sent - failed && performance.now() - progressAt < 10_000; await sleep(50)) {
      if (handled !== seen) [seen, progressAt] = [handled, performance.now()];
    }
    if (latencies.length > 0) closeMinute('last part');
  } finally {
    await kernel.stop();
    await nats.stop();
  }
  all.sort((a, b) => a - b);
  const seconds = (performance.now() - began) / 1000;
  const growthPct = heapAtTenthMb === undefined ? Number.NaN : ((heapAtEndMb - heapAtTenthMb) / heapAtTenthMb) * 100;
  console.log(`\nsent ${sent.toLocaleString('en-US')} (${Math.round(sent / durationS).toLocaleString('en-US')}/s, asked ${rate.toLocaleString('en-US')}/s), handled ${handled.toLocaleString('en-US')} (${(sent - failed - handled).toLocaleString('en-US')} never, after 10 s without progress), publishes failed ${failed}, ${seconds.toFixed(0)} s in all with the drain`);
  console.log(`latency publish -> handler: p50 ${quantileOfSorted(all, 0.5).toFixed(1)} ms, p99 ${quantileOfSorted(all, 0.99).toFixed(1)} ms (target < 50), max ${all.at(-1)?.toFixed(1)} ms`);
  console.log(`live heap after a full GC, events flowing: ${heapAtTenthMb?.toFixed(1)} MB at ${(durationS / 10).toFixed(0)} s, ${heapAtEndMb.toFixed(1)} MB at ${durationS} s: ${growthPct >= 0 ? '+' : ''}${growthPct.toFixed(1)} % (target within 10 %)`);
  // Events unaccounted for are a failure; missed targets are reported, as in the bench.
  return handled === sent && failed === 0 ? 0 : 1;
}

const args = process.argv.slice(2);
let durationS: number;
let rate: number;
try {
  const unknown = args.filter((arg, i) => !['--duration', '--rate'].includes(arg) && !['--duration', '--rate'].includes(args[i - 1] ?? ''));
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(' ')}; ${USAGE}`);
  durationS = option(args, '--duration', 600);
  rate = option(args, '--rate', 10_000);
  assertPackagesBuilt();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
soak(durationS, rate).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
