import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { LatLon } from '@polis/contracts';
import type { UnitKind } from './incident-book.js';

/** A police or fire unit: where it is, and the incident it works, if any. */
export interface Unit {
  readonly id: string;
  readonly kind: UnitKind;
  position: LatLon;
  incidentId: string | undefined;
}

/** The units of the city and their availability. */
export class UnitRoster {
  private readonly units = new Map<string, Unit>();

  constructor(units: ReadonlyArray<{ readonly id: string; readonly kind: UnitKind; readonly position: LatLon }>, plugin: string) {
    for (const { id, kind, position } of units) {
      if (this.units.has(id)) throw new PolisError(ErrorCodes.CONFIG_INVALID, `configuration /units: unit id '${id}' appears twice`, { plugin });
      this.units.set(id, { id, kind, position, incidentId: undefined });
    }
  }

  available(kind: UnitKind): Unit[] {
    return [...this.units.values()].filter((unit) => unit.kind === kind && unit.incidentId === undefined);
  }

  isAvailable(id: string): boolean {
    const unit = this.units.get(id);
    return unit !== undefined && unit.incidentId === undefined;
  }

  assign(unit: Unit, incidentId: string): void {
    unit.incidentId = incidentId;
  }

  /** The unit is free again, where its last incident was. */
  release(id: string, position: LatLon): void {
    const unit = this.units.get(id);
    if (!unit) return;
    unit.incidentId = undefined;
    unit.position = position;
  }
}
