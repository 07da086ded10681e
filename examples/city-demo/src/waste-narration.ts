import { waste } from '@polis/contracts';
import type { CloudEvent, EventData, EventDefinition, Logger } from '@polis/plugin-api';

const is = <E extends EventDefinition>(event: CloudEvent, definition: E): event is CloudEvent<EventData<E>> => event.type === definition.type;

/** Pickups narrated per route; the rest are counted (a route has dozens). */
const PICKUPS_TOLD_PER_ROUTE = 2;

const minutes = (seconds: number) => `${Math.round(seconds / 60)} min`;
const inMinutes = (at: string, from: string) => `${Math.round((Date.parse(at) - Date.parse(from)) / 60_000)} min`;

/**
 * The operator's view of waste collection in the demo city: the morning round's request, its plan
 * and each truck's route, the first pickups of each route, overflows and finished routes, and
 * the counts for the summary. The city log hands it every event; it says whether the event was its.
 */
export class WasteNarration {
  readonly #logger: Logger;
  readonly #told = new Map<string, number>();
  readonly counts = { plans: 0, routes: 0, bins: 0, pickups: 0, overflows: 0, rejected: 0 };

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Narrates a waste event; false for events of other domains. */
  narrate(event: CloudEvent): boolean {
    if (!event.type.startsWith('waste.')) return false;
    const log = this.#logger;
    if (is(event, waste.CollectionRequested)) {
      log.info(`COLLECTION ${event.data.reason ?? 'a round'} requested, shift starting in ${inMinutes(event.data.shiftStart, event.time)}`);
    } else if (is(event, waste.CollectionPlanned)) {
      const d = event.data;
      const bins = d.routes.reduce((sum, route) => sum + route.stops.length, 0);
      const km = d.routes.reduce((sum, route) => sum + route.lengthM, 0) / 1000;
      const m3 = d.routes.reduce((sum, route) => sum + route.loadL, 0) / 1000;
      const saved = d.solver.constructionDrivingS > 0 ? (1 - d.solver.drivingS / d.solver.constructionDrivingS) * 100 : 0;
      this.counts.plans++;
      this.counts.routes += d.routes.length;
      this.counts.bins += bins;
      log.info(
        `COLLECTION plan ${d.planId}: ${d.routes.length} ${d.routes.length === 1 ? 'truck' : 'trucks'} for ${bins} bins, ${km.toFixed(1)} km, ${m3.toFixed(1)} m3, on ${d.travelTimes} travel times; ` +
          `${d.solver.iterations} search steps in ${d.solver.elapsedMs} ms drive ${saved.toFixed(1)} % less than Clarke-Wright${d.deferred.length > 0 ? `; ${d.deferred.length} bins deferred (${d.deferred[0]!.reason})` : ''}`,
      );
      for (const route of d.routes) {
        log.info(
          `ROUTE      ${route.truckId} from ${route.depotId}: ${route.stops.length} bins, ${(route.lengthM / 1000).toFixed(1)} km, ${minutes(route.durationS)} ` +
            `(${minutes(route.drivingS)} driving), ${(route.loadL / 1000).toFixed(1)} of ${(route.capacityL / 1000).toFixed(1)} m3, first bin ${route.stops[0]!.binId} in ${inMinutes(route.stops[0]!.etaAt, event.time)}`,
        );
      }
    } else if (is(event, waste.PickupConfirmed)) {
      this.counts.pickups++;
      const d = event.data;
      const told = this.#told.get(d.truckId) ?? 0;
      const line = `PICKUP     ${d.truckId} emptied ${d.binId}${d.planned ? `, ${(d.minutesLate ?? 0).toFixed(1)} min after its ETA` : ', not on its route'}`;
      if (told < PICKUPS_TOLD_PER_ROUTE) log.info(line);
      else log.debug(line);
      this.#told.set(d.truckId, told + 1);
    } else if (is(event, waste.BinOverflowed)) {
      this.counts.overflows++;
      const d = event.data;
      const pickup = d.plannedPickupAt === undefined ? 'no truck planned yet' : `its truck due in ${inMinutes(d.plannedPickupAt, d.observedAt)}`;
      log.info(`OVERFLOW   ${d.binId}${d.wasteKind === undefined ? '' : ` (${d.wasteKind})`} at ${d.fillPct} % before its pickup: ${pickup}`);
    } else if (is(event, waste.RouteCompleted)) {
      const d = event.data;
      log.info(`ROUTE      ${d.truckId} back at the depot: ${d.emptied} bins emptied, ${d.missed.length} missed`);
    } else if (is(event, waste.ReadingRejected)) {
      this.counts.rejected++;
      log.warn(`REJECTED   ${event.data.source} ${event.data.ref}: ${event.data.code} at ${event.data.path}: ${event.data.reason}`);
    }
    return true;
  }

  /** The summary's part: `1 collection plan, 4 routes (123 bins), 12 pickups, 1 overflow`. */
  summary(): string {
    const { plans, routes, bins, pickups, overflows } = this.counts;
    return `${plans} collection ${plans === 1 ? 'plan' : 'plans'}, ${routes} routes (${bins} bins), ${pickups} pickups, ${overflows} ${overflows === 1 ? 'overflow' : 'overflows'}`;
  }
}
