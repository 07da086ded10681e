import { GeoPoint, energy } from '@polis/contracts';
import { Type } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';

// The schema checks shapes and single-value ranges; references (a charger's feeder, a feeder's
// transformer, a bus's depot), uniqueness and min <= max are checked at setup by
// chargingNetworkFromConfig, which reports every problem at once.

const ConfigId = Type.String({ minLength: 1, maxLength: 60 });
const Kw = (description: string, extra: Record<string, unknown> = {}) => Type.Number({ minimum: 0, description: `${description}, kW`, ...extra });

const Transformer = Type.Object({ id: ConfigId, limitKw: Kw('Capacity') }, { additionalProperties: false, description: 'A transformer whose capacity several feeders share' });

const Feeder = Type.Object(
  {
    id: ConfigId,
    limitKw: Kw('Capacity'),
    transformerId: Type.Optional(ConfigId),
    zone: Type.Optional(Type.String({ minLength: 1, description: 'Grid zone, as demand-response events target them' })),
  },
  { additionalProperties: false },
);

const Charger = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 48, description: 'OCPP charge point identity (the last segment of its URL)' }),
    connectors: Type.Integer({ minimum: 1, maximum: 16, default: 1 }),
    feederId: Type.Optional(Type.String({ description: "Default: the hub's feeder" })),
    rateUnit: Type.Union([Type.Literal('A'), Type.Literal('W')], { default: 'A', description: 'A: AC, limited in amperes per phase; W: DC, limited in watts' }),
    phases: Type.Union([Type.Literal(1), Type.Literal(3)], { default: 3 }),
    voltageV: Type.Number({ exclusiveMinimum: 0, default: 230, description: 'Phase-to-neutral voltage (AC)' }),
    minCurrentA: Type.Number({ minimum: 0, default: 6, description: 'AC: IEC 61851 minimum, A' }),
    maxCurrentA: Type.Number({ exclusiveMinimum: 0, default: 32, description: 'AC: per phase, A' }),
    minPowerKw: Kw('DC: least power', { default: 0 }),
    maxPowerKw: Type.Optional(Kw('DC: most power (required for rateUnit W)')),
  },
  { additionalProperties: false },
);

const Hub = Type.Object(
  {
    id: ConfigId,
    name: Type.String({ minLength: 1 }),
    position: GeoPoint,
    feederId: ConfigId,
    fiwareId: Type.Optional(Type.String({ description: 'Id of its FIWARE EVChargingStation entity (NGSI-LD urn or plain), if not the hub id' })),
    chargers: Type.Array(Charger, { minItems: 1 }),
  },
  { additionalProperties: false, description: 'A charging hub: chargers at one place, on a feeder' },
);

const Vehicle = Type.Object(
  {
    id: ConfigId,
    class: energy.PriorityClass,
    idTags: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { default: [], description: 'OCPP idTags (RFID cards) it charges with; its id works too' }),
    batteryKwh: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    maxChargeKw: Type.Optional(Kw('The most the vehicle takes')),
  },
  { additionalProperties: false },
);

const Block = Type.Object(
  {
    id: ConfigId,
    depart: Type.String({ pattern: '^\\d\\d:\\d\\d$', description: 'Pull-out, local HH:MM, every day' }),
    return: Type.String({ pattern: '^\\d\\d:\\d\\d$', description: 'Pull-in, local HH:MM (before depart: the next day)' }),
    energyKwh: Type.Number({ exclusiveMinimum: 0, description: 'Energy the block uses' }),
  },
  { additionalProperties: false },
);

const Depot = Type.Object(
  {
    id: ConfigId,
    hubId: ConfigId,
    slotS: Type.Number({ minimum: 60, default: 900, description: 'Schedule slot, seconds' }),
    horizonS: Type.Number({ minimum: 3600, default: 86_400, description: 'How far ahead the schedule looks, seconds' }),
    reserveSocPct: Type.Number({ minimum: 0, maximum: 100, default: 20 }),
    maxSocPct: Type.Number({ minimum: 0, maximum: 100, default: 100 }),
    chargeEfficiency: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.95 }),
    tariff: Type.Object(
      {
        utcOffsetMinutes: Type.Integer({ minimum: -720, maximum: 840, description: 'Local time of the periods, e.g. 480 for China Standard Time' }),
        currency: Type.String({ minLength: 3, maxLength: 3, default: 'CNY' }),
        periods: Type.Array(Type.Object({ from: Type.String({ pattern: '^\\d\\d:\\d\\d$' }), pricePerKwh: Type.Number({ minimum: 0 }) }, { additionalProperties: false }), { minItems: 1 }),
      },
      { additionalProperties: false },
    ),
    buses: Type.Array(
      Type.Object(
        {
          id: ConfigId,
          batteryKwh: Type.Number({ exclusiveMinimum: 0 }),
          maxChargeKw: Kw('The most the bus takes'),
          initialSocPct: Type.Number({ minimum: 0, maximum: 100, default: 50, description: 'Until its first report' }),
          blocks: Type.Array(Block, { default: [] }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false, description: 'An electric bus depot: a hub whose chargers serve a fleet with a timetable' },
);

/** The mobility-energy plugin's configuration. Everything but the grid and the hubs has defaults. */
export const MobilityEnergyConfig = Type.Object(
  {
    centralSystem: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 0, maximum: 65_535, default: 9220, description: '0: any free port' }),
        path: Type.String({ pattern: '^/[A-Za-z0-9/_-]*[A-Za-z0-9_-]$', default: '/ocpp' }),
        heartbeatIntervalS: Type.Integer({ minimum: 1, default: 300 }),
        callTimeoutMs: Type.Integer({ minimum: 1, default: 10_000 }),
        maxBadMessages: Type.Integer({ minimum: 1, default: 20, description: 'Malformed messages in a row before a connection is closed' }),
        acceptUnknownIdTags: Type.Boolean({ default: true, description: 'Unknown idTags charge as private cars; false: Invalid' }),
      },
      { additionalProperties: false, default: {} },
    ),
    allocation: Type.Object(
      {
        cycleS: Type.Number({ exclusiveMinimum: 0, default: 5, description: 'Allocation cycle, seconds' }),
        loadReportS: Type.Number({ exclusiveMinimum: 0, default: 60, description: 'Period of energy.feeder.loaded, seconds' }),
      },
      { additionalProperties: false, default: {} },
    ),
    grid: Type.Object(
      { transformers: Type.Array(Transformer, { default: [] }), feeders: Type.Array(Feeder, { minItems: 1 }) },
      { additionalProperties: false },
    ),
    hubs: Type.Array(Hub, { minItems: 1 }),
    vehicles: Type.Array(Vehicle, { default: [] }),
    depots: Type.Array(Depot, { default: [] }),
    emergency: Type.Object(
      {
        readySocPct: Type.Number({ minimum: 0, maximum: 100, default: 80, description: 'An emergency vehicle below this is protected from curtailment, %' }),
      },
      { additionalProperties: false, default: {} },
    ),
    demandResponse: Type.Object(
      { restoreRampS: Type.Number({ minimum: 0, default: 900, description: 'Ramp back to full capacity after an event, unless the event says otherwise, seconds' }) },
      { additionalProperties: false, default: {} },
    ),
    hubDisruption: Type.Object(
      {
        radiusM: Type.Number({ minimum: 0, default: 600, description: 'A traffic incident this close to a hub disrupts it, metres' }),
        durationS: Type.Number({ exclusiveMinimum: 0, default: 1800, description: 'How long arriving vehicles are warned, seconds' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

/** The mobility-energy configuration, defaults applied. */
export type MobilityEnergyConfig = Static<typeof MobilityEnergyConfig>;
export type HubConfig = MobilityEnergyConfig['hubs'][number];
export type ChargerConfig = HubConfig['chargers'][number];
export type DepotConfig = MobilityEnergyConfig['depots'][number];
