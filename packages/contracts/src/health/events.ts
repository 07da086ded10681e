import { Type, defineEvent } from '@polis/plugin-api';
import { GeoPoint, Id, Timestamp } from '../shared/geo.js';

/**
 * An ambulance was sent to an incident with casualties: the one with the least route ETA, and
 * the hospital chosen by ETA from the scene among those with free emergency capacity.
 */
export const AmbulanceDispatched = defineEvent({
  type: 'health.ambulance.dispatched',
  version: 1,
  priority: 'emergency',
  description: 'Ambulance and destination hospital chosen for an incident with casualties.',
  schema: Type.Object({
    incidentId: Id,
    ambulanceId: Id,
    hospitalId: Id,
    sceneEtaS: Type.Number({ minimum: 0, description: 'Ambulance to scene, seconds' }),
    hospitalEtaS: Type.Number({ minimum: 0, description: 'Scene to hospital, seconds' }),
    corridorId: Type.Optional(Id),
  }),
});

/** The ambulance reached the scene and is leaving for the hospital. */
export const AmbulanceOnScene = defineEvent({
  type: 'health.ambulance.onscene',
  version: 1,
  priority: 'emergency',
  schema: Type.Object({ incidentId: Id, ambulanceId: Id, arrivedAt: Timestamp, hospitalId: Id, corridorId: Type.Optional(Id) }),
});

/** The patient arrived at the hospital; the chain of the incident is complete for healthcare. */
export const PatientArrived = defineEvent({
  type: 'health.patient.arrived',
  version: 1,
  description: 'An ambulance delivered its patient to the hospital.',
  schema: Type.Object({ incidentId: Id, ambulanceId: Id, hospitalId: Id, arrivedAt: Timestamp }),
});

/** A hospital's free emergency capacity changed (reported by the hospital, or after an arrival). */
export const CapacityUpdated = defineEvent({
  type: 'health.capacity.updated',
  version: 1,
  description: "A hospital's free emergency beds.",
  schema: Type.Object({ hospitalId: Id, emergencyBedsFree: Type.Integer({ minimum: 0 }), updatedAt: Timestamp }),
});

/** No ambulance or no hospital could be found for an incident. */
export const AmbulanceUnavailable = defineEvent({
  type: 'health.ambulance.unavailable',
  version: 1,
  priority: 'emergency',
  schema: Type.Object({ incidentId: Id, reason: Type.String() }),
});

/** Where an ambulance is and whether it can take a call (from vehicle telematics). */
export const AmbulanceStatus = defineEvent({
  type: 'health.ambulance.status',
  version: 1,
  schema: Type.Object({ ambulanceId: Id, position: GeoPoint, available: Type.Boolean() }),
});
