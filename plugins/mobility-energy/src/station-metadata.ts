import { fiwareEntityValidator } from '@polis/contracts';
import type { FiwareEntity } from '@polis/contracts';
import type { ChargingNetwork, Hub } from './charging-network.js';

const validateStation = fiwareEntityValidator('EVChargingStation');

/** What applying a station entity did: the hub it updated, or where and why it was refused. */
export type StationOutcome = { readonly ok: true; readonly hub: Hub } | { readonly ok: false; readonly path: string; readonly reason: string };

/**
 * Takes a FIWARE EVChargingStation entity (key-values, NGSI-v2 or NGSI-LD normalized) as
 * metadata of the hub it describes: validated against the real Smart Data Model, then its name,
 * position (a GeoJSON Point, longitude first), capacity, available capacity, status, allowed
 * vehicle types and operator replace what the hub had. The feeder and chargers stay as
 * configured: FIWARE does not say which feeder a station hangs on.
 */
export function applyStation(network: ChargingNetwork, entity: FiwareEntity, nowMs: number): StationOutcome {
  const hub = network.hubOfStation(entity.id);
  if (hub === undefined) return { ok: false, path: '/entity/id', reason: `no hub is configured for station ${JSON.stringify(entity.id)} (set fiwareId on the hub)` };
  const validation = validateStation(entity);
  if (!validation.ok) return validation;
  const values = validation.values as {
    name?: string;
    location?: { type?: string; coordinates?: unknown };
    capacity?: number;
    availableCapacity?: number;
    status?: string;
    allowedVehicleType?: string[];
    operator?: string;
  };
  // The model says availableCapacity "must be lower or equal than capacity", which its schema cannot check.
  if (values.capacity !== undefined && values.availableCapacity !== undefined && values.availableCapacity > values.capacity) {
    return { ok: false, path: '/entity/availableCapacity', reason: `availableCapacity ${values.availableCapacity} exceeds capacity ${values.capacity}` };
  }
  const coordinates = values.location?.type === 'Point' && Array.isArray(values.location.coordinates) ? (values.location.coordinates as number[]) : undefined;
  if (values.name !== undefined) hub.name = values.name;
  if (coordinates !== undefined) hub.position = { lat: coordinates[1]!, lon: coordinates[0]! };
  hub.metadata = {
    name: values.name,
    capacity: values.capacity,
    availableCapacity: values.availableCapacity,
    status: values.status,
    allowedVehicleType: values.allowedVehicleType,
    operator: values.operator,
    observedAt: nowMs,
  };
  return { ok: true, hub };
}
