/**
 * A capacitated vehicle routing problem (CVRP) over a cost matrix: customers with a demand and a
 * service time, vehicles with a depot, a capacity and a longest route duration. Each vehicle drives
 * at most one route, from its depot and back. The cost of a route is the sum of its arcs' costs;
 * its duration is that sum plus the service times of its customers, so the matrix must be in
 * time units whenever a vehicle has a `maxDuration`.
 */
export interface CvrpProblem {
  /**
   * `costs[i][j]`: the cost of driving from point i to point j (seconds, or distance). May be
   * asymmetric (one-way streets); `Infinity` marks a pair with no road between them.
   */
  readonly costs: readonly (readonly number[])[];
  readonly customers: readonly CvrpCustomer[];
  readonly vehicles: readonly CvrpVehicle[];
}

export interface CvrpCustomer {
  /** Row and column of the customer in `costs`. */
  readonly point: number;
  readonly demand: number;
  /** Time spent at the customer, in the matrix's time unit; counts toward the route's duration. Default 0. */
  readonly serviceTime?: number;
}

export interface CvrpVehicle {
  /** Row and column of the vehicle's depot in `costs`. */
  readonly depot: number;
  readonly capacity: number;
  /** Longest route (driving plus service); default unlimited. */
  readonly maxDuration?: number;
}

/** One thing wrong with a problem, with where it is (`customers[3].demand`). */
export interface CvrpProblemIssue {
  readonly path: string;
  readonly message: string;
}

/** Every problem with a problem's data, not just the first, so a caller can report them all. */
export function cvrpProblemIssues(problem: CvrpProblem): CvrpProblemIssue[] {
  const issues: CvrpProblemIssue[] = [];
  const size = problem.costs.length;
  problem.costs.forEach((row, i) => {
    if (row.length !== size) issues.push({ path: `costs[${i}]`, message: `must have ${size} entries (the matrix is square), has ${row.length}` });
    row.forEach((cost, j) => {
      if (Number.isNaN(cost) || cost < 0) issues.push({ path: `costs[${i}][${j}]`, message: `must be a number >= 0 or Infinity, got ${cost}` });
    });
  });
  const point = (value: number, path: string) => {
    if (!Number.isInteger(value) || value < 0 || value >= size) issues.push({ path, message: `must be a point of the matrix (an integer in 0..${size - 1}), got ${value}` });
  };
  const finite = (value: number | undefined, path: string, strictlyPositive: boolean) => {
    if (value === undefined) return;
    const ok = strictlyPositive ? value > 0 : value >= 0;
    if (!ok || Number.isNaN(value)) issues.push({ path, message: `must be a number ${strictlyPositive ? '> 0' : '>= 0'}, got ${value}` });
  };
  const depots = new Set<number>();
  problem.vehicles.forEach((vehicle, v) => {
    point(vehicle.depot, `vehicles[${v}].depot`);
    depots.add(vehicle.depot);
    finite(vehicle.capacity, `vehicles[${v}].capacity`, true);
    finite(vehicle.maxDuration, `vehicles[${v}].maxDuration`, true);
  });
  problem.customers.forEach((customer, c) => {
    point(customer.point, `customers[${c}].point`);
    if (depots.has(customer.point)) issues.push({ path: `customers[${c}].point`, message: `point ${customer.point} is a depot` });
    if (!Number.isFinite(customer.demand) || customer.demand < 0) issues.push({ path: `customers[${c}].demand`, message: `must be a finite number >= 0, got ${customer.demand}` });
    const service = customer.serviceTime;
    if (service !== undefined && (!Number.isFinite(service) || service < 0)) issues.push({ path: `customers[${c}].serviceTime`, message: `must be a finite number >= 0, got ${service}` });
  });
  return issues;
}
