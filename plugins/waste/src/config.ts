import { GeoPoint } from '@polis/contracts';
import { Type } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';
import { DEFAULT_FILL_FORECAST_OPTIONS } from './algorithms/fill-forecast.js';

/** Short, so ids built from them (route ids) stay within the contracts' 120 characters. */
const ConfigId = Type.String({ minLength: 1, maxLength: 40 });

const Bin = Type.Object(
  {
    id: ConfigId,
    position: GeoPoint,
    capacityL: Type.Number({ exclusiveMinimum: 0, default: 240, description: 'Volume, litres (a wheelie bin: 120-1100)' }),
    thresholdPct: Type.Number({ exclusiveMinimum: 0, maximum: 100, default: 80, description: 'Collect once the bin is forecast to pass this fill before the next shift' }),
    overflowPct: Type.Number({ exclusiveMinimum: 0, maximum: 100, default: 95, description: 'A fill at or above this is an overflow (sensors saturate below 100 %)' }),
    wasteKind: Type.Optional(Type.String({ maxLength: 40, description: 'e.g. household, recyclable, kitchen' })),
    fiwareId: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Id of the FIWARE WasteContainer entity of this bin, if it is not the bin id' })),
  },
  { additionalProperties: false },
);

const Depot = Type.Object({ id: ConfigId, position: GeoPoint }, { additionalProperties: false, description: 'Where trucks start and end their shift (and unload)' });

const Truck = Type.Object(
  {
    id: ConfigId,
    depotId: ConfigId,
    capacityL: Type.Number({ exclusiveMinimum: 0, description: 'What the truck takes per shift, in litres of bin volume (its body times its compaction ratio)' }),
    shiftS: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Longest route, driving plus time at bins; default shifts.lengthS' })),
  },
  { additionalProperties: false },
);

const forecastDefaults = DEFAULT_FILL_FORECAST_OPTIONS;

/** JSON Schema of the waste configuration; the kernel validates it and applies its defaults. References are checked at setup. */
export const WasteConfigSchema = Type.Object(
  {
    bins: Type.Array(Bin, { default: [] }),
    depots: Type.Array(Depot, { default: [] }),
    trucks: Type.Array(Truck, { default: [] }),
    shifts: Type.Object(
      {
        starts: Type.Array(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' }), { default: ['06:00', '14:00'], description: 'Local start times (HH:MM) of the daily shifts' }),
        utcOffsetMinutes: Type.Integer({ minimum: -720, maximum: 840, default: 480, description: "The city's offset from UTC (Shenzhen: 480)" }),
        lengthS: Type.Number({ exclusiveMinimum: 0, default: 8 * 3600, description: 'Shift length, seconds; a truck may have its own' }),
        planAheadS: Type.Number({ minimum: 0, default: 900, description: 'Plan this long before each shift starts' }),
        serviceS: Type.Number({ minimum: 0, default: 60, description: 'Time to empty one bin, seconds' }),
      },
      { default: {}, additionalProperties: false },
    ),
    forecast: Type.Object(
      {
        priorRatePctPerHour: Type.Number({ minimum: 0, default: forecastDefaults.priorRatePctPerHour, description: 'Fill rate assumed for a bin with no history, % per hour' }),
        priorWeight: Type.Number({ minimum: 0, default: forecastDefaults.priorWeight, description: 'Readings the prior rate is worth against a new cycle' }),
        emptiedDropPct: Type.Number({ exclusiveMinimum: 0, maximum: 100, default: forecastDefaults.emptiedDropPct, description: 'A reading this far below the trend ...' }),
        emptiedBelowPct: Type.Number({ minimum: 0, maximum: 100, default: forecastDefaults.emptiedBelowPct, description: '... and at most this full means emptied, once the next reading agrees' }),
      },
      { default: {}, additionalProperties: false },
    ),
    readings: Type.Object(
      {
        maxClockSkewS: Type.Number({ minimum: 0, default: 300, description: 'A reading timed later than now plus this is refused (FUTURE_TIMESTAMP)' }),
        maxAgeS: Type.Number({ exclusiveMinimum: 0, default: 2 * 86_400, description: 'A reading older than this is refused (STALE_TIMESTAMP)' }),
      },
      { default: {}, additionalProperties: false },
    ),
    routing: Type.Object(
      {
        seed: Type.Integer({ default: 1, description: "The route search's seed: the same seed and data give the same plan" }),
        iterations: Type.Integer({ minimum: 0, default: 3000, description: 'Search steps after Clarke-Wright' }),
        timeLimitMs: Type.Integer({ minimum: 1, default: 5000, description: 'The search stops here even if steps remain (the plan then depends on the machine)' }),
        kerbSpeedKph: Type.Number({ exclusiveMinimum: 0, default: 15, description: 'Speed between a bin and its nearest road node, km/h' }),
        fallbackSpeedKph: Type.Number({ exclusiveMinimum: 0, default: 25, description: 'Speed for straight-line travel times when traffic does not answer, km/h' }),
        detourFactor: Type.Number({ minimum: 1, default: 1.3, description: 'Road distance per straight-line distance, for the fallback' }),
        travelTimesTimeoutMs: Type.Integer({ minimum: 1, default: 5000, description: 'How long to wait for each travel-time answer' }),
      },
      { default: {}, additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** The waste configuration, defaults applied. */
export type WasteConfig = Static<typeof WasteConfigSchema>;
export type BinConfig = WasteConfig['bins'][number];
export type TruckConfig = WasteConfig['trucks'][number];
export type DepotConfig = WasteConfig['depots'][number];

/** What the schema cannot check: unique ids, trucks at known depots. Every problem, with its path. */
export function wasteConfigProblems(config: WasteConfig): string[] {
  const problems: string[] = [];
  const unique = (items: readonly { id: string }[], path: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const first = seen.get(item.id);
      if (first !== undefined) problems.push(`${path}[${index}].id: ${JSON.stringify(item.id)} is already ${path}[${first}]`);
      else seen.set(item.id, index);
    });
  };
  unique(config.bins, 'bins');
  unique(config.depots, 'depots');
  unique(config.trucks, 'trucks');
  const fiwareIds = new Map<string, number>();
  config.bins.forEach((bin, index) => {
    if (bin.overflowPct < bin.thresholdPct) problems.push(`bins[${index}].overflowPct: ${bin.overflowPct} is below its thresholdPct ${bin.thresholdPct}`);
    if (bin.fiwareId === undefined) return;
    const first = fiwareIds.get(bin.fiwareId);
    if (first !== undefined) problems.push(`bins[${index}].fiwareId: ${JSON.stringify(bin.fiwareId)} is already bins[${first}]'s`);
    else fiwareIds.set(bin.fiwareId, index);
  });
  const depots = new Set(config.depots.map((depot) => depot.id));
  config.trucks.forEach((truck, index) => {
    if (!depots.has(truck.depotId)) problems.push(`trucks[${index}].depotId: unknown depot ${JSON.stringify(truck.depotId)}`);
  });
  return problems;
}
