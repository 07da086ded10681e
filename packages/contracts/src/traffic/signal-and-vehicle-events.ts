import { Type, defineEvent } from '@polis/plugin-api';
import { GeoPoint, Id, Timestamp } from '../shared/geo.js';

const SignalInterval = Type.Union([Type.Literal('green'), Type.Literal('yellow'), Type.Literal('all-red')]);

/**
 * A signal controller started an interval: what a field controller (or a simulator) must show
 * from `at`. Published by traffic at every interval of every signal it runs, so the signals in
 * the field follow the central plan, offsets and pre-emptions exactly (the way UTC systems such
 * as SCOOT send stage demands to local controllers).
 */
export const SignalChanged = defineEvent({
  type: 'traffic.signal.changed',
  version: 1,
  description: 'A signal started a green, yellow or all-red interval of one of its phases.',
  schema: Type.Object({
    intersectionId: Id,
    phaseId: Id,
    interval: SignalInterval,
    at: Timestamp,
    /** When the interval is planned to end; a pre-emption or a replanned corridor may move it. */
    until: Timestamp,
    /** The corridor holding the signal, while a pre-emption runs. */
    corridorId: Type.Optional(Id),
  }),
});

/**
 * Where an emergency vehicle is (an AVL fix). Published by fleet telematics or a simulator;
 * traffic replans the vehicle's corridor from it: signals ahead are re-timed to the new ETAs,
 * signals behind it are released at once.
 */
export const VehicleReported = defineEvent({
  type: 'traffic.vehicle.reported',
  version: 1,
  priority: 'emergency',
  description: "An emergency vehicle's position, speed and (when known) the link it is on.",
  schema: Type.Object({
    vehicleId: Id,
    observedAt: Timestamp,
    position: GeoPoint,
    speedKph: Type.Number({ minimum: 0, maximum: 300 }),
    /** The road network link the vehicle is on, when the reporter map-matched it. */
    linkId: Type.Optional(Id),
    /** Metres driven along `linkId` from its upstream end. */
    offsetM: Type.Optional(Type.Number({ minimum: 0 })),
  }),
});

/**
 * Two corridors wanted one signal for conflicting phases at overlapping times: the one whose
 * vehicle arrives first holds it, and the other's window waits until the first has passed.
 */
export const CorridorArbitrated = defineEvent({
  type: 'traffic.corridor.arbitrated',
  version: 1,
  priority: 'emergency',
  description: 'Which of two corridors meeting at a signal holds it first, and how long the other waits.',
  schema: Type.Object({
    intersectionId: Id,
    heldFor: Id,
    waiting: Id,
    /** The waiting corridor's green comes this much later than it asked. */
    delayS: Type.Number({ minimum: 0 }),
    reason: Type.String(),
  }),
});
