import { traffic } from '@polis/contracts';
import { ErrorCodes, PolisError, definePlugin } from '@polis/plugin-api';
import type { CloudEvent, HandlerScope } from '@polis/plugin-api';
import { TrafficInputError } from './algorithms/errors.js';
import type { DetectorReading } from './algorithms/incident-detector.js';
import { TrafficConfig } from './config.js';
import { FIWARE_READING_PATHS, readingFromFiware } from './fiware-reading.js';
import { planCorridor, runCorridor } from './green-corridor.js';
import { LiveTraffic } from './live-traffic.js';
import { roadNetworkFromConfig } from './network-from-config.js';
import { findRoute, toRouteAnswer } from './route-finder.js';
import { SignalCoordinator } from './signal-coordinator.js';
import { travelTimeMatrix } from './travel-time-matrix.js';

/** Where in a `traffic.detector.reported` event each reading field comes from (JSON Pointers). */
const DETECTOR_READING_PATHS: Readonly<Record<keyof DetectorReading, string>> = {
  detectorId: '/detectorId',
  timeMs: '/observedAt',
  flowVph: '/flowVph',
  occupancyPct: '/occupancyPct',
  speedKph: '/speedKph',
};

type ReadingScope = HandlerScope<typeof traffic.ReadingRejected | typeof traffic.IncidentDetected, never>;

/**
 * The traffic plugin: ingests lane detector readings and FIWARE TrafficFlowObserved entities,
 * detects incidents, retimes signals by Webster's method each cycle, answers fastest-route
 * queries on live travel times and runs green corridors for emergency vehicles.
 */
export const trafficPlugin = definePlugin({
  name: 'traffic',
  version: '1.0.0',
  kernel: '^1',
  description: 'Road network, detector and FIWARE ingest, incident detection, adaptive signals, routing and green corridors.',
  config: TrafficConfig,
  consumes: [traffic.DetectorReported, traffic.TrafficFlowObserved, traffic.CorridorRequested],
  publishes: [
    traffic.ReadingRejected,
    traffic.IncidentDetected,
    traffic.SignalRetimed,
    traffic.CorridorPlanned,
    traffic.CorridorFailed,
    traffic.SignalPreempted,
    traffic.SignalRestored,
  ],
  answers: [traffic.RouteFind, traffic.TravelTimesFind],
  setup(ctx) {
    const { config } = ctx;
    const network = roadNetworkFromConfig(config.network, ctx.name);
    const fiwareDetectors = new Map(Object.entries(config.fiwareDetectors));
    const { cooldownS, ...incidentOptions } = config.incidentDetection;
    let live: LiveTraffic;
    let signals: SignalCoordinator;
    try {
      live = new LiveTraffic(network, { ...incidentOptions, cooldownMs: cooldownS * 1000 });
      signals = new SignalCoordinator(live, ctx.clock, config.signals, (intersection, plan) => {
        const data = {
          intersectionId: intersection.id,
          cycleS: plan.cycleS,
          greens: intersection.phases.map((phase, i) => ({ phaseId: phase.id, greenS: plan.greensS[i]! })),
          flowRatioSum: plan.flowRatioSum,
          overCapacity: plan.overCapacity,
        };
        return ctx.publish(traffic.SignalRetimed, data, { subject: intersection.id });
      });
    } catch (error) {
      // What the schema cannot check: option combinations such as a baseline shorter than its warm-up.
      if (error instanceof TrafficInputError) throw new PolisError(ErrorCodes.CONFIG_INVALID, `invalid configuration: ${error.message}`, { plugin: ctx.name, cause: error });
      throw error;
    }

    /** Applies a reading and publishes what came of it: a rejection, an incident, or nothing. */
    const ingest = async (reading: DetectorReading, source: CloudEvent, ref: string, paths: Readonly<Record<keyof DetectorReading, string>>, scope: ReadingScope) => {
      const outcome = live.ingest(reading);
      if (!outcome.accepted) {
        await scope.publish(traffic.ReadingRejected, { source: source.type, ref, path: paths[outcome.field], reason: outcome.reason });
        return;
      }
      const { incident } = outcome;
      if (incident === undefined) return;
      const { evidence } = incident;
      await scope.publish(
        traffic.IncidentDetected,
        {
          // The confirming reading's event id: unique, and it points at the evidence.
          detectionId: source.id,
          detectorId: evidence.detectorId,
          linkId: incident.linkId,
          position: incident.position,
          detectedAt: new Date(evidence.detectedAtMs).toISOString(),
          baselineSpeedKph: evidence.baselineSpeedKph,
          speedKph: evidence.speedKph,
          baselineOccupancyPct: evidence.baselineOccupancyPct,
          occupancyPct: evidence.occupancyPct,
        },
        { subject: incident.linkId },
      );
    };

    ctx.on(traffic.DetectorReported, async (event, scope) => {
      const { detectorId, observedAt, flowVph, occupancyPct, speedKph } = event.data;
      const reading = { detectorId, timeMs: Date.parse(observedAt), flowVph, occupancyPct, speedKph };
      await ingest(reading, event, detectorId, DETECTOR_READING_PATHS, scope);
    });

    ctx.on(traffic.TrafficFlowObserved, async (event, scope) => {
      const { entity } = event.data;
      const made = readingFromFiware(entity, (entityId) => fiwareDetectors.get(entityId));
      if (made.ok) await ingest(made.reading, event, entity.id, FIWARE_READING_PATHS, scope);
      else await scope.publish(traffic.ReadingRejected, { source: event.type, ref: entity.id, path: made.path, reason: made.reason });
    });

    ctx.answer(traffic.RouteFind, (request) => toRouteAnswer(findRoute(network, request.from, request.to, config.routing.maxSnapDistanceM)));
    ctx.answer(traffic.TravelTimesFind, (request) => travelTimeMatrix(network, request, config.routing.maxSnapDistanceM));

    ctx.on(traffic.CorridorRequested, async (event, scope) => {
      const { corridorId, vehicleId } = event.data;
      const outcome = planCorridor(event.data, network, (ids) => signals.statesNow(ids), ctx.clock.now(), { ...config.corridor, ...config.routing });
      if (!outcome.ok) {
        await scope.publish(traffic.CorridorFailed, { corridorId, vehicleId, reason: outcome.reason }, { subject: corridorId });
        return;
      }
      for (const approach of outcome.unserved) ctx.logger.warn(`corridor ${corridorId}: ${approach.reason}`, { corridorId, intersectionId: approach.intersectionId });
      await scope.publish(traffic.CorridorPlanned, outcome.planned, { subject: corridorId });
      // Published later, from timers: `causedBy` keeps them in the request's causal chain.
      runCorridor(corridorId, outcome.windows, signals, ctx.clock, {
        preempted: (data) => ctx.publish(traffic.SignalPreempted, data, { causedBy: event, subject: data.intersectionId }),
        restored: (data) => ctx.publish(traffic.SignalRestored, data, { causedBy: event, subject: data.intersectionId }),
      });
    });

    ctx.onStart(() => signals.start());
  },
});
