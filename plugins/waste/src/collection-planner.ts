import type { LatLon, waste } from '@polis/contracts';
import type { EventData } from '@polis/plugin-api';
import { cvrpPlanViolations, solveCvrp } from './algorithms/cvrp/index.js';
import type { AbortFlag, CvrpProblem } from './algorithms/cvrp/index.js';
import type { BinRegistry, BinState } from './bin-registry.js';
import type { BinConfig, TruckConfig, WasteConfig } from './config.js';
import { isoTime } from './iso-time.js';
import type { RouteTracker } from './route-tracker.js';
import type { TravelMatrix } from './travel-times-client.js';

type Plan = EventData<typeof waste.CollectionPlanned>;

/** A bin that needs a truck this shift, and why. */
export interface DueBin {
  readonly bin: BinConfig;
  readonly state: BinState;
  readonly why: 'missed' | 'overflowed' | 'forecast';
}

/**
 * The bins to collect in a shift starting at `departMs`: every bin a route missed, every bin that
 * overflowed, and every bin forecast to pass its threshold before the next shift starts (a bin
 * already past it included). Bins that never reported are not forecast and not collected; bins a
 * truck is still on its way to are left to that truck (unless it was due back before this shift).
 */
export function dueBins(registry: BinRegistry, tracker: RouteTracker, departMs: number, nextShiftStartMs: number): DueBin[] {
  const due: DueBin[] = [];
  for (const { bin, state } of registry.entries()) {
    if (state.forecast.latest === undefined || tracker.plannedPickup(bin.id, departMs) !== undefined) continue;
    if (state.missedAtMs !== undefined) due.push({ bin, state, why: 'missed' });
    else if (state.overflowedAtMs !== undefined) due.push({ bin, state, why: 'overflowed' });
    else if ((state.forecast.levelAt(nextShiftStartMs) ?? 0) >= state.thresholdPct) due.push({ bin, state, why: 'forecast' });
  }
  return due;
}

export interface PlanningInput {
  readonly planId: string;
  readonly requestId?: string;
  readonly nowMs: number;
  readonly shiftStartMs: number;
  /** When the following shift starts: a bin that would pass its threshold before then is collected now. */
  readonly nextShiftStartMs: number;
  readonly registry: BinRegistry;
  readonly tracker: RouteTracker;
  readonly config: WasteConfig;
  readonly travel: (points: readonly LatLon[]) => Promise<TravelMatrix>;
  readonly signal: AbortFlag;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Plans a shift's collection: the due bins as a capacitated vehicle routing problem on the travel
 * matrix (depots and bins), each free truck one route from its depot within its capacity (the
 * bins' forecast fill at the shift's end, in litres) and its shift (driving plus a minute or so at
 * each bin), solved by the CVRP solver with the configured seed and budget. The plan is checked
 * against the problem before it is returned: it never breaks a limit and never visits a bin twice.
 */
export async function planCollection(input: PlanningInput): Promise<Plan> {
  const { config, registry, tracker } = input;
  const departMs = Math.max(input.shiftStartMs, input.nowMs);
  const trucks = config.trucks.filter((truck) => !tracker.busyAt(truck.id, departMs));
  const shiftOf = (truck: TruckConfig) => truck.shiftS ?? config.shifts.lengthS;
  const shiftEndMs = departMs + Math.max(config.shifts.lengthS, ...trucks.map(shiftOf)) * 1000;
  const due = dueBins(registry, tracker, departMs, input.nextShiftStartMs);
  const base = { planId: input.planId, ...(input.requestId === undefined ? {} : { requestId: input.requestId }), shiftStart: isoTime(departMs), shiftEnd: isoTime(shiftEndMs) };
  if (due.length === 0 || trucks.length === 0) {
    return {
      ...base,
      routes: [],
      deferred: due.map(({ bin }) => ({ binId: bin.id, reason: 'no truck is free for the shift' })),
      travelTimes: 'live',
      solver: { seed: config.routing.seed, iterations: 0, stoppedBy: 'iterations', elapsedMs: 0, drivingS: 0, constructionDrivingS: 0 },
    };
  }

  // Points: the depots of the free trucks, then the bins.
  const depotIds = [...new Set(trucks.map((truck) => truck.depotId))];
  const depotPoint = new Map(depotIds.map((id, index) => [id, index]));
  const depots = depotIds.map((id) => config.depots.find((depot) => depot.id === id)!);
  const points = [...depots.map((depot) => depot.position), ...due.map(({ bin }) => bin.position)];
  const matrix = await input.travel(points);

  const demandL = due.map(({ bin, state }) => (bin.capacityL * Math.max(state.forecast.levelAt(shiftEndMs) ?? 0, state.latest?.fillPct ?? 0)) / 100);
  const serviceS = config.shifts.serviceS;
  const problem: CvrpProblem = {
    costs: matrix.timesS,
    customers: due.map((_, k) => ({ point: depots.length + k, demand: demandL[k]!, serviceTime: serviceS })),
    vehicles: trucks.map((truck) => ({ depot: depotPoint.get(truck.depotId)!, capacity: truck.capacityL, maxDuration: shiftOf(truck) })),
  };
  const solution = await solveCvrp(problem, {
    seed: config.routing.seed,
    maxIterations: config.routing.iterations,
    timeLimitMs: config.routing.timeLimitMs,
    signal: input.signal,
  });
  const violations = cvrpPlanViolations(problem, solution);
  if (violations.length > 0) throw new Error(`the collection plan failed its own check: ${violations.join('; ')}`);

  const routes = solution.routes.map((route) => {
    const truck = trucks[route.vehicle]!;
    const depotAt = depotPoint.get(truck.depotId)!;
    let clock = departMs;
    let at = depotAt;
    let lengthM = 0;
    const stops = route.customers.map((customer) => {
      const point = depots.length + customer;
      clock += matrix.timesS[at]![point]! * 1000;
      lengthM += matrix.lengthsM[at]![point]!;
      const etaMs = clock;
      clock += serviceS * 1000;
      at = point;
      const { bin, state } = due[customer]!;
      return {
        binId: bin.id,
        position: bin.position,
        etaAt: isoTime(etaMs),
        expectedFillPct: round(Math.max(state.forecast.levelAt(etaMs) ?? 0, state.latest?.fillPct ?? 0)),
        expectedLoadL: round(demandL[customer]!),
      };
    });
    clock += matrix.timesS[at]![depotAt]! * 1000;
    lengthM += matrix.lengthsM[at]![depotAt]!;
    return {
      routeId: `${input.planId}-${truck.id}`,
      truckId: truck.id,
      depotId: truck.depotId,
      departAt: isoTime(departMs),
      returnAt: isoTime(clock),
      drivingS: round(route.cost),
      durationS: round(route.duration),
      lengthM: Math.round(lengthM),
      loadL: round(route.load),
      capacityL: truck.capacityL,
      stops,
    };
  });
  const deferred = solution.unassigned.map((customer) => ({ binId: due[customer]!.bin.id, reason: deferralReason(problem, customer) }));
  return {
    ...base,
    routes,
    deferred,
    travelTimes: matrix.source,
    solver: {
      seed: solution.stats.seed,
      iterations: solution.stats.iterations,
      stoppedBy: solution.stats.stoppedBy,
      elapsedMs: Math.round(solution.stats.elapsedMs),
      drivingS: round(solution.cost),
      constructionDrivingS: round(solution.stats.constructionCost),
    },
  };
}

/** Why no truck takes a bin: the first limit that rules out every truck, else a full fleet. */
function deferralReason(problem: CvrpProblem, customer: number): string {
  const { point, demand, serviceTime = 0 } = problem.customers[customer]!;
  const roundTrips = problem.vehicles.map((vehicle) => problem.costs[vehicle.depot]![point]! + problem.costs[point]![vehicle.depot]!);
  if (roundTrips.every((trip) => trip === Infinity)) return 'no road between the bin and any depot';
  if (problem.vehicles.every((vehicle) => demand > vehicle.capacity)) return `more waste (${Math.round(demand)} l) than any truck holds`;
  if (problem.vehicles.every((vehicle, v) => roundTrips[v]! + serviceTime > (vehicle.maxDuration ?? Infinity))) return 'too far to reach and return within a shift';
  return 'the free trucks are full for this shift';
}
