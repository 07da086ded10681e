import { Type, defineQuery } from '@polis/plugin-api';
import { GeoPoint, Id, Timestamp } from '../shared/geo.js';

/**
 * A bin as waste knows it: where it is, how full it was last seen, how fast it fills, when it is
 * forecast to pass its threshold and whether a truck is planned. Answered by waste; for
 * dashboards, citizen services (is a truck coming?) and any domain near a bin.
 */
export const BinStatus = defineQuery({
  type: 'waste.bin.status',
  version: 1,
  description: "A bin's fill, fill rate, forecast and planned pickup.",
  request: Type.Object({ binId: Id }),
  response: Type.Object({
    found: Type.Boolean(),
    binId: Id,
    position: Type.Optional(GeoPoint),
    capacityL: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    thresholdPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    fillPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'Latest reading' })),
    observedAt: Type.Optional(Timestamp),
    ratePctPerHour: Type.Optional(Type.Number({ minimum: 0, description: 'Estimated fill rate' })),
    thresholdAt: Type.Optional(Timestamp),
    lastEmptiedAt: Type.Optional(Timestamp),
    condition: Type.Optional(Type.String({ description: "The container's FIWARE status when not ok: lidOpen, dropped, moved, vandalized, burning" })),
    plannedPickup: Type.Optional(Type.Object({ planId: Id, routeId: Id, truckId: Id, etaAt: Timestamp })),
  }),
});
