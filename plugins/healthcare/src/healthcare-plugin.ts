import { ReadableIds, environment, health, safety, traffic } from '@polis/contracts';
import { definePlugin } from '@polis/plugin-api';
import type { HandlerScope } from '@polis/plugin-api';
import { AmbulanceDesk } from './ambulance-desk.js';
import type { HealthScope } from './ambulance-desk.js';
import { AmbulanceFleet } from './ambulance-fleet.js';
import { HealthcareConfigSchema } from './config.js';
import { HospitalBeds } from './hospital-beds.js';
import { RespiratoryReadiness } from './respiratory-readiness.js';
import type { ReadinessOutcome } from './respiratory-readiness.js';

/**
 * Healthcare: for every incident with casualties, the ambulance with the least route ETA and a
 * hospital with a free emergency bed, green corridors for both legs, and the hospital's capacity
 * kept current. Without traffic it keeps dispatching on straight-line ETAs.
 */
export const healthcarePlugin = definePlugin({
  name: 'healthcare',
  version: '1.0.0',
  kernel: '^1',
  description: 'Ambulance dispatch by route ETA, hospital choice by ETA and free emergency beds, corridors for both legs.',
  config: HealthcareConfigSchema,
  consumes: [
    safety.IncidentOpened,
    safety.IncidentUpdated,
    safety.IncidentClosed,
    health.CapacityUpdated,
    health.AmbulanceStatus,
    environment.AlertRaised,
    environment.AlertUpdated,
    environment.AlertCleared,
  ],
  publishes: [
    health.AmbulanceDispatched,
    health.AmbulanceOnScene,
    health.PatientArrived,
    health.CapacityUpdated,
    health.AmbulanceUnavailable,
    health.ReadinessChanged,
    traffic.CorridorRequested,
  ],
  requests: [traffic.RouteFind],
  setup(ctx) {
    const { config, clock, logger } = ctx;
    const fleet = new AmbulanceFleet(config.ambulances, ctx.name);
    const beds = new HospitalBeds(config.hospitals, ctx.name);
    const desk = new AmbulanceDesk({
      config,
      clock,
      logger,
      ids: new ReadableIds(clock),
      fleet,
      beds,
      continueFrom: (cause): HealthScope => ctx.scopeFor(cause),
    });

    ctx.on(safety.IncidentOpened, (event, scope) => desk.consider(event.data, scope));
    ctx.on(safety.IncidentUpdated, (event, scope) => desk.consider(event.data, scope));
    ctx.on(safety.IncidentClosed, (event) => desk.forget(event.data.incidentId));
    ctx.on(health.CapacityUpdated, (event) => {
      // Our own updates after an arrival come back here; only the hospitals' reports are news.
      if (event.source === ctx.name) return;
      const { hospitalId, emergencyBedsFree } = event.data;
      if (!beds.report(hospitalId, emergencyBedsFree)) logger.warn('capacity update for an unknown hospital ignored', { hospitalId });
    });
    ctx.on(health.AmbulanceStatus, (event) => {
      const { ambulanceId, position, available } = event.data;
      const outcome = fleet.applyStatus(ambulanceId, position, available);
      if (outcome === 'unknown') logger.warn('status for an unknown ambulance ignored', { ambulanceId });
      else if (outcome === 'position-only' && available) logger.debug('ambulance reports available during a mission; the mission decides', { ambulanceId });
    });

    // Air-quality alerts over a hospital set its respiratory readiness (see respiratory-readiness.ts).
    const readiness = new RespiratoryReadiness(config.hospitals, config.respiratoryReadiness);
    const announce = async (outcome: ReadinessOutcome, scope: Pick<HandlerScope<typeof health.ReadinessChanged, never>, 'publish'>) => {
      for (const change of outcome.changes) await scope.publish(health.ReadinessChanged, change, { subject: change.hospitalId });
      outcome.commit();
    };
    ctx.on(environment.AlertRaised, (event, scope) => announce(readiness.alerted(event.data), scope));
    ctx.on(environment.AlertUpdated, (event, scope) => announce(readiness.alerted(event.data), scope));
    ctx.on(environment.AlertCleared, (event, scope) => announce(readiness.cleared(event.data.alertId), scope));
  },
});
