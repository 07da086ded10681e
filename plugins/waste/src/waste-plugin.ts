import { ReadableIds, traffic, waste } from '@polis/contracts';
import { ErrorCodes, PolisError, definePlugin } from '@polis/plugin-api';
import type { CloudEvent, EventData, HandlerScope, QueryResponse } from '@polis/plugin-api';
import { DEFAULT_FILL_FORECAST_OPTIONS } from './algorithms/fill-forecast.js';
import { nextShiftStart } from './algorithms/shift-schedule.js';
import { BinRegistry } from './bin-registry.js';
import type { BinState } from './bin-registry.js';
import { planCollection } from './collection-planner.js';
import { WasteConfigSchema, wasteConfigProblems } from './config.js';
import type { BinConfig } from './config.js';
import { readContainer } from './fiware-container.js';
import { isoTime } from './iso-time.js';
import { checkTime, emptiedState, takeReading } from './reading-intake.js';
import type { Refusal } from './reading-intake.js';
import { RouteTracker } from './route-tracker.js';
import { travelMatrix } from './travel-times-client.js';

type WasteScope = HandlerScope<typeof waste.ReadingRejected | typeof waste.BinOverflowed | typeof waste.CollectionPlanned | typeof waste.PickupConfirmed | typeof waste.RouteCompleted, typeof traffic.TravelTimesFind>;
type Rejection = EventData<typeof waste.ReadingRejected>;

/**
 * Waste collection: ingests bin fill readings and FIWARE WasteContainer entities, forecasts each
 * bin's fill, plans each shift's collection routes as a capacitated vehicle routing problem on
 * traffic's live travel times, follows the trucks, confirms pickups and raises overflows.
 */
export const wastePlugin = definePlugin({
  name: 'waste',
  version: '1.0.0',
  kernel: '^1',
  description: 'Bin fill ingest and forecasts, collection routes (CVRP on live travel times), pickups and overflow alerts.',
  config: WasteConfigSchema,
  consumes: [waste.FillReported, waste.ContainerObserved, waste.CollectionRequested, waste.TruckReported, waste.PickupReported],
  publishes: [waste.ReadingRejected, waste.BinOverflowed, waste.CollectionPlanned, waste.PickupConfirmed, waste.RouteCompleted],
  requests: [traffic.TravelTimesFind],
  answers: [waste.BinStatus],
  setup(ctx) {
    const { config, clock, logger } = ctx;
    const problems = wasteConfigProblems(config);
    if (problems.length > 0) {
      throw new PolisError(ErrorCodes.CONFIG_INVALID, `invalid waste configuration (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}):\n  ${problems.join('\n  ')}`, { plugin: ctx.name });
    }
    const registry = new BinRegistry(config.bins, { ...DEFAULT_FILL_FORECAST_OPTIONS, ...config.forecast });
    const tracker = new RouteTracker();
    const trucks = new Set(config.trucks.map((truck) => truck.id));
    const ids = new ReadableIds(clock);
    const stopping = new AbortController();
    ctx.onStop(() => stopping.abort());

    const reject = (scope: WasteScope, rejection: Rejection) => scope.publish(waste.ReadingRejected, rejection);

    /** Applies a reading to a bin: the rejection, or the new state (and an overflow); state is committed after publishing. */
    const applyReading = async (bin: BinConfig, state: BinState, reading: { timeMs: number; fillPct: number }, source: CloudEvent, ref: string, paths: { time: string; fill: string }, scope: WasteScope) => {
      const intake = takeReading(bin, state, reading, clock.now(), config.readings);
      if (!intake.accepted) {
        await reject(scope, refusalOf(source, ref, intake.refusal, paths));
        return;
      }
      if (intake.overflowed) {
        const pickup = tracker.plannedPickup(bin.id, reading.timeMs);
        await scope.publish(
          waste.BinOverflowed,
          {
            binId: bin.id,
            position: bin.position,
            fillPct: Math.round(reading.fillPct * 10) / 10,
            observedAt: isoTime(reading.timeMs),
            ...(bin.wasteKind === undefined ? {} : { wasteKind: bin.wasteKind }),
            ...(pickup === undefined ? {} : { planId: pickup.planId, plannedPickupAt: isoTime(pickup.etaMs) }),
          },
          { subject: bin.id },
        );
      }
      registry.commit(bin.id, intake.state);
    };

    ctx.on(waste.FillReported, async (event, scope) => {
      const { binId, observedAt, fillPct, weightKg, temperatureC } = event.data;
      const bin = registry.bin(binId);
      if (bin === undefined) {
        await reject(scope, { source: event.type, ref: binId, code: 'UNKNOWN_BIN', path: '/binId', reason: `unknown bin ${JSON.stringify(binId)}: not in the waste plugin's bins` });
        return;
      }
      const state = registry.state(binId);
      const withSensors = { ...state, weightKg: weightKg ?? state.weightKg, temperatureC: temperatureC ?? state.temperatureC };
      await applyReading(bin, withSensors, { timeMs: Date.parse(observedAt), fillPct }, event, binId, { time: '/observedAt', fill: '/fillPct' }, scope);
    });

    ctx.on(waste.ContainerObserved, async (event, scope) => {
      const { entity } = event.data;
      const bin = registry.binOfEntity(entity.id);
      if (bin === undefined) {
        await reject(scope, { source: event.type, ref: entity.id, code: 'UNKNOWN_BIN', path: '/entity/id', reason: `unknown entity ${JSON.stringify(entity.id)}: no bin has it as its id or fiwareId` });
        return;
      }
      const outcome = readContainer(entity, Date.parse(event.time));
      if (!outcome.ok) {
        await reject(scope, { source: event.type, ref: entity.id, code: outcome.code, path: outcome.path, reason: outcome.reason });
        return;
      }
      const { fill, thresholdPct, emptiedAtMs, weightKg, temperatureC, status } = outcome.reading;
      let state: BinState = {
        ...registry.state(bin.id),
        ...(thresholdPct === undefined ? {} : { thresholdPct }),
        ...(weightKg === undefined ? {} : { weightKg }),
        ...(temperatureC === undefined ? {} : { temperatureC }),
        ...(status === undefined ? {} : { condition: status === 'ok' ? undefined : status }),
      };
      // A newer emptying than the forecast knows of starts a new cycle (if its time is believable).
      if (emptiedAtMs !== undefined && emptiedAtMs > (state.forecast.emptiedAtMs ?? -Infinity) && checkTime(emptiedAtMs, clock.now(), config.readings) === undefined) {
        state = emptiedState(state, emptiedAtMs);
      }
      if (fill === undefined) registry.commit(bin.id, state);
      else await applyReading(bin, state, fill, event, entity.id, { time: fill.timePath, fill: '/entity/fillingLevel' }, scope);
    });

    ctx.on(waste.PickupReported, async (event, scope) => {
      const { truckId, binId, emptiedAt } = event.data;
      const emptiedAtMs = Date.parse(emptiedAt);
      if (!trucks.has(truckId)) {
        await reject(scope, { source: event.type, ref: truckId, code: 'UNKNOWN_TRUCK', path: '/truckId', reason: `unknown truck ${JSON.stringify(truckId)}: not in the waste plugin's trucks` });
        return;
      }
      if (registry.bin(binId) === undefined) {
        await reject(scope, { source: event.type, ref: binId, code: 'UNKNOWN_BIN', path: '/binId', reason: `unknown bin ${JSON.stringify(binId)}: not in the waste plugin's bins` });
        return;
      }
      const timing = checkTime(emptiedAtMs, clock.now(), config.readings);
      if (timing !== undefined) {
        await reject(scope, refusalOf(event, binId, timing, { time: '/emptiedAt', fill: '/emptiedAt' }));
        return;
      }
      const match = tracker.matchPickup(truckId, binId, emptiedAtMs);
      // A redelivered report of a pickup already confirmed changes nothing.
      if (match.planned && match.duplicate) return;
      const state = registry.state(binId);
      // Recorded before the first await: a duplicate report handled concurrently must see it. The
      // confirmation is held in the kernel's outbox and sent only once this handler succeeds.
      tracker.recordPickup(truckId, binId);
      await scope.publish(
        waste.PickupConfirmed,
        { binId, truckId, emptiedAt, ...(match.planned ? { planned: true, planId: match.planId, routeId: match.routeId, minutesLate: match.minutesLate } : { planned: false }) },
        { subject: binId },
      );
      // An older report than the bin's current cycle (a late upload) does not reset it.
      if (emptiedAtMs >= (state.forecast.emptiedAtMs ?? -Infinity)) registry.commit(binId, emptiedState(state, emptiedAtMs));
    });

    ctx.on(waste.TruckReported, async (event, scope) => {
      const { truckId, reportedAt, status } = event.data;
      if (!trucks.has(truckId)) {
        await reject(scope, { source: event.type, ref: truckId, code: 'UNKNOWN_TRUCK', path: '/truckId', reason: `unknown truck ${JSON.stringify(truckId)}: not in the waste plugin's trucks` });
        return;
      }
      const timing = checkTime(Date.parse(reportedAt), clock.now(), config.readings);
      if (timing !== undefined) {
        await reject(scope, refusalOf(event, truckId, timing, { time: '/reportedAt', fill: '/reportedAt' }));
        return;
      }
      if (status !== 'returned') return;
      const outcome = tracker.outcomeOf(truckId);
      if (outcome === undefined) return;
      await scope.publish(waste.RouteCompleted, { ...outcome, missed: [...outcome.missed], completedAt: reportedAt }, { subject: outcome.routeId });
      tracker.recordReturn(truckId);
      const missedAtMs = Date.parse(reportedAt);
      for (const binId of outcome.missed) registry.commit(binId, { ...registry.state(binId), missedAtMs });
    });

    // Plans run one at a time: two at once would both take the same bins and trucks.
    let planning: Promise<unknown> = Promise.resolve();
    const plan = (shiftStartMs: number, requestId: string | undefined, publish: (data: EventData<typeof waste.CollectionPlanned>) => Promise<unknown>) => {
      const run = planning.then(async () => {
        const data = await planCollection({
          planId: ids.next('PLAN'),
          ...(requestId === undefined ? {} : { requestId }),
          nowMs: clock.now(),
          shiftStartMs,
          nextShiftStartMs: nextShiftStart(shiftStartMs, config.shifts.starts, config.shifts.utcOffsetMinutes),
          registry,
          tracker,
          config,
          travel: (points) =>
            travelMatrix(points, {
              ask: (request) => ctx.request(traffic.TravelTimesFind, request, { timeoutMs: config.routing.travelTimesTimeoutMs }),
              kerbSpeedKph: config.routing.kerbSpeedKph,
              fallbackSpeedKph: config.routing.fallbackSpeedKph,
              detourFactor: config.routing.detourFactor,
              logger,
            }),
          signal: stopping.signal,
        });
        // A plan cut short by the plugin stopping is not published: no truck should follow it.
        if (stopping.signal.aborted) return;
        await publish(data);
        tracker.recordPlan(data);
      });
      planning = run.catch(() => undefined);
      return run;
    };

    ctx.on(waste.CollectionRequested, async (event, scope) => {
      const { requestId, shiftStart } = event.data;
      const shiftStartMs = Date.parse(shiftStart);
      // A shift may be asked for up to a week ahead, or one already under way.
      const timing = checkTime(shiftStartMs, clock.now(), { maxClockSkewS: 7 * 86_400, maxAgeS: config.shifts.lengthS });
      if (timing !== undefined) {
        await reject(scope, refusalOf(event, requestId, timing, { time: '/shiftStart', fill: '/shiftStart' }));
        return;
      }
      await plan(shiftStartMs, requestId, (data) => scope.publish(waste.CollectionPlanned, data, { subject: data.planId }));
    });

    /** Plans the first daily shift after `afterMs`, `planAheadS` before it starts (at once if that is past), then the one after. */
    const scheduleAfter = (afterMs: number) => {
      const shiftStartMs = nextShiftStart(afterMs, config.shifts.starts, config.shifts.utcOffsetMinutes);
      const waitMs = Math.max(0, shiftStartMs - config.shifts.planAheadS * 1000 - clock.now());
      clock.setTimeout(async () => {
        try {
          await plan(shiftStartMs, undefined, (data) => ctx.publish(waste.CollectionPlanned, data, { subject: data.planId }));
        } finally {
          if (!stopping.signal.aborted) scheduleAfter(shiftStartMs);
        }
      }, waitMs);
    };
    ctx.onStart(() => {
      if (config.trucks.length > 0) scheduleAfter(clock.now());
    });

    ctx.answer(waste.BinStatus, ({ binId }): QueryResponse<typeof waste.BinStatus> => {
      const bin = registry.bin(binId);
      if (bin === undefined) return { found: false, binId };
      const state = registry.state(binId);
      const { forecast } = state;
      const latest = forecast.latest;
      const thresholdAt = forecast.timeToReach(state.thresholdPct);
      const pickup = tracker.plannedPickup(binId);
      return {
        found: true,
        binId,
        position: bin.position,
        capacityL: bin.capacityL,
        thresholdPct: state.thresholdPct,
        ...(latest === undefined ? {} : { fillPct: latest.fillPct, observedAt: isoTime(latest.timeMs), ratePctPerHour: forecast.ratePctPerHour }),
        ...(thresholdAt === undefined ? {} : { thresholdAt: isoTime(thresholdAt) }),
        ...(forecast.emptiedAtMs === undefined ? {} : { lastEmptiedAt: isoTime(forecast.emptiedAtMs) }),
        ...(state.condition === undefined ? {} : { condition: state.condition }),
        ...(pickup === undefined ? {} : { plannedPickup: { planId: pickup.planId, routeId: pickup.routeId, truckId: pickup.truckId, etaAt: isoTime(pickup.etaMs) } }),
      };
    });
  },
});

function refusalOf(source: CloudEvent, ref: string, refusal: Refusal, paths: { time: string; fill: string }): Rejection {
  return { source: source.type, ref, code: refusal.code, path: refusal.field === 'time' ? paths.time : paths.fill, reason: refusal.reason };
}
