import type { LatLon, energy } from '@polis/contracts';
import type { CloudEvent, EventData } from '@polis/plugin-api';
import type { MobilityEnergyConfig } from './config.js';

/** A vehicle that charges here: its class, its battery, and what its telematics last said. */
export interface Vehicle {
  readonly id: string;
  readonly class: energy.PriorityClass;
  /** Whether it was configured; unknown vehicles that report in charge as private cars. */
  readonly known: boolean;
  batteryKwh: number | undefined;
  readonly maxChargeKw: number | undefined;
  socPct: number | undefined;
  /** When it must leave, and with how much charge, if it said so. */
  departAtMs: number | undefined;
  targetSocPct: number | undefined;
  position: LatLon | undefined;
  headingToHubId: string | undefined;
}

/** A vehicle's next charging lifted to the emergency class (an ambulance back from a mission). */
export interface Lift {
  readonly vehicleId: string;
  readonly reason: string;
  readonly incidentId: string | undefined;
  /** The event that caused it: what the lifted session is published under. */
  readonly cause: CloudEvent;
}

/** The vehicles: configured ones (including depot buses), and any that report in. */
export class Fleet {
  private readonly vehicles = new Map<string, Vehicle>();
  private readonly byIdTag = new Map<string, Vehicle>();
  private readonly lifts = new Map<string, Lift>();

  constructor(config: Pick<MobilityEnergyConfig, 'vehicles' | 'depots'>) {
    for (const v of config.vehicles) {
      const vehicle = blank(v.id, v.class, true, v.batteryKwh, v.maxChargeKw);
      this.vehicles.set(v.id, vehicle);
      for (const tag of v.idTags) this.byIdTag.set(tag, vehicle);
    }
    for (const depot of config.depots) {
      for (const bus of depot.buses) {
        const existing = this.vehicles.get(bus.id);
        if (existing) {
          existing.batteryKwh ??= bus.batteryKwh;
          existing.socPct ??= bus.initialSocPct;
        } else {
          const vehicle = blank(bus.id, 'transit', true, bus.batteryKwh, bus.maxChargeKw);
          vehicle.socPct = bus.initialSocPct;
          this.vehicles.set(bus.id, vehicle);
        }
      }
    }
  }

  get(vehicleId: string): Vehicle | undefined {
    return this.vehicles.get(vehicleId);
  }

  all(): IterableIterator<Vehicle> {
    return this.vehicles.values();
  }

  /** The vehicle an OCPP idTag belongs to: one of its tags, or its own id. */
  ofIdTag(idTag: string): Vehicle | undefined {
    return this.byIdTag.get(idTag) ?? this.vehicles.get(idTag);
  }

  /** Takes in a telematics report; a vehicle not configured is kept as a private car. */
  report(report: EventData<typeof energy.VehicleReported>): Vehicle {
    let vehicle = this.vehicles.get(report.vehicleId);
    if (vehicle === undefined) {
      vehicle = blank(report.vehicleId, 'private', false, undefined, undefined);
      this.vehicles.set(vehicle.id, vehicle);
    }
    vehicle.socPct = report.socPct;
    if (report.batteryKwh !== undefined) vehicle.batteryKwh = report.batteryKwh;
    vehicle.departAtMs = report.departAt === undefined ? undefined : Date.parse(report.departAt);
    vehicle.targetSocPct = report.targetSocPct;
    if (report.position !== undefined) vehicle.position = report.position;
    vehicle.headingToHubId = report.headingToHubId;
    return vehicle;
  }

  lift(lift: Lift): void {
    this.lifts.set(lift.vehicleId, lift);
  }

  liftOf(vehicleId: string | undefined): Lift | undefined {
    return vehicleId === undefined ? undefined : this.lifts.get(vehicleId);
  }

  endLift(vehicleId: string): void {
    this.lifts.delete(vehicleId);
  }
}

function blank(id: string, cls: energy.PriorityClass, known: boolean, batteryKwh: number | undefined, maxChargeKw: number | undefined): Vehicle {
  return { id, class: cls, known, batteryKwh, maxChargeKw, socPct: undefined, departAtMs: undefined, targetSocPct: undefined, position: undefined, headingToHubId: undefined };
}
