import type { SeededRandom } from './random.js';
import type { RouteSet } from './route-set.js';

/** Where a customer would go: before `position` (1-based; `length + 1` appends) of `vehicle`'s route. */
export interface Insertion {
  vehicle: number;
  position: number;
  /** What the insertion adds to the route's cost. */
  added: number;
}

/**
 * The cheapest place for an unassigned customer that keeps every route within its vehicle's
 * capacity and duration, considering each route in use and one unused vehicle of each kind; or
 * undefined when it fits nowhere. With `blinkRate` > 0 each position is skipped with that
 * probability (the "blinks" of Christiaens and Vanden Berghe's SISR), which diversifies a
 * ruin-and-recreate search; 0 gives the plain cheapest insertion.
 */
export function cheapestInsertion(set: RouteSet, customer: number, random: SeededRandom | undefined, blinkRate: number, best: Insertion): Insertion | undefined {
  const problem = set.problem;
  const size = problem.size;
  const cost = problem.cost;
  const demand = problem.demand[customer]!;
  const service = problem.service[customer]!;
  best.added = Infinity;
  const emptyClassSeen = new Uint8Array(problem.classCount);
  for (let vehicle = 0; vehicle < set.routes.length; vehicle++) {
    const route = set.routes[vehicle]!;
    if (route.length === 0) {
      const kind = problem.vehicleClass[vehicle]!;
      if (emptyClassSeen[kind] === 1) continue;
      emptyClassSeen[kind] = 1;
    }
    if (set.load[vehicle]! + demand > problem.vehicleCapacity[vehicle]! + 1e-9) continue;
    const durationLeft = problem.vehicleMaxDuration[vehicle]! - set.cost[vehicle]! - set.serviceTime[vehicle]! - service;
    const depot = problem.vehicleDepot[vehicle]!;
    let previous = depot;
    for (let position = 1; position <= route.length + 1; position++) {
      const next = position <= route.length ? route[position - 1]! : depot;
      // An empty route's depot-to-depot "arc" costs nothing.
      const removed = route.length === 0 ? 0 : cost[previous * size + next]!;
      const added = cost[previous * size + customer]! + cost[customer * size + next]! - removed;
      if (added < best.added && added <= durationLeft + 1e-9 && (blinkRate === 0 || random!.next() >= blinkRate)) {
        best.vehicle = vehicle;
        best.position = position;
        best.added = added;
      }
      previous = next;
    }
  }
  return best.added === Infinity ? undefined : best;
}

/** Inserts a customer where {@link cheapestInsertion} said. */
export function insertAt(set: RouteSet, customer: number, insertion: Insertion): void {
  const route = set.routes[insertion.vehicle]!;
  const updated = route.slice(0, insertion.position - 1);
  updated.push(customer);
  for (let i = insertion.position - 1; i < route.length; i++) updated.push(route[i]!);
  set.setRoute(insertion.vehicle, updated);
  set.unassignedCount--;
}
