import type { CvrpProblem } from './problem.js';

/** What a plan must say to be checked: its routes and the customers it left out. */
export interface CheckedPlan {
  readonly routes: readonly { readonly vehicle: number; readonly customers: readonly number[]; readonly cost?: number }[];
  readonly unassigned: readonly number[];
}

/**
 * Everything wrong with a plan, recomputed from the problem alone (none of the solver's own
 * bookkeeping): every customer served once or listed unassigned, each vehicle used once, loads
 * within capacity, durations (driving plus service) within the longest route, stated costs right.
 * An empty list means the plan is feasible.
 */
export function cvrpPlanViolations(problem: CvrpProblem, plan: CheckedPlan): string[] {
  const violations: string[] = [];
  const seen = new Map<number, string>();
  const record = (customer: number, where: string) => {
    if (!Number.isInteger(customer) || customer < 0 || customer >= problem.customers.length) violations.push(`${where}: no customer ${customer}`);
    else if (seen.has(customer)) violations.push(`customer ${customer} is in ${seen.get(customer)} and in ${where}`);
    else seen.set(customer, where);
  };
  const vehiclesUsed = new Set<number>();
  for (const route of plan.routes) {
    const where = `the route of vehicle ${route.vehicle}`;
    const vehicle = problem.vehicles[route.vehicle];
    if (vehicle === undefined) {
      violations.push(`${where}: no such vehicle`);
      continue;
    }
    if (vehiclesUsed.has(route.vehicle)) violations.push(`vehicle ${route.vehicle} drives two routes`);
    vehiclesUsed.add(route.vehicle);
    let load = 0;
    let cost = 0;
    let service = 0;
    let at = vehicle.depot;
    for (const customer of route.customers) {
      record(customer, where);
      const spec = problem.customers[customer];
      if (spec === undefined) continue;
      load += spec.demand;
      service += spec.serviceTime ?? 0;
      cost += problem.costs[at]![spec.point]!;
      at = spec.point;
    }
    if (route.customers.length > 0) cost += problem.costs[at]![vehicle.depot]!;
    if (load > vehicle.capacity + 1e-9) violations.push(`${where}: load ${load} exceeds capacity ${vehicle.capacity}`);
    const maxDuration = vehicle.maxDuration ?? Infinity;
    if (cost + service > maxDuration + 1e-9) violations.push(`${where}: duration ${cost + service} exceeds ${maxDuration}`);
    if (!Number.isFinite(cost)) violations.push(`${where}: drives an arc with no road`);
    if (route.cost !== undefined && Math.abs(route.cost - cost) > 1e-6 * Math.max(1, cost)) violations.push(`${where}: states cost ${route.cost}, drives ${cost}`);
  }
  for (const customer of plan.unassigned) record(customer, 'the unassigned list');
  for (let customer = 0; customer < problem.customers.length; customer++) if (!seen.has(customer)) violations.push(`customer ${customer} is neither served nor listed unassigned`);
  return violations;
}

/** Total driving cost of routes given as customer lists, recomputed from the problem. */
export function cvrpRoutesCost(problem: CvrpProblem, routes: readonly { readonly vehicle: number; readonly customers: readonly number[] }[]): number {
  let total = 0;
  for (const route of routes) {
    const depot = problem.vehicles[route.vehicle]!.depot;
    let at = depot;
    for (const customer of route.customers) {
      const point = problem.customers[customer]!.point;
      total += problem.costs[at]![point]!;
      at = point;
    }
    if (route.customers.length > 0) total += problem.costs[at]![depot]!;
  }
  return total;
}
