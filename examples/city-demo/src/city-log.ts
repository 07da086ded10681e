import { energy, health, safety, traffic } from '@polis/contracts';
import { EventDeadLettered, definePlugin } from '@polis/plugin-api';
import type { CloudEvent, EventData, EventDefinition } from '@polis/plugin-api';
import { emptyAirQualityCounts, narrateAirQuality } from './air-quality-narration.js';
import { WasteNarration } from './waste-narration.js';
import { CitizenNarration } from './citizen-narration.js';
import { ChargingLog } from './charging-log.js';

type DataOf<E extends EventDefinition> = EventData<E>;

/**
 * The operator's view of the demo: one readable line per step of each emergency chain
 * (incident -> dispatch -> corridor -> arrival), timed from the moment the incident opened, the
 * air-quality chain (alert -> hospital readiness, inflow gating), and a summary when the city stops. It only listens, like any other plugin.
 */
export default definePlugin({
  name: 'city-log',
  version: '1.0.0',
  kernel: '^1',
  description: 'Narrates emergency chains and prints a summary on stop.',
  consumes: ['>'],
  setup(ctx) {
    const startedAt = performance.now();
    const counts = { events: 0, incidents: 0, dispatches: 0, corridors: 0, preemptions: 0, arrivals: 0, deadLetters: 0, sessions: 0, curtailments: 0 };
    const charging = new ChargingLog();
    const openedAt = new Map<string, number>();
    const incidentOfCorridor = new Map<string, string>();
    const air = emptyAirQualityCounts();
    const alertRaisedAt = new Map<string, number>();
    const wasteLog = new WasteNarration(ctx.logger);
    const citizens = new CitizenNarration(ctx.logger);

    const since = (incidentId: string | undefined, event: CloudEvent) => {
      const start = incidentId === undefined ? undefined : openedAt.get(incidentId);
      return start === undefined ? '' : ` (+${Math.round((Date.parse(event.time) - start) / 1000)} s)`;
    };
    const is = <E extends EventDefinition>(event: CloudEvent, definition: E): event is CloudEvent<DataOf<E>> => event.type === definition.type;

    ctx.on('>', (event) => {
      counts.events++;
      if (narrateAirQuality(event, ctx.logger, air, alertRaisedAt)) return;
      if (wasteLog.narrate(event)) return;
      if (citizens.narrate(event)) return;
      if (is(event, traffic.IncidentDetected)) {
        const d = event.data;
        ctx.logger.info(`DETECTED   traffic sees a queue on ${d.linkId}: ${d.speedKph} km/h vs ${d.baselineSpeedKph} usual, occupancy ${d.occupancyPct}% vs ${d.baselineOccupancyPct}%`);
      } else if (is(event, safety.IncidentOpened)) {
        counts.incidents++;
        openedAt.set(event.data.incidentId, Date.parse(event.time));
        const d = event.data;
        ctx.logger.info(`INCIDENT   ${d.incidentId} opened: ${d.kind}, severity ${d.severity}, ${d.casualties} injured`);
      } else if (is(event, safety.IncidentUpdated)) {
        const d = event.data;
        ctx.logger.info(`INCIDENT   ${d.incidentId} updated by report ${d.mergedReportId}: severity ${d.severity}, ${d.casualties} injured${since(d.incidentId, event)}`);
      } else if (is(event, safety.UnitDispatched)) {
        counts.dispatches++;
        const d = event.data;
        if (d.corridorId) incidentOfCorridor.set(d.corridorId, d.incidentId);
        ctx.logger.info(`DISPATCH   ${d.unitKind} unit ${d.unitId} -> ${d.incidentId}, ETA ${Math.round(d.etaS)} s${since(d.incidentId, event)}`);
      } else if (is(event, health.AmbulanceDispatched)) {
        counts.dispatches++;
        const d = event.data;
        if (d.corridorId) incidentOfCorridor.set(d.corridorId, d.incidentId);
        ctx.logger.info(`DISPATCH   ambulance ${d.ambulanceId} -> ${d.incidentId}, ETA ${Math.round(d.sceneEtaS)} s, then ${d.hospitalId} in ${Math.round(d.hospitalEtaS)} s${since(d.incidentId, event)}`);
      } else if (is(event, traffic.CorridorRequested)) {
        if (event.data.incidentId) incidentOfCorridor.set(event.data.corridorId, event.data.incidentId);
      } else if (is(event, traffic.CorridorPlanned)) {
        counts.corridors++;
        const d = event.data;
        ctx.logger.info(`CORRIDOR   ${d.corridorId} for ${d.vehicleId}: ${d.signals.length} signals over ${(d.lengthM / 1000).toFixed(1)} km, ${Math.round(d.travelTimeS)} s${since(incidentOfCorridor.get(d.corridorId), event)}`);
      } else if (is(event, traffic.SignalPreempted)) {
        counts.preemptions++;
        ctx.logger.debug(`PREEMPT    ${event.data.intersectionId} holds ${event.data.phaseId} for ${event.data.corridorId}`);
      } else if (is(event, traffic.CorridorFailed)) {
        ctx.logger.warn(`CORRIDOR   ${event.data.corridorId} failed: ${event.data.reason}`);
      } else if (is(event, safety.UnitOnScene)) {
        ctx.logger.info(`ON SCENE   ${event.data.unitId} at ${event.data.incidentId}${since(event.data.incidentId, event)}`);
      } else if (is(event, health.AmbulanceOnScene)) {
        ctx.logger.info(`ON SCENE   ambulance ${event.data.ambulanceId} at ${event.data.incidentId}, leaving for ${event.data.hospitalId}${since(event.data.incidentId, event)}`);
      } else if (is(event, health.PatientArrived)) {
        counts.arrivals++;
        const d = event.data;
        ctx.logger.info(`ARRIVAL    ambulance ${d.ambulanceId} delivered the patient of ${d.incidentId} to ${d.hospitalId}${since(d.incidentId, event)}`);
      } else if (is(event, safety.DispatchUnavailable) || is(event, health.AmbulanceUnavailable)) {
        ctx.logger.warn(`NO UNIT    for ${(event.data as { incidentId: string }).incidentId}: ${(event.data as { reason: string }).reason}`);
      } else if (is(event, safety.IncidentClosed)) {
        ctx.logger.info(`CLOSED     ${event.data.incidentId}: ${event.data.reason}${since(event.data.incidentId, event)}`);
      } else if (event.type.startsWith('energy.')) {
        const line = charging.narrate(event, (incidentId) => since(incidentId, event));
        if (is(event, energy.SessionStarted)) counts.sessions++;
        if (is(event, energy.DemandResponseReported) && event.data.status === 'curtailed') counts.curtailments++;
        if (line) ctx.logger.info(line);
      } else if (is(event, EventDeadLettered)) {
        counts.deadLetters++;
        ctx.logger.error(`DEAD LETTER for ${event.data.plugin}: ${event.data.reason}`);
      }
    });

    ctx.onStop(() => {
      const seconds = (performance.now() - startedAt) / 1000;
      ctx.logger.info(
        `SUMMARY    ${seconds.toFixed(1)} s, ${counts.events} events (${Math.round(counts.events / seconds)}/s), ` +
          `${counts.incidents} incidents, ${counts.dispatches} dispatches, ${counts.corridors} corridors, ` +
          `${counts.preemptions} pre-emptions, ${counts.arrivals} hospital arrivals, ` +
          `${air.aqiUpdates} AQI updates, ${air.airAlerts} air-quality alerts, ${air.readinessChanges} hospital readiness changes, ${air.gatedSignals} gated signals, ` +
          `${wasteLog.summary()}, ${counts.sessions} charging sessions, ${counts.curtailments} curtailments, ${charging.peakLine()}, ` +
          `${counts.deadLetters} dead letters, ${citizens.summary()}`,
      );
    });
  },
});
