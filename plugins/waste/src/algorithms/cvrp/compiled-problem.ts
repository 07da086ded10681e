import type { CvrpProblem } from './problem.js';

/**
 * A problem in the solver's own numbering, in flat typed arrays: customers are nodes 0..n-1 and
 * the distinct depots follow (n..n+d-1), so the hot loops index one `Float64Array` and never
 * look anything up. Built once per solve.
 */
export class CompiledProblem {
  /** Customers. */
  readonly n: number;
  /** Customers plus distinct depots: the side of `cost`. */
  readonly size: number;
  /** `cost[i * size + j]`. */
  readonly cost: Float64Array;
  readonly demand: Float64Array;
  readonly service: Float64Array;
  /** Per vehicle: its depot's node, capacity and longest duration (Infinity when unlimited). */
  readonly vehicleDepot: Int32Array;
  readonly vehicleCapacity: Float64Array;
  readonly vehicleMaxDuration: Float64Array;
  /** The most any vehicle can carry. */
  readonly maxCapacity: number;
  /**
   * Vehicles that are interchangeable (same depot, capacity and duration) share a class; an empty
   * route of each class is enough to consider when a move opens a new route.
   */
  readonly vehicleClass: Int32Array;
  readonly classCount: number;
  /** Each customer's nearest customers (by the mean of both directions), nearest first. */
  readonly neighbours: readonly Int32Array[];
  /** Largest finite arc cost: the scale for penalties and temperatures. */
  readonly maxArc: number;
  /** Each customer's round trip to its nearest depot (Infinity when no depot reaches it). */
  readonly depotRoundTrip: Float64Array;

  constructor(problem: CvrpProblem, neighbourCount: number) {
    const n = problem.customers.length;
    const depotNodes = new Map<number, number>();
    for (const vehicle of problem.vehicles) if (!depotNodes.has(vehicle.depot)) depotNodes.set(vehicle.depot, n + depotNodes.size);
    const size = n + depotNodes.size;
    const pointOf = new Int32Array(size);
    problem.customers.forEach((customer, c) => (pointOf[c] = customer.point));
    for (const [point, node] of depotNodes) pointOf[node] = point;

    this.n = n;
    this.size = size;
    this.cost = new Float64Array(size * size);
    let maxArc = 0;
    for (let i = 0; i < size; i++) {
      const row = problem.costs[pointOf[i]!]!;
      for (let j = 0; j < size; j++) {
        const value = i === j ? 0 : row[pointOf[j]!]!;
        this.cost[i * size + j] = value;
        if (value !== Infinity && value > maxArc) maxArc = value;
      }
    }
    this.maxArc = maxArc;
    this.demand = Float64Array.from(problem.customers, (customer) => customer.demand);
    this.service = Float64Array.from(problem.customers, (customer) => customer.serviceTime ?? 0);

    const vehicles = problem.vehicles;
    this.vehicleDepot = Int32Array.from(vehicles, (vehicle) => depotNodes.get(vehicle.depot)!);
    this.vehicleCapacity = Float64Array.from(vehicles, (vehicle) => vehicle.capacity);
    this.vehicleMaxDuration = Float64Array.from(vehicles, (vehicle) => vehicle.maxDuration ?? Infinity);
    this.maxCapacity = vehicles.reduce((max, vehicle) => Math.max(max, vehicle.capacity), 0);
    const classes = new Map<string, number>();
    this.vehicleClass = Int32Array.from(vehicles, (vehicle) => {
      const key = `${vehicle.depot}|${vehicle.capacity}|${vehicle.maxDuration ?? Infinity}`;
      if (!classes.has(key)) classes.set(key, classes.size);
      return classes.get(key)!;
    });
    this.classCount = classes.size;

    this.depotRoundTrip = Float64Array.from({ length: n }, (_, c) => {
      let best = Infinity;
      for (let d = n; d < size; d++) best = Math.min(best, this.cost[d * size + c]! + this.cost[c * size + d]!);
      return best;
    });

    this.neighbours = nearestNeighbours(this.cost, n, size, Math.max(0, Math.min(neighbourCount, n - 1)));
  }

  arc(from: number, to: number): number {
    return this.cost[from * this.size + to]!;
  }
}

/**
 * Each customer's `k` nearest customers by the sum of both directions' costs, nearest first, ties
 * by number. A bounded insertion per candidate instead of a full sort: O(n k) per customer at worst,
 * and nearly O(n), since most candidates are farther than the k-th found so far.
 */
function nearestNeighbours(cost: Float64Array, n: number, size: number, k: number): Int32Array[] {
  const lists: Int32Array[] = [];
  const near = new Int32Array(k);
  const distance = new Float64Array(k);
  for (let c = 0; c < n; c++) {
    let found = 0;
    for (let j = 0; j < n; j++) {
      if (j === c) continue;
      const d = cost[c * size + j]! + cost[j * size + c]!;
      // Later j never beats an equal distance: ties stay in customer order.
      if (found === k && !(d < distance[k - 1]!)) continue;
      let at = found < k ? found++ : k - 1;
      while (at > 0 && d < distance[at - 1]!) {
        near[at] = near[at - 1]!;
        distance[at] = distance[at - 1]!;
        at--;
      }
      near[at] = j;
      distance[at] = d;
    }
    lists.push(near.slice(0, found));
  }
  return lists;
}
