import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { LatLon } from '@polis/contracts';

/** A hospital's emergency department as healthcare sees it. */
export interface Hospital {
  readonly id: string;
  readonly name: string;
  readonly position: LatLon;
  /** Free emergency beds, as last reported by the hospital or counted down at an arrival. */
  free: number;
  /** Patients on their way: their beds are spoken for, though the hospital does not know yet. */
  inbound: number;
}

/**
 * Emergency capacity of the city's hospitals. A bed counts as taken from the moment an
 * ambulance is sent there, so two ambulances never race for a hospital's last bed; the
 * published count (`free`) drops when the patient arrives.
 */
export class HospitalBeds {
  private readonly hospitals = new Map<string, Hospital>();

  constructor(hospitals: ReadonlyArray<{ readonly id: string; readonly name: string; readonly position: LatLon; readonly emergencyBeds: number }>, plugin: string) {
    for (const { id, name, position, emergencyBeds } of hospitals) {
      if (this.hospitals.has(id)) {
        throw new PolisError(ErrorCodes.CONFIG_INVALID, `configuration /hospitals: hospital id '${id}' appears twice`, { plugin });
      }
      this.hospitals.set(id, { id, name, position, free: emergencyBeds, inbound: 0 });
    }
  }

  /** Beds free and not promised to a patient on the way. */
  spare(hospital: Hospital): number {
    return hospital.free - hospital.inbound;
  }

  withCapacity(): Hospital[] {
    return [...this.hospitals.values()].filter((hospital) => this.spare(hospital) > 0);
  }

  reserve(hospital: Hospital): void {
    hospital.inbound++;
  }

  /** Gives back a reservation whose ambulance was never sent. */
  unreserve(hospital: Hospital): void {
    hospital.inbound = Math.max(0, hospital.inbound - 1);
  }

  /** The patient is in: one bed fewer. Returns the free beds left. */
  admit(hospital: Hospital): number {
    hospital.inbound = Math.max(0, hospital.inbound - 1);
    hospital.free = Math.max(0, hospital.free - 1);
    return hospital.free;
  }

  /** The hospital's own count; false if the hospital is unknown. */
  report(id: string, free: number): boolean {
    const hospital = this.hospitals.get(id);
    if (!hospital) return false;
    hospital.free = free;
    return true;
  }
}
