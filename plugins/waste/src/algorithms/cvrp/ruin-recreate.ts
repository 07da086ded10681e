import { cheapestInsertion, insertAt } from './insertion.js';
import type { Insertion } from './insertion.js';
import type { SeededRandom } from './random.js';
import { RouteCosting } from './route-set.js';
import type { RouteSet } from './route-set.js';

/** How hard a perturbation shakes the solution. */
export interface RuinOptions {
  /** Mean number of customers removed (SISR's c-bar; 10 in the paper). */
  readonly averageRemoved: number;
  /** Longest string removed from one route (SISR's L-max; 10 in the paper). */
  readonly maxStringLength: number;
  /** Probability of skipping a position while reinserting (SISR's beta; 0.01 in the paper). */
  readonly blinkRate: number;
}

export const DEFAULT_RUIN_OPTIONS: RuinOptions = { averageRemoved: 10, maxStringLength: 10, blinkRate: 0.01 };

/**
 * The perturbation of the search: a ruin and recreate step after Christiaens and Vanden Berghe's
 * SISR (Slack Induction by String Removals, Transportation Science 54(2), 2020). Strings of
 * consecutive customers are removed from a few routes near a random seed customer, so the
 * routes around it gain slack; the removed customers (and any that were unassigned) are put back
 * one by one at their cheapest feasible place, in one of SISR's orders (random, largest demand
 * first, farthest from the depot first, nearest first), skipping positions with a small
 * probability. Returns the vehicles whose routes changed.
 */
export function ruinAndRecreate(set: RouteSet, random: SeededRandom, options: RuinOptions): number[] {
  const problem = set.problem;
  const changed = new Set<number>();
  const removed: number[] = [];
  const costing = new RouteCosting(set);

  let assigned = 0;
  let routesInUse = 0;
  for (const route of set.routes) {
    assigned += route.length;
    if (route.length > 0) routesInUse++;
  }
  if (assigned > 0) {
    const stringMax = Math.min(options.maxStringLength, assigned / routesInUse);
    const stringsMax = (4 * options.averageRemoved) / (1 + stringMax) - 1;
    const strings = Math.floor(random.next() * stringsMax) + 1;
    let seed = random.below(problem.n);
    while (set.routeOf[seed] === -1) seed = (seed + 1) % problem.n;
    const around = problem.neighbours[seed]!;
    for (let k = -1; k < around.length && changed.size < strings; k++) {
      const customer = k === -1 ? seed : around[k]!;
      const vehicle = set.routeOf[customer]!;
      if (vehicle === -1 || changed.has(vehicle)) continue;
      const route = set.routes[vehicle]!;
      const length = Math.floor(random.next() * Math.min(route.length, stringMax)) + 1;
      // A string of that length containing the customer, placed at random.
      const position = set.positionOf[customer]!;
      const lowest = Math.max(1, position - length + 1);
      const highest = Math.min(position, route.length - length + 1);
      const start = lowest + random.below(highest - lowest + 1);
      // Costs need not keep the triangle inequality, and some roads are missing: the route left
      // without the string may drive an arc with no road, or past its shift. It keeps its string,
      // since every plan the search holds must be feasible.
      costing.start(vehicle);
      costing.stretch(vehicle, 1, start - 1);
      costing.stretch(vehicle, start + length, route.length);
      if (costing.finish() === Infinity) continue;
      removed.push(...route.slice(start - 1, start - 1 + length));
      set.setRoute(vehicle, [...route.slice(0, start - 1), ...route.slice(start - 1 + length)]);
      changed.add(vehicle);
    }
  }
  for (let c = 0; c < problem.n; c++) if (set.routeOf[c] === -1 && !removed.includes(c)) removed.push(c);
  set.recountUnassigned();

  orderForReinsertion(set, removed, random);
  const insertion: Insertion = { vehicle: 0, position: 0, added: 0 };
  for (const customer of removed) {
    if (cheapestInsertion(set, customer, random, options.blinkRate, insertion) === undefined) continue;
    insertAt(set, customer, insertion);
    changed.add(insertion.vehicle);
  }
  return [...changed];
}

/** SISR's reinsertion orders, drawn with weights 4 : 4 : 2 : 1. */
function orderForReinsertion(set: RouteSet, customers: number[], random: SeededRandom): void {
  const problem = set.problem;
  const distance = problem.depotRoundTrip;
  // Comparisons, not subtractions: an unreachable customer's Infinity would make NaN.
  const ascending = (x: number, y: number) => (x < y ? -1 : x > y ? 1 : 0);
  const draw = random.next() * 11;
  random.shuffle(customers);
  if (draw < 4) return;
  if (draw < 8) customers.sort((a, b) => problem.demand[b]! - problem.demand[a]!);
  else if (draw < 10) customers.sort((a, b) => ascending(distance[b]!, distance[a]!));
  else customers.sort((a, b) => ascending(distance[a]!, distance[b]!));
}
