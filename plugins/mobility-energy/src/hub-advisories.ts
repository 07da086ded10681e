import { haversineM } from '@polis/contracts';
import type { LatLon, energy } from '@polis/contracts';
import type { CloudEvent, EventData } from '@polis/plugin-api';
import type { ChargingNetwork, Hub } from './charging-network.js';
import type { Vehicle } from './fleet.js';
import type { SessionBook } from './session-book.js';

type Detection = EventData<typeof energy.HubDisrupted>;
type Warning = EventData<typeof energy.VehicleWarned>;

interface Disruption {
  readonly data: Detection;
  readonly untilMs: number;
  /** The incident it comes from: warnings are published under its causal chain. */
  readonly cause: CloudEvent;
  readonly warned: Set<string>;
}

export interface AdvisoryOptions {
  readonly radiusM: number;
  readonly durationMs: number;
}

/**
 * Warns vehicles driving to a charging hub that a traffic incident is near it: every hub within
 * `radiusM` of an incident is disrupted for `durationMs`; each vehicle heading there (by its
 * latest report, or a report that comes later) is warned once, with the nearest undisturbed hub
 * that has a free connector.
 */
export class HubAdvisories {
  private readonly disruptions = new Map<string, Disruption>();

  constructor(
    private readonly network: ChargingNetwork,
    private readonly sessions: SessionBook,
    private readonly options: AdvisoryOptions,
  ) {}

  /** A traffic incident: the hubs it disrupts, and the warnings to the vehicles already on their way. */
  incident(incident: { detectionId: string; linkId: string; position: LatLon }, cause: CloudEvent, vehicles: Iterable<Vehicle>, nowMs: number): { disrupted: Detection[]; warnings: Warning[] } {
    const disrupted: Detection[] = [];
    for (const hub of this.network.hubs.values()) {
      const distanceM = haversineM(hub.position, incident.position);
      if (distanceM > this.options.radiusM) continue;
      const untilMs = nowMs + this.options.durationMs;
      const data: Detection = { hubId: hub.id, detectionId: incident.detectionId, linkId: incident.linkId, position: incident.position, distanceM: Math.round(distanceM), until: new Date(untilMs).toISOString() };
      this.disruptions.set(hub.id, { data, untilMs, cause, warned: new Set() });
      disrupted.push(data);
    }
    const warnings = [...vehicles].flatMap((vehicle) => {
      const warning = this.warningFor(vehicle, nowMs);
      return warning === undefined ? [] : [warning.warning];
    });
    return { disrupted, warnings };
  }

  /** A vehicle reported heading to a hub: a warning if the hub is disrupted and it was not warned yet. */
  warningFor(vehicle: Vehicle, nowMs: number): { warning: Warning; cause: CloudEvent } | undefined {
    const hubId = vehicle.headingToHubId;
    if (hubId === undefined) return undefined;
    const disruption = this.disruptions.get(hubId);
    if (disruption === undefined) return undefined;
    if (nowMs >= disruption.untilMs) {
      this.disruptions.delete(hubId);
      return undefined;
    }
    if (disruption.warned.has(vehicle.id)) return undefined;
    disruption.warned.add(vehicle.id);
    const hub = this.network.hubs.get(hubId)!;
    const alternative = this.alternativeTo(hub, vehicle.position ?? hub.position, nowMs);
    return {
      cause: disruption.cause,
      warning: {
        vehicleId: vehicle.id,
        hubId,
        detectionId: disruption.data.detectionId,
        reason: `traffic incident on ${disruption.data.linkId}, ${disruption.data.distanceM} m from ${hub.name}`,
        alternativeHubId: alternative?.id,
        at: new Date(nowMs).toISOString(),
      },
    };
  }

  /** The nearest hub to `from` that is not disrupted and has a connector free. */
  private alternativeTo(hub: Hub, from: LatLon, nowMs: number): Hub | undefined {
    let best: { hub: Hub; distanceM: number } | undefined;
    for (const candidate of this.network.hubs.values()) {
      if (candidate.id === hub.id) continue;
      const disruption = this.disruptions.get(candidate.id);
      if (disruption !== undefined && nowMs < disruption.untilMs) continue;
      if (this.freeConnectors(candidate) <= 0) continue;
      const distanceM = haversineM(from, candidate.position);
      if (best === undefined || distanceM < best.distanceM) best = { hub: candidate, distanceM };
    }
    return best?.hub;
  }

  private freeConnectors(hub: Hub): number {
    let connectors = 0;
    for (const id of hub.chargerIds) connectors += this.network.chargers.get(id)!.connectors;
    let busy = 0;
    for (const session of this.sessions.active()) if (session.hubId === hub.id) busy++;
    const free = connectors - busy;
    // What the station itself last said, when FIWARE data came in.
    return hub.metadata?.availableCapacity === undefined ? free : Math.min(free, hub.metadata.availableCapacity);
  }
}
