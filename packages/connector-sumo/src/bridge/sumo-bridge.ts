import { traffic } from '@polis/contracts';
import { definePlugin } from '@polis/plugin-api';
import type { PluginContext } from '@polis/plugin-api';
import type { PolisRoadNetwork, SumoNetworkMapping } from '../network/sumo-network.js';
import type { PhaseStates } from '../network/signal-states.js';
import { Command, Variable } from '../traci/constants.js';
import { asLoopPassages, asNumber, asString } from '../traci/traci-client.js';
import type { SubscriptionResult, TraciClient } from '../traci/traci-client.js';
import { DetectorAggregator } from './detector-aggregator.js';

/** Who runs SUMO's signals: `sumo-actuated-city` is SUMO's actuated control under the city's timing limits. */
export type SignalControl = 'polis' | 'sumo-fixed' | 'sumo-actuated' | 'sumo-actuated-city';

export interface SumoBridgeOptions {
  readonly client: TraciClient;
  readonly network: PolisRoadNetwork;
  readonly mapping: SumoNetworkMapping;
  /** Seconds per detector reading. */
  readonly readingIntervalS: number;
  /** Seconds between position reports of tracked (emergency) vehicles. */
  readonly vehicleReportIntervalS: number;
  readonly signalControl: SignalControl;
  /** Seconds between `traffic.detector.gaps` reports (each loop's seconds since it last saw a vehicle), for gap-out; none when unset. */
  readonly gapReportIntervalS?: number;
}

/** The bridge: a Polis plugin plus the hooks the simulation loop calls. */
export interface SumoBridge {
  /** Load it into the kernel beside the traffic plugin. */
  readonly plugin: ReturnType<typeof bridgePlugin>;
  /** Subscribes to every detector and switches the signals to their controller; call once the kernel runs. */
  start(): Promise<void>;
  /**
   * Applies the signal states Polis asked for, advances SUMO one step, and publishes what the
   * detectors and tracked vehicles reported at `timeMs` (the simulation time on Polis's clock).
   */
  step(timeMs: number): Promise<SubscriptionResult[]>;
  /** Reports this vehicle's position every report interval while it is in the simulation. */
  track(vehicleId: string): Promise<void>;
  /** Signal states applied so far (for diagnosis). */
  readonly appliedStates: () => number;
}

function bridgePlugin(onSetup: (ctx: PluginContext<never>) => void, onSignal: (intersectionId: string, phaseId: string, interval: string) => void) {
  return definePlugin({
    name: 'sumo-bridge',
    version: '1.0.0',
    kernel: '^1',
    description: "SUMO's detectors as Polis readings; the traffic plugin's signals shown in SUMO.",
    publishes: [traffic.DetectorReported, traffic.DetectorGaps, traffic.VehicleReported],
    consumes: [traffic.SignalChanged],
    setup(ctx) {
      onSetup(ctx as unknown as PluginContext<never>);
      ctx.on(traffic.SignalChanged, (event) => {
        onSignal(event.data.intersectionId, event.data.phaseId, event.data.interval);
      });
    },
  });
}

/**
 * Connects a running SUMO to a Polis kernel: every induction loop becomes a Polis detector
 * (`traffic.detector.reported` each reading interval), tracked vehicles report positions
 * (`traffic.vehicle.reported`, map-matched to their link), and under Polis control each
 * `traffic.signal.changed` sets that signal's SUMO state before the next step, so SUMO shows
 * exactly what the traffic plugin's controllers show.
 */
export function createSumoBridge(options: SumoBridgeOptions): SumoBridge {
  const { client, mapping, network } = options;
  const aggregators = new Map(mapping.detectors.map((placement) => [placement.loopId, new DetectorAggregator()]));
  const linkOfDetector = new Map(network.detectors.map((detector) => [detector.id, detector.link]));
  const links = new Map(network.links.map((link) => [link.id, link]));
  const nodes = new Map(network.nodes.map((node) => [node.id, node]));
  const signalsById = new Map(mapping.signals.map((signal) => [signal.intersectionId, signal]));
  const pending = new Map<string, string>();
  const tracked = new Set<string>();
  let context: PluginContext<never> | undefined;
  let applied = 0;
  let lastReadingMs = Number.NEGATIVE_INFINITY;
  let lastReportMs = Number.NEGATIVE_INFINITY;
  let lastGapsMs = Number.NEGATIVE_INFINITY;
  /** When each loop last had a vehicle over it (from the first step on, so a gap is never infinite). */
  const lastSeenMs = new Map<string, number>();

  const plugin = bridgePlugin(
    (ctx) => {
      context = ctx;
    },
    (intersectionId, phaseId, interval) => {
      const signal = signalsById.get(intersectionId);
      const states = signal === undefined ? undefined : statesOf(signal.phases, phaseId);
      if (states === undefined) return;
      pending.set(intersectionId, interval === 'green' ? states.green : interval === 'yellow' ? states.yellow : states.allRed);
    },
  );

  const publish = async (type: typeof traffic.DetectorReported | typeof traffic.DetectorGaps | typeof traffic.VehicleReported, data: unknown) => {
    if (context === undefined) throw new Error('the SUMO bridge plugin is not loaded in a kernel');
    await (context.publish as (definition: unknown, data: unknown) => Promise<unknown>)(type, data);
  };

  return {
    plugin,
    appliedStates: () => applied,
    async start() {
      for (const placement of mapping.detectors) {
        await client.subscribe('induction-loop', placement.loopId, [Variable.LAST_STEP_VEHICLE_DATA, Variable.LAST_STEP_OCCUPANCY]);
      }
      // SUMO makes the last program loaded for a signal the running one: choose explicitly.
      const program = { 'sumo-actuated': 'actuated', 'sumo-actuated-city': 'actuated-city', 'sumo-fixed': '0', polis: '0' }[options.signalControl];
      for (const signal of mapping.signals) await client.setSignalProgram(signal.tlsId, program);
    },
    async track(vehicleId) {
      tracked.add(vehicleId);
      await client.subscribe('vehicle', vehicleId, [Variable.ROAD_ID, Variable.LANE_POSITION, Variable.SPEED]);
    },
    async step(timeMs) {
      if (options.signalControl === 'polis' && pending.size > 0) {
        const commands = [...pending].map(([tlsId, state]) => ({
          setCommand: Command.SET_TRAFFIC_LIGHT,
          variable: Variable.TL_RED_YELLOW_GREEN_STATE,
          objectId: tlsId,
          value: (w: import('../traci/codec.js').TraciWriter) => w.typedString(state),
        }));
        pending.clear();
        applied += commands.length;
        await client.setMany(commands);
      }
      const results = await client.step();
      const vehicles = new Map<string, SubscriptionResult>();
      for (const result of results) {
        const aggregator = aggregators.get(result.objectId);
        if (aggregator !== undefined && result.responseId === Command.SUBSCRIBE_INDUCTION_LOOP + 0x10) {
          const passages = asLoopPassages(result.values.get(Variable.LAST_STEP_VEHICLE_DATA)!);
          aggregator.add(passages, asNumber(result.values.get(Variable.LAST_STEP_OCCUPANCY)!));
          if (passages.length > 0 || !lastSeenMs.has(result.objectId)) lastSeenMs.set(result.objectId, timeMs);
        } else if (result.responseId === Command.SUBSCRIBE_VEHICLE + 0x10) vehicles.set(result.objectId, result);
      }
      if (timeMs - lastReadingMs >= options.readingIntervalS * 1000) {
        lastReadingMs = timeMs;
        const observedAt = new Date(timeMs).toISOString();
        await Promise.all(
          [...aggregators].map(([detectorId, aggregator]) => {
            const aggregate = aggregator.take(options.readingIntervalS);
            const link = links.get(linkOfDetector.get(detectorId)!)!;
            // No vehicle passed: standing over the loop means stopped, an empty loop means a free road.
            const speedKph = aggregate.speedKph ?? (aggregate.occupancyPct > 0 ? 0 : link.freeFlowSpeedKph);
            return publish(traffic.DetectorReported, {
              detectorId,
              observedAt,
              intervalS: options.readingIntervalS,
              flowVph: Math.min(10_000, round(aggregate.flowVph)),
              occupancyPct: round(aggregate.occupancyPct),
              speedKph: Math.min(300, round(speedKph)),
            });
          }),
        );
      }
      if (options.gapReportIntervalS !== undefined && timeMs - lastGapsMs >= options.gapReportIntervalS * 1000) {
        lastGapsMs = timeMs;
        const gaps = [...lastSeenMs].map(([detectorId, seenMs]) => ({ detectorId, gapS: (timeMs - seenMs) / 1000 }));
        await publish(traffic.DetectorGaps, { observedAt: new Date(timeMs).toISOString(), gaps });
      }
      if (tracked.size > 0 && timeMs - lastReportMs >= options.vehicleReportIntervalS * 1000) {
        lastReportMs = timeMs;
        for (const vehicleId of tracked) {
          const result = vehicles.get(vehicleId);
          if (result === undefined || result.values.size === 0) {
            tracked.delete(vehicleId);
            continue;
          }
          const roadId = asString(result.values.get(Variable.ROAD_ID)!);
          const link = links.get(roadId);
          // On a junction's internal lane: no link to report; the next report will have one.
          if (link === undefined) continue;
          const offsetM = Math.max(0, Math.min(link.lengthM, asNumber(result.values.get(Variable.LANE_POSITION)!)));
          const from = nodes.get(link.from)!;
          const to = nodes.get(link.to)!;
          const share = offsetM / link.lengthM;
          await publish(traffic.VehicleReported, {
            vehicleId,
            observedAt: new Date(timeMs).toISOString(),
            position: { lat: from.lat + (to.lat - from.lat) * share, lon: from.lon + (to.lon - from.lon) * share },
            speedKph: Math.min(300, round(Math.max(0, asNumber(result.values.get(Variable.SPEED)!)) * 3.6)),
            linkId: link.id,
            offsetM,
          });
        }
      }
      return results;
    },
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * A phase's state strings; for a phase the traffic plugin merged from compatible ones
 * (`NS+EW`, its `signals.mergeCompatiblePhases`), every part's green at once.
 */
export function statesOf(phases: Readonly<Record<string, PhaseStates>>, phaseId: string): PhaseStates | undefined {
  if (phases[phaseId] !== undefined) return phases[phaseId];
  const parts = phaseId.split('+').map((id) => phases[id]);
  if (parts.length < 2 || parts.some((part) => part === undefined)) return undefined;
  const union = (pick: (states: PhaseStates) => string) =>
    [...pick(parts[0]!)].map((_, i) => parts.map((part) => pick(part!)[i]!).find((char) => char !== 'r') ?? 'r').join('');
  return { green: union((states) => states.green), yellow: union((states) => states.yellow), allRed: parts[0]!.allRed };
}
