import type { ReadableIds } from '@polis/contracts';
import { health, traffic } from '@polis/contracts';
import type { LatLon } from '@polis/contracts';
import type { Clock, CloudEvent, HandlerScope, Logger } from '@polis/plugin-api';
import type { Ambulance, AmbulanceFleet } from './ambulance-fleet.js';
import type { HealthcareConfig } from './config.js';
import type { Hospital, HospitalBeds } from './hospital-beds.js';

/** Everything healthcare publishes. */
export type HealthPublishes =
  | typeof health.AmbulanceDispatched
  | typeof health.AmbulanceOnScene
  | typeof health.PatientArrived
  | typeof health.CapacityUpdated
  | typeof health.AmbulanceUnavailable
  | typeof traffic.CorridorRequested;

/** Publishing and routing on behalf of one causal chain. */
export type HealthScope = HandlerScope<HealthPublishes, typeof traffic.RouteFind>;

/** What healthcare needs to know of an incident (from `safety.incident.opened` or `.updated`). */
export interface IncidentNeed {
  readonly incidentId: string;
  readonly position: LatLon;
  readonly casualties: number;
}

/** One ambulance's trip: to the scene, then to the hospital. */
interface Mission {
  readonly incidentId: string;
  readonly ambulance: Ambulance;
  readonly hospital: Hospital;
  readonly scene: LatLon;
  readonly dispatchedAtMs: number;
  readonly sceneEtaS: number;
  readonly hospitalEtaS: number;
  readonly corridorToScene: string;
  readonly corridorToHospital: string;
}

/** What the ambulance desk works with; the plugin's setup builds it. */
export interface AmbulanceDeskOptions {
  readonly config: HealthcareConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly ids: ReadableIds;
  readonly fleet: AmbulanceFleet;
  readonly beds: HospitalBeds;
  /** `ctx.scopeFor`: a scope continuing the chain of `cause`, for work a timer resumes after the handler returned. */
  readonly continueFrom: (cause: CloudEvent) => HealthScope;
}

/**
 * Ambulance dispatch: for an incident with casualties, the ambulance with the least ETA to the
 * scene and the hospital with the least ETA from it among those with a spare emergency bed;
 * then the mission's timeline (scene, hospital, handover) on the plugin's clock.
 */
export class AmbulanceDesk {
  /** Incidents with an ambulance sent, or being chosen. */
  private readonly served = new Set<string>();

  constructor(private readonly options: AmbulanceDeskOptions) {}

  /** Sends an ambulance if the incident has casualties and none is on its way yet. */
  async consider(need: IncidentNeed, scope: HealthScope): Promise<void> {
    if (need.casualties === 0 || this.served.has(need.incidentId)) return;
    // Claimed before the first await, so an update arriving meanwhile sends no second ambulance;
    // released if none could be sent, so the next update tries again.
    this.served.add(need.incidentId);
    let sent = false;
    try {
      sent = await this.dispatch(need, scope);
    } finally {
      if (!sent) this.served.delete(need.incidentId);
    }
  }

  /** The incident is closed: no later update about it can arrive. */
  forget(incidentId: string): void {
    this.served.delete(incidentId);
  }

  private async dispatch(need: IncidentNeed, scope: HealthScope): Promise<boolean> {
    const { config, fleet, beds, logger, ids, clock } = this.options;
    const ambulances = fleet.available();
    if (ambulances.length === 0) return this.unavailable(need, 'no ambulance is available', scope);
    const hospitals = beds.withCapacity();
    if (hospitals.length === 0) return this.unavailable(need, 'no hospital has a free emergency bed', scope);

    const eta = {
      findRoute: (leg: traffic.RouteLeg) => scope.request(traffic.RouteFind, leg, { timeoutMs: config.routeTimeoutMs }),
      fallbackSpeedKph: config.fallbackSpeedKph,
      maxCandidates: config.routeCandidates,
      logger,
    };
    const [toScene, toHospital] = await Promise.all([
      traffic.rankByEta(ambulances, (ambulance) => ({ from: ambulance.position, to: need.position }), eta),
      traffic.rankByEta(hospitals, (hospital) => ({ from: need.position, to: hospital.position }), {
        ...eta,
        tieBreak: (a, b) => beds.spare(b) - beds.spare(a),
      }),
    ]);
    // Other incidents may have taken an ambulance or a bed while the routes were computed.
    const ambulanceEta = toScene.reachable.find((candidate) => fleet.isAvailable(candidate.candidate.id));
    if (!ambulanceEta) {
      const reason =
        toScene.reachable.length === 0
          ? `no available ambulance can reach the scene (${toScene.unreachable} without a route)`
          : 'every ambulance that can reach the scene was sent elsewhere meanwhile';
      return this.unavailable(need, reason, scope);
    }
    const hospitalEta = toHospital.reachable.find((candidate) => beds.spare(candidate.candidate) > 0);
    if (!hospitalEta) {
      const reason =
        toHospital.reachable.length === 0
          ? `no hospital with a free emergency bed can be reached from the scene (${toHospital.unreachable} without a route)`
          : 'every reachable hospital filled up meanwhile';
      return this.unavailable(need, reason, scope);
    }

    const ambulance = ambulanceEta.candidate;
    const hospital = hospitalEta.candidate;
    const corridor = ids.next(`COR-${ambulance.id}`);
    const mission: Mission = {
      incidentId: need.incidentId,
      ambulance,
      hospital,
      scene: need.position,
      dispatchedAtMs: clock.now(),
      sceneEtaS: roundTenth(ambulanceEta.etaS),
      hospitalEtaS: roundTenth(hospitalEta.etaS),
      corridorToScene: `${corridor}-scene`,
      corridorToHospital: `${corridor}-hospital`,
    };
    const from = ambulance.position;
    fleet.assign(ambulance, need.incidentId);
    beds.reserve(hospital);
    logger.debug('ambulance dispatched', {
      incidentId: need.incidentId,
      ambulanceId: ambulance.id,
      hospital: hospital.name,
      sceneEtaS: mission.sceneEtaS,
      hospitalEtaS: mission.hospitalEtaS,
      estimated: ambulanceEta.estimated || hospitalEta.estimated,
    });
    // The kernel sends what this handler publishes only once it succeeded, so nothing is undone here.
    const dispatched = await scope.publish(
      health.AmbulanceDispatched,
      {
        incidentId: need.incidentId,
        ambulanceId: ambulance.id,
        hospitalId: hospital.id,
        sceneEtaS: mission.sceneEtaS,
        hospitalEtaS: mission.hospitalEtaS,
        corridorId: mission.corridorToScene,
      },
      { subject: need.incidentId },
    );
    clock.setTimeout(() => this.leaveScene(mission, dispatched), (mission.sceneEtaS + config.sceneS) * 1000);
    await scope.publish(
      traffic.CorridorRequested,
      { corridorId: mission.corridorToScene, vehicleId: ambulance.id, vehicleKind: 'ambulance', incidentId: need.incidentId, from, to: need.position },
      { subject: need.incidentId },
    );
    return true;
  }

  /** Scene time is over: `onscene` (with the time it arrived) and the corridor to the hospital. */
  private async leaveScene(mission: Mission, dispatched: CloudEvent): Promise<void> {
    const { fleet, clock } = this.options;
    const { ambulance, hospital, incidentId } = mission;
    fleet.moveTo(ambulance, mission.scene);
    const onScene = await this.options.continueFrom(dispatched).publish(
      health.AmbulanceOnScene,
      {
        incidentId,
        ambulanceId: ambulance.id,
        arrivedAt: new Date(mission.dispatchedAtMs + mission.sceneEtaS * 1000).toISOString(),
        hospitalId: hospital.id,
        corridorId: mission.corridorToHospital,
      },
      { subject: incidentId },
    );
    clock.setTimeout(() => this.deliver(mission, onScene), mission.hospitalEtaS * 1000);
    await this.options.continueFrom(onScene).publish(
      traffic.CorridorRequested,
      {
        corridorId: mission.corridorToHospital,
        vehicleId: ambulance.id,
        vehicleKind: 'ambulance',
        incidentId,
        from: mission.scene,
        to: hospital.position,
      },
      { subject: incidentId },
    );
  }

  /** At the hospital: the patient is in, a bed fewer; after the handover the ambulance is free there. */
  private async deliver(mission: Mission, onScene: CloudEvent): Promise<void> {
    const { fleet, beds, clock, logger, config } = this.options;
    const { ambulance, hospital, incidentId } = mission;
    fleet.moveTo(ambulance, hospital.position);
    const free = beds.admit(hospital);
    clock.setTimeout(() => {
      fleet.release(ambulance);
      logger.debug('ambulance available', { ambulanceId: ambulance.id, at: hospital.name });
    }, config.handoverS * 1000);
    const now = this.now();
    logger.debug('patient arrived', { incidentId, ambulanceId: ambulance.id, hospital: hospital.name, emergencyBedsFree: free });
    const arrived = await this.options.continueFrom(onScene).publish(
      health.PatientArrived,
      { incidentId, ambulanceId: ambulance.id, hospitalId: hospital.id, arrivedAt: now },
      { subject: incidentId },
    );
    await this.options.continueFrom(arrived).publish(
      health.CapacityUpdated,
      { hospitalId: hospital.id, emergencyBedsFree: free, updatedAt: now },
      { subject: hospital.id },
    );
  }

  private async unavailable(need: IncidentNeed, reason: string, scope: HealthScope): Promise<false> {
    this.options.logger.warn('no ambulance dispatched', { incidentId: need.incidentId, reason });
    await scope.publish(health.AmbulanceUnavailable, { incidentId: need.incidentId, reason }, { subject: need.incidentId });
    return false;
  }

  private now(): string {
    return new Date(this.options.clock.now()).toISOString();
  }
}

/** ETAs to a tenth of a second: finer is noise, and it keeps event data readable. */
function roundTenth(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}
