import { NatsTransport } from '@polis/bus-nats';
import { health, safety, traffic } from '@polis/contracts';
import { Kernel, MemoryTransport, createLogger } from '@polis/kernel';
import type { Transport } from '@polis/kernel/transport';
import { definePlugin } from '@polis/plugin-api';
import { FakeClock } from '@polis/testkit';
import { randomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CRASH_SITE, demoCityPlugins } from '../../e2e/demo-city.js';
import { alternate } from '../measure.js';
import type { Contender, Figure } from '../measure.js';
import { ratioResult } from '../result.js';
import type { BenchKey, Result } from '../result.js';
import type { Scenario, ScenarioContext } from '../scenario.js';
import { sized } from '../settings.js';
import { median, quantileOfSorted } from '../stats.js';

/** Time the clock moves between staged incidents: the last ambulance has long delivered its patient and is free again. */
const BETWEEN_INCIDENTS_MS = 30 * 60_000;
const CHAIN_TIMEOUT_MS = 10_000;

/** Detector readings of a normal flow on the demo grid's links: routine telemetry that triggers nothing. */
function routineReading(detectorId: string, nowMs: number) {
  return { detectorId, observedAt: new Date(nowMs).toISOString(), intervalS: 30, flowVph: 600, occupancyPct: 8, speedKph: 45 };
}

/** A stream of chain latencies: every staged incident, from its report's publish to the last pre-emption of its corridor's signals. */
interface ChainRig {
  /** Stages `incidents` incidents one after the other and returns each chain's latency in ms. */
  chains(incidents: number): Promise<number[]>;
  stop(): Promise<void>;
}

async function chainRig(transport: () => Transport, routinePerSecond: number): Promise<ChainRig> {
  const clock = new FakeClock();
  let waiting: { corridorId?: string; plannedAt?: number; lastWindowMs?: number; onPlanned?: () => void; done: () => void; doneAt?: number } | undefined;
  let publishReport: ((at: number, n: number) => Promise<unknown>) | undefined;
  let publishRoutine: (() => unknown) | undefined;
  let reportBedsFree: ((at: number) => Promise<void>) | undefined;
  /** Hospitals that admitted the last chain's patient, with the free beds healthcare reported after. */
  const occupied = new Map<string, number>();
  const detectors = ['d-n10-n11-1', 'd-n11-n12-1', 'd-n01-n11-1', 'd-n11-n21-1'];
  let routineSent = 0;
  const preempted = new Map<string, number>();
  const planned = new Map<string, { signals: number; lastWindowMs: number }>();
  const settle = () => {
    if (waiting?.corridorId === undefined) return;
    const signals = planned.get(waiting.corridorId)?.signals;
    if (signals !== undefined && (preempted.get(waiting.corridorId) ?? 0) >= signals && waiting.doneAt === undefined) {
      waiting.doneAt = performance.now();
      waiting.done();
    }
  };
  const stage = definePlugin({
    name: 'bench-stage',
    version: '1.0.0',
    kernel: '^1',
    publishes: [safety.ReportReceived, traffic.DetectorReported, health.CapacityUpdated],
    consumes: [health.AmbulanceDispatched, traffic.CorridorPlanned, traffic.SignalPreempted, health.CapacityUpdated],
    setup(ctx) {
      // Each delivered patient takes an emergency bed (the demo's three hospitals have 12): in the
      // half hour before the next incident the hospital has moved the patient on and reports the
      // bed free again, as hospitals do (health.capacity.updated), or the 13th incident finds none.
      ctx.on(health.CapacityUpdated, (event) => {
        if (event.source === 'healthcare') occupied.set(event.data.hospitalId, event.data.emergencyBedsFree);
      });
      reportBedsFree = async (at) => {
        for (const [hospitalId, free] of occupied) await ctx.publish(health.CapacityUpdated, { hospitalId, emergencyBedsFree: free + 1, updatedAt: new Date(at).toISOString() });
        occupied.clear();
      };
      publishReport = (at, n) =>
        ctx.publish(safety.ReportReceived, { reportId: `bench-call-${n}`, kind: 'collision', position: CRASH_SITE, reportedAt: new Date(at).toISOString(), casualties: 2, description: 'two cars, driver trapped', channel: 'call' });
      publishRoutine = () => ctx.publish(traffic.DetectorReported, routineReading(detectors[routineSent++ % detectors.length]!, clock.now()));
      // Each plugin has its own mailbox, so a corridor's pre-emptions may reach this plugin before
      // the corridor's plan does: both are counted per corridor, and the chain ends when they agree.
      // The ambulance's dispatch names its corridor to the scene; other corridors (a police car's) are not the chain's end.
      ctx.on(health.AmbulanceDispatched, (event) => {
        const corridorId = event.data.corridorId;
        if (waiting === undefined || corridorId === undefined) return;
        waiting.corridorId = corridorId;
        const plan = planned.get(corridorId);
        if (plan !== undefined) {
          waiting.plannedAt = performance.now();
          waiting.lastWindowMs = plan.lastWindowMs;
          waiting.onPlanned?.();
        }
        settle();
      });
      ctx.on(traffic.CorridorPlanned, (event) => {
        const plan = { signals: event.data.signals.length, lastWindowMs: Math.max(0, ...event.data.signals.map((signal) => Date.parse(signal.windowStart))) };
        planned.set(event.data.corridorId, plan);
        if (event.data.corridorId === waiting?.corridorId) {
          waiting.plannedAt = performance.now();
          waiting.lastWindowMs = plan.lastWindowMs;
          waiting.onPlanned?.();
        }
        settle();
      });
      ctx.on(traffic.SignalPreempted, (event) => {
        const count = (preempted.get(event.data.corridorId) ?? 0) + 1;
        preempted.set(event.data.corridorId, count);
        settle();
      });
    },
  });
  const kernel = new Kernel({ transport: transport(), clock, logger: createLogger({ level: 'warn' }) });
  const report = await kernel.start([...(await demoCityPlugins()), stage]);
  if (report.failed.length > 0) throw new Error(`the demo city failed to start: ${report.failed.map((e) => e.message).join('; ')}`);

  // Routine telemetry, paced by the wall clock in 10 ms slices, for as long as the rig runs.
  let running = true;
  const routine = (async () => {
    if (routinePerSecond <= 0) return;
    const began = performance.now();
    let sent = 0;
    while (running) {
      const due = Math.floor(((performance.now() - began) / 1000) * routinePerSecond);
      for (; sent < due; sent++) void publishRoutine!();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();

  let n = 0;
  return {
    async chains(incidents) {
      const latencies: number[] = [];
      for (let i = 0; i < incidents; i++) {
        await clock.advance(BETWEEN_INCIDENTS_MS);
        await nextTurn();
        await reportBedsFree!(clock.now());
        const finished = new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`incident ${n}: no complete pre-emption of the ambulance's corridor ${waiting?.corridorId ?? '(no dispatch seen)'} within ${CHAIN_TIMEOUT_MS} ms (planned ${JSON.stringify([...planned])}, pre-empted ${JSON.stringify([...preempted])})`)), CHAIN_TIMEOUT_MS);
          waiting = {
            done: () => {
              clearTimeout(timer);
              resolve();
            },
          };
        });
        const plannedSeen = new Promise<void>((resolve) => (waiting!.onPlanned = resolve));
        // Part one, wall time: the report's publish to the ambulance corridor's plan reaching this plugin.
        const began = performance.now();
        await publishReport!(clock.now(), ++n);
        await Promise.race([plannedSeen, finished]);
        const w = waiting!;
        const toPlan = w.plannedAt! - began;
        // The plan pre-empts each signal when the ambulance nears it, in the city's time: that wait
        // is the plan, not the system's latency. The clock is moved (untimed) to just before the
        // last signal's window, then part two, wall time: from that window's opening to the last
        // pre-emption reaching this plugin.
        if (w.doneAt === undefined) await clock.advance(Math.max(0, w.lastWindowMs! - clock.now() - 1));
        const windowOpened = performance.now();
        while (w.doneAt === undefined) {
          if (performance.now() - began > CHAIN_TIMEOUT_MS) break;
          await clock.advance(1);
          await nextTurn();
        }
        await finished;
        latencies.push(toPlan + Math.max(0, w.doneAt! - windowOpened));
        waiting = undefined;
        preempted.clear();
        planned.clear();
      }
      return latencies;
    },
    async stop() {
      running = false;
      await routine;
      await kernel.stop();
    },
  };
}

/** The demo's routine telemetry rate (readings/s the demo's simulated detectors send), and the loaded rate of the issue. */
const DEMO_ROUTINE_PER_S = 10;
const LOADED_ROUTINE_PER_S = 10_000;

/** p50 and p99 of the chains staged in each round, on one rig. */
async function measureChains(label: string, rig: ChainRig, incidents: number, settings: ScenarioContext['settings']): Promise<{ p50: Figure; p99: Figure }> {
  const p99s: number[] = [];
  const contender: Contender = {
    label,
    unit: 'ms p50',
    async measure() {
      const latencies = (await rig.chains(incidents)).sort((a, b) => a - b);
      p99s.push(quantileOfSorted(latencies, 0.99));
      return median(latencies);
    },
  };
  const [p50] = await alternate([contender], settings);
  return { p50: p50!, p99: { label, unit: 'ms p99', perRound: p99s.slice(p99s.length - settings.rounds) } };
}

const only = (key: BenchKey, title: string, figure: Figure, target: Result['target'], notes: string[]): Result => ({ key, title, figures: [figure], perRound: figure.perRound, target, notes });

/**
 * The emergency chain of the demo city (traffic, public-safety, healthcare with city.yaml's
 * configuration): a crash report -> incident -> ambulance dispatch -> corridor -> the last signal
 * pre-emption of the ambulance's corridor, on memory and on NATS, with routine telemetry at the
 * demo's rate, and on memory again under 10,000 routine events/s.
 */
export const emergencyChainScenario: Scenario = {
  name: 'emergency chain',
  keys: ['chain_p50_ms_memory', 'chain_p99_ms_memory', 'chain_p50_ms_nats', 'chain_p99_ms_nats', 'chain_p99_loaded_ratio'],
  async run({ settings, nats }) {
    const incidents = sized(settings, 10, 1);
    const notes = [
      `${incidents} staged incidents a round, each ${BETWEEN_INCIDENTS_MS / 60_000} city minutes after the last (FakeClock); latency = wall time from the report's publish to the ambulance corridor's plan, plus wall time from the opening of the corridor's last pre-emption window (the clock moved there untimed: the ambulance's drive is the plan, not latency) to the last pre-emption's delivery`,
      'the chain starts at a crash report (safety.report.received): a detector-only incident opens an incident but dispatches no ambulance in the demo',
    ];
    const run = async (label: string, transport: () => Transport, routine: number) => {
      const rig = await chainRig(transport, routine);
      try {
        return await measureChains(label, rig, incidents, settings);
      } finally {
        await rig.stop();
      }
    };
    const memory = await run(`memory, ${DEMO_ROUTINE_PER_S} routine/s`, () => new MemoryTransport(), DEMO_ROUTINE_PER_S);
    const prefix = `bench-chain-${randomBytes(4).toString('hex')}`;
    const onNats = await run(`nats, ${DEMO_ROUTINE_PER_S} routine/s`, () => new NatsTransport({ servers: nats.url, prefix }), DEMO_ROUTINE_PER_S);
    const loaded = await run(`memory, ${LOADED_ROUTINE_PER_S.toLocaleString('en-US')} routine/s`, () => new MemoryTransport(), LOADED_ROUTINE_PER_S);
    return [
      only('chain_p50_ms_memory', 'emergency chain, memory transport: report -> last pre-emption of the ambulance corridor (p50)', memory.p50, undefined, notes),
      only('chain_p99_ms_memory', 'emergency chain, memory transport (p99)', memory.p99, { op: '<', bound: 5 }, notes),
      only('chain_p50_ms_nats', 'emergency chain, NATS transport with JetStream (p50)', onNats.p50, undefined, [...notes, nats.description]),
      only('chain_p99_ms_nats', 'emergency chain, NATS transport with JetStream (p99)', onNats.p99, { op: '<', bound: 20 }, [...notes, nats.description]),
      ratioResult({
        key: 'chain_p99_loaded_ratio',
        title: `emergency chain p99 on memory with ${LOADED_ROUTINE_PER_S.toLocaleString('en-US')} routine events/s vs with ${DEMO_ROUTINE_PER_S}/s`,
        numerator: loaded.p99,
        denominator: memory.p99,
        target: { op: '<=', bound: 2 },
        notes: [...notes, 'the two rigs run one after the other, not alternating round by round'],
      }),
    ];
  },
};
