import { environment, pointInPolygon } from '@polis/contracts';
import type { LatLon } from '@polis/contracts';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import { toMicrogramsPerCubicMetre } from './algorithms/gas-units.js';
import type { EnvironmentConfig, StationConfig } from './config.js';

const { POLLUTANTS } = environment;

export type Station = StationConfig;

/** A zone with its member stations resolved. */
export interface Zone {
  readonly id: string;
  readonly name: string;
  readonly polygon: readonly LatLon[];
  readonly stationIds: readonly string[];
}

const NGSI_LD_URN = /^urn:ngsi-ld:[^:]+:(.+)$/;

/** `x` for `urn:ngsi-ld:<Type>:x`, the reference itself otherwise. */
export const bareRef = (ref: string): string => NGSI_LD_URN.exec(ref)?.[1] ?? ref;

/**
 * The configured stations and zones: lookups by station id and by FIWARE reference, and each
 * station's zones. The schema checks shapes; what it cannot (unique ids, references, zones that
 * would have no station) is checked here, every problem reported at once.
 */
export class StationRegistry {
  readonly #stations = new Map<string, Station>();
  readonly #byFiwareRef = new Map<string, Station>();
  readonly #zonesOf = new Map<string, Zone[]>();
  readonly zones: readonly Zone[];

  /** @throws {PolisError} CONFIG_INVALID listing every problem. */
  constructor(config: Pick<EnvironmentConfig, 'stations' | 'zones' | 'input'>, plugin: string) {
    const problems: string[] = [];
    const unitProblem = (where: string, pollutant: (typeof POLLUTANTS)[number], unit: Parameters<typeof toMicrogramsPerCubicMetre>[2]) => {
      if (toMicrogramsPerCubicMetre(pollutant, 1, unit) === undefined) problems.push(`${where}.${pollutant}: ${pollutant} is a mass concentration, not ${unit}`);
    };
    for (const pollutant of POLLUTANTS) unitProblem('input.plausibleMax', pollutant, config.input.plausibleMax[pollutant].unit);
    config.stations.forEach((station, i) => {
      if (this.#stations.has(station.id)) problems.push(`stations[${i}].id: station id '${station.id}' appears twice`);
      this.#stations.set(station.id, station);
      this.#zonesOf.set(station.id, []);
      for (const pollutant of POLLUTANTS) {
        const unit = station.fiwareUnits[pollutant];
        if (unit !== undefined) unitProblem(`stations[${i}].fiwareUnits`, pollutant, unit);
      }
      for (const ref of station.fiwareRefs) {
        const claimed = this.#byFiwareRef.get(bareRef(ref));
        if (claimed !== undefined && claimed.id !== station.id) problems.push(`stations[${i}].fiwareRefs: '${ref}' is already station '${claimed.id}'`);
        this.#byFiwareRef.set(bareRef(ref), station);
      }
    });
    const zoneIds = new Set<string>();
    const zones: Zone[] = [];
    config.zones.forEach((zone, i) => {
      if (zoneIds.has(zone.id)) problems.push(`zones[${i}].id: zone id '${zone.id}' appears twice`);
      zoneIds.add(zone.id);
      const unknown = (zone.stations ?? []).filter((id) => !this.#stations.has(id));
      for (const id of unknown) problems.push(`zones[${i}].stations: unknown station '${id}'`);
      const stationIds = zone.stations ?? config.stations.filter((station) => pointInPolygon(station.position, zone.polygon)).map((station) => station.id);
      if (stationIds.length === 0) problems.push(`zones[${i}]: no station lies inside zone '${zone.id}' and none is listed in its stations`);
      const resolved: Zone = { id: zone.id, name: zone.name, polygon: zone.polygon, stationIds: stationIds.filter((id) => this.#stations.has(id)) };
      zones.push(resolved);
      for (const id of resolved.stationIds) this.#zonesOf.get(id)!.push(resolved);
    });
    if (problems.length > 0) {
      throw new PolisError(ErrorCodes.CONFIG_INVALID, `invalid environment configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}`, { plugin });
    }
    this.zones = zones;
  }

  station(id: string): Station | undefined {
    return this.#stations.get(id);
  }

  /** The station any of these FIWARE references (entity id, refDevice, refPointOfInterest) names. */
  stationForFiware(refs: readonly string[]): Station | undefined {
    for (const ref of refs) {
      const station = this.#byFiwareRef.get(bareRef(ref));
      if (station !== undefined) return station;
    }
    return undefined;
  }

  zonesOf(stationId: string): readonly Zone[] {
    return this.#zonesOf.get(stationId) ?? [];
  }
}
