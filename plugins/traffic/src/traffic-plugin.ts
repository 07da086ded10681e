import { citizen, environment, traffic } from '@polis/contracts';
import { ErrorCodes, PolisError, definePlugin } from '@polis/plugin-api';
import type { CloudEvent, HandlerScope } from '@polis/plugin-api';
import { AirQualityGating } from './air-quality-gating.js';
import type { GatingOutcome } from './air-quality-gating.js';
import { TrafficInputError } from './algorithms/errors.js';
import type { DetectorReading } from './algorithms/incident-detector.js';
import { TrafficConfig } from './config.js';
import { FIWARE_READING_PATHS, readingFromFiware } from './fiware-reading.js';
import { GapOut } from './gap-out.js';
import { CorridorRunner, planCorridor } from './green-corridor.js';
import { LiveTraffic } from './live-traffic.js';
import { roadNetworkFromConfig } from './network-from-config.js';
import { answerWorkOrder, signalRepairSteps } from './signal-work-orders.js';
import { findRoute, toRouteAnswer } from './route-finder.js';
import { emergencyLinkTimeS, emergencyRouteOptions, trafficRouteOptions } from './routing-costs.js';
import { SignalCoordinator } from './signal-coordinator.js';
import { travelTimeMatrix } from './travel-time-matrix.js';

/** Where in a `traffic.detector.reported` event each reading field comes from (JSON Pointers). */
const DETECTOR_READING_PATHS: Readonly<Record<keyof DetectorReading, string>> = {
  detectorId: '/detectorId',
  timeMs: '/observedAt',
  flowVph: '/flowVph',
  occupancyPct: '/occupancyPct',
  speedKph: '/speedKph',
  intervalS: '/intervalS',
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
  consumes: [
    traffic.DetectorReported,
    traffic.DetectorGaps,
    traffic.TrafficFlowObserved,
    traffic.CorridorRequested,
    traffic.VehicleReported,
    environment.AlertRaised,
    environment.AlertUpdated,
    environment.AlertCleared,
    citizen.CaseRouted,
  ],
  publishes: [
    traffic.ReadingRejected,
    traffic.IncidentDetected,
    traffic.SignalRetimed,
    traffic.CorridorPlanned,
    traffic.CorridorFailed,
    traffic.SignalPreempted,
    traffic.SignalRestored,
    traffic.SignalChanged,
    traffic.CorridorArbitrated,
    traffic.InflowGated,
    traffic.InflowReleased,
    citizen.CaseProgressed,
  ],
  answers: [traffic.RouteFind, traffic.TravelTimesFind],
  setup(ctx) {
    const { config } = ctx;
    const { smoothingTimeConstantS, maxReadingAgeS, announceIntervals, mergeCompatiblePhases, gapOutS, ...signalOptions } = config.signals;
    const network = roadNetworkFromConfig(config.network, ctx.name, { mergePhases: mergeCompatiblePhases });
    const fiwareDetectors = new Map(Object.entries(config.fiwareDetectors));
    const { cooldownS, maxGapS, stationPair, ...incidentOptions } = config.incidentDetection;
    let live: LiveTraffic;
    let signals: SignalCoordinator;
    try {
      live = new LiveTraffic(
        network,
        { ...incidentOptions, cooldownMs: cooldownS * 1000, maxGapMs: maxGapS * 1000 },
        { smoothingTimeConstantMs: smoothingTimeConstantS * 1000, maxReadingAgeMs: maxReadingAgeS * 1000 },
        { ...stationPair, cooldownMs: cooldownS * 1000, maxGapMs: maxGapS * 1000 },
      );
      signals = new SignalCoordinator(live, ctx.clock, signalOptions, {
        retimed: (intersection, plan) => {
          const data = {
            intersectionId: intersection.id,
            cycleS: plan.cycleS,
            greens: intersection.phases.map((phase, i) => ({ phaseId: phase.id, greenS: plan.greensS[i]! })),
            flowRatioSum: plan.flowRatioSum,
            overCapacity: plan.overCapacity,
          };
          return ctx.publish(traffic.SignalRetimed, data, { subject: intersection.id });
        },
        changed: announceIntervals
          ? (intersection, change) =>
              ctx.publish(
                traffic.SignalChanged,
                {
                  intersectionId: intersection.id,
                  phaseId: change.phaseId,
                  interval: change.interval,
                  at: new Date(change.startMs).toISOString(),
                  until: new Date(change.endMs).toISOString(),
                  ...(change.corridorId === undefined ? {} : { corridorId: change.corridorId }),
                },
                { subject: intersection.id },
              )
          : undefined,
      });
    } catch (error) {
      // What the schema cannot check: option combinations such as a baseline shorter than its warm-up.
      if (error instanceof TrafficInputError) throw new PolisError(ErrorCodes.CONFIG_INVALID, `invalid configuration: ${error.message}`, { plugin: ctx.name, cause: error });
      throw error;
    }
    const { emergencySpeed, ...corridorOptions } = config.corridor;
    const corridorRouting = () => emergencyRouteOptions(network, ctx.clock.now(), config.routing, emergencySpeed);
    const corridors = new CorridorRunner(network, signals, ctx.clock, { ...corridorOptions, maxSnapDistanceM: config.routing.maxSnapDistanceM }, (linkId) =>
      emergencyLinkTimeS(network, network.link(linkId)!, ctx.clock.now(), config.routing.maxSpeedAgeS * 1000, emergencySpeed),
    );

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
      const { detectorId, observedAt, flowVph, occupancyPct, speedKph, intervalS } = event.data;
      const reading = { detectorId, timeMs: Date.parse(observedAt), flowVph, occupancyPct, speedKph, intervalS };
      await ingest(reading, event, detectorId, DETECTOR_READING_PATHS, scope);
    });

    // Gap-out (signals.gapOutS): a green whose every lane shows a gap ends early, after its min green.
    const gapOut = gapOutS === undefined ? undefined : new GapOut(network, gapOutS);
    ctx.on(traffic.DetectorGaps, (event) => {
      if (gapOut === undefined) return;
      const gaps = new Map(event.data.gaps.map((gap) => [gap.detectorId, gap.gapS]));
      for (const intersection of network.intersections) {
        const [state] = signals.statesNow([intersection.id]);
        const phaseIndex = intersection.phases.findIndex((phase) => phase.id === state!.phaseId);
        if (state!.interval === 'green' && gapOut.gapped(intersection.id, phaseIndex, gaps)) signals.gapOut(intersection.id);
      }
    });

    ctx.on(traffic.TrafficFlowObserved, async (event, scope) => {
      const { entity } = event.data;
      const made = readingFromFiware(entity, (entityId) => fiwareDetectors.get(entityId));
      if (made.ok) await ingest(made.reading, event, entity.id, FIWARE_READING_PATHS, scope);
      else await scope.publish(traffic.ReadingRejected, { source: event.type, ref: entity.id, path: made.path, reason: made.reason });
    });

    ctx.answer(traffic.RouteFind, (request) => {
      const costs = trafficRouteOptions(network, ctx.clock.now(), config.routing, (intersectionId, linkId) => signals.expectedDelayS(intersectionId, linkId));
      return toRouteAnswer(findRoute(network, request.from, request.to, config.routing.maxSnapDistanceM, costs));
    });
    ctx.answer(traffic.TravelTimesFind, (request) => travelTimeMatrix(network, request, config.routing.maxSnapDistanceM));

    ctx.on(traffic.CorridorRequested, async (event, scope) => {
      const { corridorId, vehicleId } = event.data;
      const outcome = planCorridor(event.data, network, (ids) => signals.statesNow(ids), ctx.clock.now(), { ...corridorOptions, maxSnapDistanceM: config.routing.maxSnapDistanceM }, corridorRouting());
      if (!outcome.ok) {
        await scope.publish(traffic.CorridorFailed, { corridorId, vehicleId, reason: outcome.reason }, { subject: corridorId });
        return;
      }
      for (const approach of outcome.unserved) ctx.logger.warn(`corridor ${corridorId}: ${approach.reason}`, { corridorId, intersectionId: approach.intersectionId });
      await scope.publish(traffic.CorridorPlanned, outcome.planned, { subject: corridorId });
      // Published later, from timers: `causedBy` keeps them in the request's causal chain.
      corridors.start(corridorId, vehicleId, outcome.route, outcome.windows, {
        preempted: (data) => ctx.publish(traffic.SignalPreempted, data, { causedBy: event, subject: data.intersectionId }),
        restored: (data) => ctx.publish(traffic.SignalRestored, data, { causedBy: event, subject: data.intersectionId }),
        arbitrated: (data) => ctx.publish(traffic.CorridorArbitrated, data, { causedBy: event, subject: data.intersectionId }),
      });
    });

    // Closed loop: every position report replans the vehicle's corridors from where it is.
    ctx.on(traffic.VehicleReported, async (event) => {
      const { vehicleId, position, linkId, offsetM } = event.data;
      await corridors.vehicleReported(vehicleId, position, linkId, offsetM);
    });

    // Air-quality alerts gate the inflow at their area's boundary signals (see air-quality-gating.ts).
    const gating = new AirQualityGating(network, config.airQualityGating);
    const applyGating = async (outcome: GatingOutcome, scope: Pick<HandlerScope<typeof traffic.InflowGated | typeof traffic.InflowReleased, never>, 'publish'>) => {
      if (outcome.released) await scope.publish(traffic.InflowReleased, outcome.released, { subject: outcome.released.alertId });
      if (outcome.gated) await scope.publish(traffic.InflowGated, outcome.gated, { subject: outcome.gated.alertId });
      outcome.commit();
      for (const [intersectionId, gate] of outcome.gates) signals.setGate(intersectionId, gate);
    };
    ctx.on(environment.AlertRaised, (event, scope) => applyGating(gating.alerted(event.data), scope));
    ctx.on(environment.AlertUpdated, (event, scope) => applyGating(gating.alerted(event.data), scope));
    ctx.on(environment.AlertCleared, (event, scope) => applyGating(gating.cleared(event.data.alertId), scope));

    // Work orders for broken signals (see signal-work-orders.ts).
    const repairs: object[] = [];
    ctx.on(citizen.CaseRouted, async (event, scope) => {
      if (event.data.department !== 'traffic') return;
      const steps = signalRepairSteps(network, event.data, config.workOrders);
      repairs.push(...(await answerWorkOrder(steps, event, ctx.clock, (progress, cause) => (cause ? ctx.scopeFor(cause) : scope).publish(citizen.CaseProgressed, progress, { subject: progress.caseId }))));
    });
    ctx.onStop(() => repairs.forEach((timer) => ctx.clock.clearTimer(timer)));

    ctx.onStart(() => signals.start());
  },
});
