import { GeoPoint, waste } from '@polis/contracts';
import { Type, definePlugin } from '@polis/plugin-api';
import type { EventData, Static } from '@polis/plugin-api';
import { seededRandom } from './seeded-random.js';

const Bin = Type.Object({
  id: Type.String(),
  position: GeoPoint,
  capacityL: Type.Number({ exclusiveMinimum: 0 }),
  wasteKind: Type.String(),
  fiwareId: Type.Optional(Type.String()),
});

const WasteSimulatorConfig = Type.Object({
  seed: Type.Integer({ default: 7 }),
  /** The same bins and depots the waste plugin has. */
  bins: Type.Array(Bin),
  depots: Type.Array(Type.Object({ id: Type.String(), position: GeoPoint })),
  /** Simulated seconds between two readings of one bin. */
  readingIntervalS: Type.Number({ exclusiveMinimum: 0, default: 900 }),
  /** Hours of past readings each bin's gateway uploads when the simulation starts. */
  historyH: Type.Number({ minimum: 0, default: 4 }),
  /** The depot's request for the morning round: when (simulated seconds after start), and how long before the shift starts. */
  collection: Type.Object({ atS: Type.Number({ minimum: 0 }), leadS: Type.Number({ minimum: 0 }), requestId: Type.String() }),
  /** Bins that fill fast (a market, a party), to overflow before their truck comes. */
  fastBins: Type.Array(Type.Object({ binId: Type.String(), startPct: Type.Number({ minimum: 0, maximum: 100 }), ratePctPerHour: Type.Number({ minimum: 0 }) }), { default: [] }),
  /** A sensor also reports at once when its bin fills to this level (once per filling), as smart bins alarm when full. */
  alarmPct: Type.Number({ minimum: 0, maximum: 100, default: 95 }),
  /** Each pickup happens up to this late after its planned ETA. */
  pickupDelayMaxS: Type.Number({ minimum: 0, default: 90 }),
});

export type WasteSimulatorConfig = Static<typeof WasteSimulatorConfig>;

const HOUR_MS = 3_600_000;
/** Fill rates by waste kind, % per hour: [least, most]. */
const RATES: Readonly<Record<string, readonly [number, number]>> = { household: [1.5, 4], recyclable: [0.8, 2.5], kitchen: [3, 6] };

/** A simulated bin: filling at its own rate since its level was last set. */
interface SimulatedBin {
  readonly spec: WasteSimulatorConfig['bins'][number];
  level: number;
  levelAt: number;
  readonly rate: number;
  nextReadingAt: number;
  /** How a FIWARE bin's broker sends its entity. */
  readonly shape: ContainerShape;
  /** Whether the full alarm was sent in this filling. */
  alarmed: boolean;
}

type ContainerShape = 'key-values' | 'normalized' | 'ld';

/**
 * The demo's street bins and collection trucks. Every bin's sensor reports its fill each
 * `readingIntervalS` (with a few percent of noise), as a plain reading or, for the city's FIWARE
 * bins, as a WasteContainer entity in one of its three shapes; at start each gateway uploads its
 * last hours. The depot asks for the morning round; the trucks then drive the published routes,
 * reporting each pickup at its stop's ETA (a little late at times) and their return. Seeded.
 */
export default definePlugin({
  name: 'waste-simulator',
  version: '1.0.0',
  kernel: '^1',
  description: 'Seeded bin sensors, the morning collection request and trucks that drive the plan.',
  config: WasteSimulatorConfig,
  consumes: [waste.CollectionPlanned],
  publishes: [waste.FillReported, waste.ContainerObserved, waste.CollectionRequested, waste.PickupReported, waste.TruckReported],
  setup(ctx) {
    const { config, clock } = ctx;
    const random = seededRandom(config.seed);
    const fast = new Map(config.fastBins.map((entry) => [entry.binId, entry]));
    const bins = new Map<string, SimulatedBin>();
    const shapes: readonly ContainerShape[] = ['key-values', 'normalized', 'ld'];
    for (const spec of config.bins) {
      const [least, most] = RATES[spec.wasteKind] ?? [1, 3];
      const quick = fast.get(spec.id);
      bins.set(spec.id, {
        spec,
        // Overnight the bins filled: 20-90 % by the early morning.
        level: quick?.startPct ?? 20 + random() * 70,
        levelAt: 0,
        rate: quick?.ratePctPerHour ?? least + random() * (most - least),
        nextReadingAt: 0,
        shape: shapes[bins.size % shapes.length]!,
        alarmed: false,
      });
    }
    const depots = new Map(config.depots.map((depot) => [depot.id, depot.position]));
    const levelOf = (bin: SimulatedBin, at: number) => Math.min(100, bin.level + (bin.rate * (at - bin.levelAt)) / HOUR_MS);
    const noisy = (level: number) => Math.round(Math.min(100, Math.max(0, level + (random() - 0.5) * 4)) * 10) / 10;

    const report = (bin: SimulatedBin, at: number) => {
      const fillPct = noisy(levelOf(bin, at));
      const observedAt = new Date(at).toISOString();
      const { spec } = bin;
      if (spec.fiwareId === undefined) return ctx.publish(waste.FillReported, { binId: spec.id, observedAt, fillPct }, { subject: spec.id });
      return ctx.publish(waste.ContainerObserved, { entity: containerEntity(spec.fiwareId, spec.position, fillPct / 100, observedAt, bin.shape) }, { subject: spec.id });
    };

    const readDue = async () => {
      const now = clock.now();
      const alarming = (bin: SimulatedBin) => !bin.alarmed && levelOf(bin, now) >= config.alarmPct;
      const due = [...bins.values()].filter((bin) => bin.nextReadingAt <= now || alarming(bin));
      await Promise.all(
        due.map((bin) => {
          if (alarming(bin)) bin.alarmed = true;
          bin.nextReadingAt = now + config.readingIntervalS * 1000;
          return report(bin, now);
        }),
      );
    };

    const drive = (plan: EventData<typeof waste.CollectionPlanned>) => {
      for (const route of plan.routes) {
        for (const stop of route.stops) {
          const at = Date.parse(stop.etaAt) + random() * config.pickupDelayMaxS * 1000;
          clock.setTimeout(async () => {
            const bin = bins.get(stop.binId);
            if (bin !== undefined) {
              bin.level = 1 + random() * 2;
              bin.levelAt = clock.now();
              bin.alarmed = false;
            }
            const now = new Date(clock.now()).toISOString();
            await ctx.publish(waste.TruckReported, { truckId: route.truckId, reportedAt: now, position: stop.position, status: 'collecting' }, { subject: route.truckId });
            await ctx.publish(waste.PickupReported, { truckId: route.truckId, binId: stop.binId, emptiedAt: now }, { subject: stop.binId });
          }, Math.max(0, at - clock.now()));
        }
        const depot = depots.get(route.depotId) ?? route.stops.at(-1)!.position;
        clock.setTimeout(
          () => ctx.publish(waste.TruckReported, { truckId: route.truckId, reportedAt: new Date(clock.now()).toISOString(), position: depot, status: 'returned' }, { subject: route.truckId }),
          Math.max(0, Date.parse(route.returnAt) + config.pickupDelayMaxS * 1000 - clock.now()),
        );
      }
    };

    ctx.on(waste.CollectionPlanned, (event) => drive(event.data));

    ctx.onStart(async () => {
      const start = clock.now();
      for (const bin of bins.values()) {
        bin.levelAt = start;
        // Sensors report at their own phase of the interval.
        bin.nextReadingAt = start + random() * config.readingIntervalS * 1000;
      }
      // The gateways' uploads of the last hours, every half hour, back to when each bin was last emptied.
      for (let at = start - config.historyH * HOUR_MS; at < start; at += HOUR_MS / 2) {
        await Promise.all([...bins.values()].filter((bin) => levelOf(bin, at) >= 1).map((bin) => report(bin, at)));
      }
      clock.setInterval(() => void readDue().catch((error: unknown) => ctx.logger.error(`bin readings failed: ${String(error)}`)), 30_000);
      clock.setTimeout(
        () =>
          void ctx
            .publish(waste.CollectionRequested, { requestId: config.collection.requestId, shiftStart: new Date(clock.now() + config.collection.leadS * 1000).toISOString(), reason: 'the morning round' })
            .catch((error: unknown) => ctx.logger.error(`collection request failed: ${String(error)}`)),
        config.collection.atS * 1000,
      );
    });
  },
});

/** A FIWARE WasteContainer entity in the asked shape (the model requires a GeoJSON location: longitude first). */
function containerEntity(id: string, position: { lat: number; lon: number }, fillingLevel: number, loggedAt: string, shape: ContainerShape): EventData<typeof waste.ContainerObserved>['entity'] {
  const location = { type: 'Point', coordinates: [position.lon, position.lat] };
  const type = 'WasteContainer';
  if (shape === 'key-values') return { id, type, location, fillingLevel, binLoggedTime: loggedAt };
  if (shape === 'normalized') {
    return { id, type, location: { type: 'geo:json', value: location }, fillingLevel: { type: 'Number', value: fillingLevel }, binLoggedTime: { type: 'DateTime', value: loggedAt } };
  }
  return {
    id,
    type,
    location: { type: 'GeoProperty', value: location },
    fillingLevel: { type: 'Property', value: fillingLevel },
    binLoggedTime: { type: 'Property', value: { '@type': 'DateTime', '@value': loggedAt } },
    '@context': ['https://raw.githubusercontent.com/smart-data-models/dataModel.WasteManagement/master/context.jsonld'],
  };
}
