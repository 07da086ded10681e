import type { waste } from '@polis/contracts';
import type { EventData } from '@polis/plugin-api';

type Plan = EventData<typeof waste.CollectionPlanned>;

/** A truck's route being driven: its stops and which of them are emptied. */
interface ActiveRoute {
  readonly planId: string;
  readonly routeId: string;
  readonly truckId: string;
  readonly returnAtMs: number;
  readonly etaMsByBin: ReadonlyMap<string, number>;
  readonly emptied: ReadonlySet<string>;
}

/** A pickup as the plan sees it. */
export type PickupMatch =
  | { readonly planned: true; readonly planId: string; readonly routeId: string; readonly minutesLate: number; readonly duplicate: boolean }
  | { readonly planned: false };

/** A finished route: what was emptied and what was missed. */
export interface RouteOutcome {
  readonly planId: string;
  readonly routeId: string;
  readonly truckId: string;
  readonly emptied: number;
  readonly missed: readonly string[];
}

/**
 * The routes trucks are driving, from the published plans until each truck reports it returned.
 * Queries are pure; `record*` methods change it and are called once the handler's events are
 * published, so a retried handler finds it as it was.
 */
export class RouteTracker {
  readonly #routes = new Map<string, ActiveRoute>();

  /** Routes of a published plan; a truck's earlier unfinished route is replaced (the new plan took it over). */
  recordPlan(plan: Plan): void {
    for (const route of plan.routes) {
      this.#routes.set(route.truckId, {
        planId: plan.planId,
        routeId: route.routeId,
        truckId: route.truckId,
        returnAtMs: Date.parse(route.returnAt),
        etaMsByBin: new Map(route.stops.map((stop) => [stop.binId, Date.parse(stop.etaAt)])),
        emptied: new Set(),
      });
    }
  }

  /** Whether the bin is a stop of the truck's route, how late, and whether it was confirmed already. */
  matchPickup(truckId: string, binId: string, emptiedAtMs: number): PickupMatch {
    const route = this.#routes.get(truckId);
    const etaMs = route?.etaMsByBin.get(binId);
    if (route === undefined || etaMs === undefined) return { planned: false };
    return { planned: true, planId: route.planId, routeId: route.routeId, minutesLate: Math.round((emptiedAtMs - etaMs) / 6000) / 10, duplicate: route.emptied.has(binId) };
  }

  recordPickup(truckId: string, binId: string): void {
    const route = this.#routes.get(truckId);
    if (route?.etaMsByBin.has(binId) === true) this.#routes.set(truckId, { ...route, emptied: new Set([...route.emptied, binId]) });
  }

  /** The truck's route as it ends now, or undefined when the truck drives none. */
  outcomeOf(truckId: string): RouteOutcome | undefined {
    const route = this.#routes.get(truckId);
    if (route === undefined) return undefined;
    const missed = [...route.etaMsByBin.keys()].filter((binId) => !route.emptied.has(binId));
    return { planId: route.planId, routeId: route.routeId, truckId, emptied: route.emptied.size, missed };
  }

  recordReturn(truckId: string): void {
    this.#routes.delete(truckId);
  }

  /**
   * The planned, not yet emptied pickup of a bin, if any. A route whose truck was due back before
   * `atMs` and never reported no longer counts: its bins are up for the next plan.
   */
  plannedPickup(binId: string, atMs = -Infinity): { readonly planId: string; readonly routeId: string; readonly truckId: string; readonly etaMs: number } | undefined {
    for (const route of this.#routes.values()) {
      const etaMs = route.etaMsByBin.get(binId);
      if (etaMs !== undefined && !route.emptied.has(binId) && route.returnAtMs > atMs) return { planId: route.planId, routeId: route.routeId, truckId: route.truckId, etaMs };
    }
    return undefined;
  }

  /** Whether the truck is still out on a route that ends after `timeMs`. */
  busyAt(truckId: string, timeMs: number): boolean {
    const route = this.#routes.get(truckId);
    return route !== undefined && route.returnAtMs > timeMs;
  }
}
