import { Type, defineEvent, defineQuery } from '@polis/plugin-api';

/** A bus reports where it is and how late it runs. */
export const VehicleReported = defineEvent({
  type: 'mobility.vehicle.reported',
  version: 1,
  schema: Type.Object({ vehicle: Type.String(), line: Type.String(), delayS: Type.Integer({ minimum: 0 }) }),
});

/** A bus runs later than the delay monitor tolerates. */
export const VehicleDelayed = defineEvent({
  type: 'mobility.vehicle.delayed',
  version: 1,
  schema: Type.Object({ vehicle: Type.String(), line: Type.String(), delayS: Type.Integer({ minimum: 0 }) }),
});

/** How many delays the monitor has seen so far. */
export const DelayStats = defineQuery({
  type: 'mobility.delay.stats',
  version: 1,
  request: Type.Object({}),
  response: Type.Object({ reports: Type.Integer(), delayed: Type.Integer() }),
});
