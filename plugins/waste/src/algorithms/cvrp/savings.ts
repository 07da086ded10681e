import { cheapestInsertion, insertAt } from './insertion.js';
import type { Insertion } from './insertion.js';
import type { RouteSet } from './route-set.js';

/** A route under construction: customers linked head to tail. */
interface Chain {
  head: number;
  tail: number;
  load: number;
  cost: number;
  service: number;
  depot: number;
}

/**
 * Clarke and Wright's parallel savings heuristic (1964), for several depots and a fixed fleet.
 * Each customer starts on its own route from its nearest depot (round trip); routes from the same
 * depot are joined end to start in order of the saving `c(i, depot) + c(depot, j) - c(i, j)` (both
 * directions, so asymmetric costs are right) while the joined route still fits the depot's largest
 * vehicle. The routes then go to vehicles, largest load first, each to the smallest free vehicle
 * of its depot that can drive it. Customers of routes no vehicle can take, and customers no
 * vehicle can serve from their depot, are inserted where they cost least; what fits nowhere stays
 * unassigned. Deterministic: ties are broken by customer number.
 */
export function clarkeWright(set: RouteSet): void {
  const problem = set.problem;
  const { n, size, cost, vehicleDepot, vehicleCapacity, vehicleMaxDuration } = problem;
  const arc = (from: number, to: number) => cost[from * size + to]!;

  // The largest capacity and duration among each depot's vehicles bound what a merge may make.
  const capacityOf = new Map<number, number>();
  const durationOf = new Map<number, number>();
  for (let v = 0; v < vehicleDepot.length; v++) {
    const depot = vehicleDepot[v]!;
    capacityOf.set(depot, Math.max(capacityOf.get(depot) ?? 0, vehicleCapacity[v]!));
    durationOf.set(depot, Math.max(durationOf.get(depot) ?? 0, vehicleMaxDuration[v]!));
  }
  const depots = [...capacityOf.keys()].sort((a, b) => a - b);

  const chainOf = new Array<Chain | undefined>(n);
  const next = new Int32Array(n).fill(-1);
  const leftOver: number[] = [];
  for (let c = 0; c < n; c++) {
    // The nearest depot from which some vehicle can serve the customer alone.
    let home = -1;
    let homeCost = Infinity;
    for (const depot of depots) {
      const roundTrip = arc(depot, c) + arc(c, depot);
      if (roundTrip < homeCost && problem.demand[c]! <= capacityOf.get(depot)! + 1e-9 && roundTrip + problem.service[c]! <= durationOf.get(depot)! + 1e-9) {
        home = depot;
        homeCost = roundTrip;
      }
    }
    if (home === -1) continue;
    chainOf[c] = { head: c, tail: c, load: problem.demand[c]!, cost: homeCost, service: problem.service[c]!, depot: home };
  }

  const savings: { i: number; j: number; saving: number }[] = [];
  for (let i = 0; i < n; i++) {
    const chainI = chainOf[i];
    if (chainI === undefined) continue;
    for (let j = 0; j < n; j++) {
      const chainJ = chainOf[j];
      if (i === j || chainJ === undefined || chainI.depot !== chainJ.depot) continue;
      const saving = arc(i, chainI.depot) + arc(chainI.depot, j) - arc(i, j);
      if (saving > 0) savings.push({ i, j, saving });
    }
  }
  savings.sort((a, b) => b.saving - a.saving || a.i - b.i || a.j - b.j);

  for (const { i, j, saving } of savings) {
    const first = chainOf[i]!;
    const second = chainOf[j]!;
    // i must end its route and j start another.
    if (first === second || first.tail !== i || second.head !== j) continue;
    const load = first.load + second.load;
    const merged = first.cost + second.cost - saving;
    const service = first.service + second.service;
    if (load > capacityOf.get(first.depot)! + 1e-9 || merged + service > durationOf.get(first.depot)! + 1e-9) continue;
    next[i] = j;
    first.tail = second.tail;
    first.load = load;
    first.cost = merged;
    first.service = service;
    for (let c = j; c !== -1; c = next[c]!) chainOf[c] = first;
  }

  // Vehicles: largest loads first, each to the smallest free vehicle of its depot that can drive it.
  const chains = [...new Set(chainOf.filter((chain): chain is Chain => chain !== undefined))];
  chains.sort((a, b) => b.load - a.load || a.head - b.head);
  const taken = new Uint8Array(vehicleDepot.length);
  for (const chain of chains) {
    let chosen = -1;
    for (let v = 0; v < vehicleDepot.length; v++) {
      if (taken[v] === 1 || vehicleDepot[v] !== chain.depot) continue;
      if (chain.load > vehicleCapacity[v]! + 1e-9 || chain.cost + chain.service > vehicleMaxDuration[v]! + 1e-9) continue;
      if (chosen === -1 || vehicleCapacity[v]! < vehicleCapacity[chosen]!) chosen = v;
    }
    const customers: number[] = [];
    for (let c = chain.head; c !== -1; c = next[c]!) customers.push(c);
    if (chosen === -1) {
      leftOver.push(...customers);
      continue;
    }
    taken[chosen] = 1;
    set.setRoute(chosen, customers);
  }
  set.recountUnassigned();

  for (let c = 0; c < n; c++) if (chainOf[c] === undefined) leftOver.push(c);
  leftOver.sort((a, b) => problem.demand[b]! - problem.demand[a]! || a - b);
  const insertion: Insertion = { vehicle: 0, position: 0, added: 0 };
  for (const customer of leftOver) {
    if (cheapestInsertion(set, customer, undefined, 0, insertion) !== undefined) insertAt(set, customer, insertion);
  }
}
