import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { LatLon } from '@polis/contracts';

/** An ambulance: where it is, whether it is in service, and the incident it serves, if any. */
export interface Ambulance {
  readonly id: string;
  position: LatLon;
  /** False when telematics reports it unavailable while idle (crew break, maintenance). */
  inService: boolean;
  incidentId: string | undefined;
}

/** What a telematics status did: nothing for an unknown ambulance; on a mission only the position counts. */
export type StatusOutcome = 'unknown' | 'applied' | 'position-only';

/** The ambulances of the city and their availability. */
export class AmbulanceFleet {
  private readonly ambulances = new Map<string, Ambulance>();

  constructor(ambulances: ReadonlyArray<{ readonly id: string; readonly position: LatLon }>, plugin: string) {
    for (const { id, position } of ambulances) {
      if (this.ambulances.has(id)) {
        throw new PolisError(ErrorCodes.CONFIG_INVALID, `configuration /ambulances: ambulance id '${id}' appears twice`, { plugin });
      }
      this.ambulances.set(id, { id, position, inService: true, incidentId: undefined });
    }
  }

  available(): Ambulance[] {
    return [...this.ambulances.values()].filter((ambulance) => this.isFree(ambulance));
  }

  isAvailable(id: string): boolean {
    const ambulance = this.ambulances.get(id);
    return ambulance !== undefined && this.isFree(ambulance);
  }

  assign(ambulance: Ambulance, incidentId: string): void {
    ambulance.incidentId = incidentId;
  }

  moveTo(ambulance: Ambulance, position: LatLon): void {
    ambulance.position = position;
  }

  /** The mission is over: the ambulance is free where it stands. */
  release(ambulance: Ambulance): void {
    ambulance.incidentId = undefined;
  }

  /**
   * Takes in a telematics status. During a mission the mission's own timeline decides when the
   * ambulance is free again, so only its position is taken.
   */
  applyStatus(id: string, position: LatLon, available: boolean): StatusOutcome {
    const ambulance = this.ambulances.get(id);
    if (!ambulance) return 'unknown';
    ambulance.position = position;
    if (ambulance.incidentId !== undefined) return 'position-only';
    ambulance.inService = available;
    return 'applied';
  }

  private isFree(ambulance: Ambulance): boolean {
    return ambulance.inService && ambulance.incidentId === undefined;
  }
}
