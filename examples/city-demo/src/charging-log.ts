import { energy } from '@polis/contracts';
import type { CloudEvent, EventData, EventDefinition } from '@polis/plugin-api';

const is = <E extends EventDefinition>(event: CloudEvent, definition: E): event is CloudEvent<EventData<E>> => event.type === definition.type;
const kw = (value: number) => `${value.toFixed(1)} kW`;

/**
 * The charging part of the operator's view: the central system, ambulances lifted to the
 * emergency class, hubs near traffic incidents, the depot's plan, and a grid event's curtailment
 * and recovery; and the highest feeder load against its limit, for the summary.
 */
export class ChargingLog {
  private peak: { feederId: string; kw: number; limitKw: number } | undefined;
  private readonly incidentOfVehicle = new Map<string, string>();
  private depotSummary = '';

  /** A line for the log, or undefined for an event not worth one. */
  narrate(event: CloudEvent, since: (incidentId: string | undefined) => string): string | undefined {
    if (is(event, energy.CentralSystemOpened)) return `CHARGING   OCPP 1.6-J central system at ${event.data.url}/<chargePointId>`;
    if (is(event, energy.AllocationChanged)) return this.load(event.data.feederId, event.data.allocatedKw, event.data.limitKw);
    if (is(event, energy.FeederLoaded)) return this.load(event.data.feederId, event.data.allocatedKw, event.data.limitKw);
    if (is(event, energy.VehiclePrioritized)) {
      if (event.data.incidentId) this.incidentOfVehicle.set(event.data.vehicleId, event.data.incidentId);
      return undefined;
    }
    if (is(event, energy.SessionPrioritized)) {
      const incidentId = this.incidentOfVehicle.get(event.data.vehicleId);
      return `PRIORITY   ${event.data.vehicleId} back from ${incidentId ?? 'a mission'} charges as ${event.data.class} (was ${event.data.previousClass})${since(incidentId)}`;
    }
    if (is(event, energy.HubDisrupted)) return `DISRUPTED  ${event.data.hubId}: traffic incident on ${event.data.linkId}, ${event.data.distanceM} m away; arriving vehicles are warned`;
    if (is(event, energy.VehicleWarned)) {
      const d = event.data;
      return `WARNING    ${d.vehicleId} heading to ${d.hubId}: ${d.reason}${d.alternativeHubId ? `; try ${d.alternativeHubId}` : ''}`;
    }
    if (is(event, energy.DepotSchedulePlanned)) return this.depot(event.data);
    if (is(event, energy.DemandResponseRequested)) {
      const d = event.data;
      return `GRID       ${d.eventName ?? d.eventId}: shed ${kw(d.reductionKw)} in ${[...(d.targets.zones ?? []), ...(d.targets.feederIds ?? [])].join(', ')} for ${d.intervalPeriod.duration}`;
    }
    if (is(event, energy.DemandResponseReported)) {
      const d = event.data;
      if (d.status === 'restored') return `RESTORE    ${d.eventId}: capacity back in full after the ramp, load ${kw(d.loadKw)} on ${d.feederIds.join(', ')}`;
      const byClass = Object.entries(d.curtailedByClass)
        .filter(([, value]) => value > 0)
        .map(([cls, value]) => `${cls} ${value.toFixed(1)}`)
        .join(', ');
      return `CURTAIL    ${d.eventId}: ${kw(d.achievedKw)} of ${kw(d.requestedKw)} shed within one cycle (${byClass || 'nothing to shed'}), load ${kw(d.baselineKw)} -> ${kw(d.loadKw)}, emergency need kept ${kw(d.protectedEmergencyKw)}`;
    }
    return undefined;
  }

  /** `peak feeder load 118.4 of 120 kW (F-CIVIC)`: the feeder closest to its limit. */
  peakLine(): string {
    const peak = this.peak;
    return peak === undefined ? 'no feeder load' : `peak feeder load ${peak.kw.toFixed(1)} of ${peak.limitKw} kW (${peak.feederId})`;
  }

  private load(feederId: string, allocatedKw: number, limitKw: number): undefined {
    const peak = this.peak;
    if (limitKw > 0 && (peak === undefined || allocatedKw / limitKw > peak.kw / peak.limitKw)) this.peak = { feederId, kw: allocatedKw, limitKw };
    return undefined;
  }

  /** Said once, and again when the plan's outcome changes. */
  private depot(d: EventData<typeof energy.DepotSchedulePlanned>): string | undefined {
    const departures = d.buses.flatMap((bus) => bus.departures);
    const missed = departures.filter((departure) => !departure.met);
    const outcome = missed.length === 0 ? `all ${departures.length} departures met` : `${missed.length} of ${departures.length} departures short (${missed.map((m) => m.blockId).join(', ')})`;
    const summary = `DEPOT      ${d.depotId}: ${d.buses.length} buses, ${outcome}, ${d.cost.toFixed(2)} ${d.currency} for the day ahead, peak ${kw(d.peakKw)} of ${d.limitKw} kW`;
    const key = `${outcome}`;
    if (key === this.depotSummary) return undefined;
    this.depotSummary = key;
    return summary;
  }
}
