import { cheapestInsertion, insertAt } from './insertion.js';
import type { Insertion } from './insertion.js';
import type { RouteSet } from './route-set.js';

const EPSILON = 1e-9;

/**
 * Clarke and Wright's parallel savings heuristic (1964), for several depots and a fixed fleet.
 * Each customer starts on its own route from its nearest depot (round trip); routes from the same
 * depot are joined end to start in order of the saving `c(i, depot) + c(depot, j) - c(i, j)` (both
 * directions, so asymmetric costs are right) while the joined route still fits the depot's largest
 * vehicle. Only pairs of near neighbours are considered (the granular savings of Toth and Vigo):
 * the saving of joining far-apart customers is small or negative, and the list stays O(n k)
 * instead of O(n^2), so a first plan for 500 bins takes milliseconds. The routes then go to
 * vehicles, largest load first, each to the smallest free vehicle of its depot that can drive it.
 * Customers of routes no vehicle can take, and customers no vehicle can serve from their depot,
 * are inserted where they cost least; what fits nowhere stays unassigned. Deterministic: ties are
 * broken by customer number.
 */
export function clarkeWright(set: RouteSet): void {
  const problem = set.problem;
  const { n, size, cost, vehicleDepot, vehicleCapacity, vehicleMaxDuration, neighbours } = problem;

  // The largest capacity and duration among each depot's vehicles bound what a merge may make.
  const capacityOf = new Map<number, number>();
  const durationOf = new Map<number, number>();
  for (let v = 0; v < vehicleDepot.length; v++) {
    const depot = vehicleDepot[v]!;
    capacityOf.set(depot, Math.max(capacityOf.get(depot) ?? 0, vehicleCapacity[v]!));
    durationOf.set(depot, Math.max(durationOf.get(depot) ?? 0, vehicleMaxDuration[v]!));
  }
  const depots = [...capacityOf.keys()].sort((a, b) => a - b);

  // Routes as chains: next/previous customer, and at each end the other end and the route's sums.
  const next = new Int32Array(n).fill(-1);
  const previous = new Int32Array(n).fill(-1);
  const otherEnd = new Int32Array(n).fill(-1);
  const depotOf = new Int32Array(n).fill(-1);
  const load = new Float64Array(n);
  const routeCost = new Float64Array(n);
  const service = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    // The nearest depot from which some vehicle can serve the customer alone.
    let homeCost = Infinity;
    for (const depot of depots) {
      const roundTrip = cost[depot * size + c]! + cost[c * size + depot]!;
      if (roundTrip < homeCost && problem.demand[c]! <= capacityOf.get(depot)! + EPSILON && roundTrip + problem.service[c]! <= durationOf.get(depot)! + EPSILON) {
        depotOf[c] = depot;
        homeCost = roundTrip;
      }
    }
    otherEnd[c] = c;
    load[c] = problem.demand[c]!;
    routeCost[c] = homeCost;
    service[c] = problem.service[c]!;
  }

  const pairs: number[] = [];
  const savings: number[] = [];
  const consider = (i: number, j: number) => {
    const depot = depotOf[i]!;
    if (depot === -1 || depot !== depotOf[j]) return;
    const saving = cost[i * size + depot]! + cost[depot * size + j]! - cost[i * size + j]!;
    if (saving > 0) {
      pairs.push(i * n + j);
      savings.push(saving);
    }
  };
  for (let i = 0; i < n; i++) {
    for (const j of neighbours[i]!) {
      consider(i, j);
      consider(j, i);
    }
  }
  const order = Array.from(savings.keys()).sort((a, b) => savings[b]! - savings[a]! || pairs[a]! - pairs[b]!);

  for (const k of order) {
    const i = Math.floor(pairs[k]! / n);
    const j = pairs[k]! % n;
    // i must end its route and j start another.
    if (next[i] !== -1 || previous[j] !== -1 || otherEnd[i] === j) continue;
    const head = otherEnd[i]!;
    const tail = otherEnd[j]!;
    const depot = depotOf[i]!;
    const joinedLoad = load[i]! + load[j]!;
    const joinedCost = routeCost[i]! + routeCost[j]! - savings[k]!;
    const joinedService = service[i]! + service[j]!;
    if (joinedLoad > capacityOf.get(depot)! + EPSILON || joinedCost + joinedService > durationOf.get(depot)! + EPSILON) continue;
    next[i] = j;
    previous[j] = i;
    otherEnd[head] = tail;
    otherEnd[tail] = head;
    for (const end of [head, tail]) {
      load[end] = joinedLoad;
      routeCost[end] = joinedCost;
      service[end] = joinedService;
    }
  }

  // Vehicles: largest loads first, each to the smallest free vehicle of its depot that can drive it.
  const heads: number[] = [];
  for (let c = 0; c < n; c++) if (depotOf[c] !== -1 && previous[c] === -1) heads.push(c);
  heads.sort((a, b) => load[b]! - load[a]! || a - b);
  const taken = new Uint8Array(vehicleDepot.length);
  const leftOver: number[] = [];
  for (const head of heads) {
    let chosen = -1;
    for (let v = 0; v < vehicleDepot.length; v++) {
      if (taken[v] === 1 || vehicleDepot[v] !== depotOf[head]) continue;
      if (load[head]! > vehicleCapacity[v]! + EPSILON || routeCost[head]! + service[head]! > vehicleMaxDuration[v]! + EPSILON) continue;
      if (chosen === -1 || vehicleCapacity[v]! < vehicleCapacity[chosen]!) chosen = v;
    }
    const customers: number[] = [];
    for (let c = head; c !== -1; c = next[c]!) customers.push(c);
    if (chosen === -1) {
      leftOver.push(...customers);
      continue;
    }
    taken[chosen] = 1;
    set.setRoute(chosen, customers);
  }
  set.recountUnassigned();

  for (let c = 0; c < n; c++) if (depotOf[c] === -1) leftOver.push(c);
  leftOver.sort((a, b) => problem.demand[b]! - problem.demand[a]! || a - b);
  const insertion: Insertion = { vehicle: 0, position: 0, added: 0 };
  for (const customer of leftOver) {
    if (cheapestInsertion(set, customer, undefined, 0, insertion) !== undefined) insertAt(set, customer, insertion);
  }
}
