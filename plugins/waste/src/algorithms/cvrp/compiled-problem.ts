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

    const k = Math.min(neighbourCount, n - 1);
    this.neighbours = Array.from({ length: n }, (_, c) => {
      const others = Array.from({ length: n }, (__, j) => j).filter((j) => j !== c);
      const proximity = (j: number) => this.cost[c * size + j]! + this.cost[j * size + c]!;
      // Unreachable pairs are Infinity, which a subtraction would turn into NaN.
      others.sort((a, b) => {
        const pa = proximity(a);
        const pb = proximity(b);
        return pa < pb ? -1 : pa > pb ? 1 : a - b;
      });
      return Int32Array.from(others.slice(0, Math.max(0, k)));
    });
  }

  arc(from: number, to: number): number {
    return this.cost[from * this.size + to]!;
  }
}
