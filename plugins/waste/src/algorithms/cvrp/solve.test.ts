import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cvrpPlanViolations } from './plan-check.js';
import type { CvrpProblem } from './problem.js';
import { CvrpInputError, solveCvrp } from './solve.js';
import type { CvrpSolution } from './solve.js';
import { CVRPLIB_OPTIMA, cvrplibInstance } from './test-instances.js';
import { tsplibProblem } from './tsplib.js';

/** Euclidean costs (unrounded) between points. */
function euclidean(points: readonly (readonly [number, number])[]): number[][] {
  return points.map(([x1, y1]) => points.map(([x2, y2]) => Math.hypot(x1 - x2, y1 - y2)));
}

/** The plan's routes as customer lists, ordered by vehicle. */
const routesOf = (solution: CvrpSolution) => solution.routes.map((route) => [route.vehicle, ...route.customers]);

describe('the CVRP solver on CVRPLIB instances', () => {
  // 40 perturbation steps, seed 1: deterministic, so the figures below are the same on every
  // machine. The bench measures the real thing (1 s per instance).
  const instances = Object.entries(CVRPLIB_OPTIMA).map(([name, known]) => ({ name, ...known }));
  it.each(instances)('$name: a feasible plan serving every customer, never below the proven optimum $optimum, within 3 percent of it', async ({ name, optimum, vehicles }) => {
    const problem = tsplibProblem(cvrplibInstance(name), vehicles ?? undefined);
    const solution = await solveCvrp(problem, { seed: 1, maxIterations: 40 });
    expect(cvrpPlanViolations(problem, solution)).toEqual([]);
    expect(solution.unassigned).toEqual([]);
    if (vehicles !== null) expect(solution.routes.length).toBeLessThanOrEqual(vehicles);
    // Below the optimum would mean the instance or its distances are read wrong.
    expect(solution.cost).toBeGreaterThanOrEqual(optimum);
    expect(solution.cost).toBeLessThanOrEqual(optimum * 1.03);
    expect(solution.cost).toBeLessThanOrEqual(solution.stats.constructionCost);
    expect(solution.stats).toMatchObject({ seed: 1, iterations: 40, stoppedBy: 'iterations' });
  });
});

describe('the CVRP solver', () => {
  it('gives the same plan for the same seed and number of steps, whatever the machine', async () => {
    const problem = tsplibProblem(cvrplibInstance('E-n51-k5'), 5);
    // A fast machine never yields mid-search; a slow one yields at every customer.
    const first = await solveCvrp(problem, { seed: 7, maxIterations: 25, sliceMs: 1e9 });
    const second = await solveCvrp(problem, { seed: 7, maxIterations: 25, sliceMs: 0 });
    expect(routesOf(second)).toEqual(routesOf(first));
    expect(second.cost).toBe(first.cost);
  });

  it('improves on Clarke-Wright by local search: the crossed square is uncrossed', async () => {
    // Depot at the origin, customers on three corners of a 10 x 10 square. Whatever order the
    // construction takes, the optimum drives the square's perimeter: 40.
    const costs = euclidean([[0, 0], [0, 10], [10, 0], [10, 10]]);
    const problem: CvrpProblem = { costs, customers: [1, 2, 3].map((point) => ({ point, demand: 1 })), vehicles: [{ depot: 0, capacity: 10 }] };
    const solution = await solveCvrp(problem, { maxIterations: 5 });
    expect(solution.cost).toBeCloseTo(40, 9);
    expect([[0, 2, 1], [1, 2, 0]]).toContainEqual(solution.routes[0]!.customers);
  });

  it('follows one-way costs: the route is driven the cheap way round', async () => {
    // Clockwise arcs cost 1, counter-clockwise 10: 0 -> 1 -> 2 -> 0 costs 3, the reverse 30.
    const costs = [
      [0, 1, 10],
      [10, 0, 1],
      [1, 10, 0],
    ];
    const problem: CvrpProblem = { costs, customers: [{ point: 1, demand: 1 }, { point: 2, demand: 1 }], vehicles: [{ depot: 0, capacity: 2 }] };
    let constructed: CvrpSolution | undefined;
    const solution = await solveCvrp(problem, { maxIterations: 5, onConstructed: (plan) => (constructed = plan) });
    expect(constructed?.routes.map((route) => route.customers)).toEqual([[0, 1]]);
    expect(solution.routes).toEqual([{ vehicle: 0, customers: [0, 1], cost: 3, load: 2, duration: 3 }]);
  });

  it('merges by savings within capacity: customers on a line go out and back on each side', async () => {
    // Depot at 0; customers at 1, 2 (east) and -1, -2 (west). Savings: (1, 2) and (-1, -2) save 2;
    // mixing sides saves nothing. Capacity 2 keeps the sides apart: two routes of cost 4.
    const xs = [0, 1, 2, -1, -2];
    const costs = xs.map((a) => xs.map((b) => Math.abs(a - b)));
    const problem: CvrpProblem = { costs, customers: [1, 2, 3, 4].map((point) => ({ point, demand: 1 })), vehicles: [{ depot: 0, capacity: 2 }, { depot: 0, capacity: 2 }] };
    const solution = await solveCvrp(problem, { maxIterations: 5 });
    expect(solution.cost).toBe(8);
    expect(solution.routes.map((route) => [...route.customers].sort())).toEqual([[0, 1], [2, 3]]);
  });

  it('keeps every route within its vehicle\'s shift: a long route is split though capacity would allow one', async () => {
    // Four customers 5 apart on a line, 5 of service each: one route would take 40 + 20 > 50.
    // Any route to the farthest costs 40, so it can take one more customer: the nearest leftover
    // pair (5, 10) costs 20, the plan 60.
    const xs = [0, 5, 10, 15, 20];
    const costs = xs.map((a) => xs.map((b) => Math.abs(a - b)));
    const customers = [1, 2, 3, 4].map((point) => ({ point, demand: 1, serviceTime: 5 }));
    const vehicles = [0, 1, 2].map(() => ({ depot: 0, capacity: 100, maxDuration: 50 }));
    const solution = await solveCvrp({ costs, customers, vehicles }, { maxIterations: 10 });
    expect(cvrpPlanViolations({ costs, customers, vehicles }, solution)).toEqual([]);
    expect(solution.cost).toBe(60);
    expect(solution.routes.map((route) => [...route.customers].sort())).toEqual(expect.arrayContaining([[0, 1], [2, 3]]));
    for (const route of solution.routes) expect(route.duration).toBeLessThanOrEqual(50);
    expect(solution.unassigned).toEqual([]);
  });

  it('serves each customer from the nearest of several depots when vehicles allow', async () => {
    // Depots at 0 and 100, two customers near each.
    const xs = [0, 100, 5, 8, 95, 92];
    const costs = xs.map((a) => xs.map((b) => Math.abs(a - b)));
    const customers = [2, 3, 4, 5].map((point) => ({ point, demand: 1 }));
    const vehicles = [{ depot: 0, capacity: 5 }, { depot: 1, capacity: 5 }];
    const solution = await solveCvrp({ costs, customers, vehicles }, { maxIterations: 10 });
    expect(solution.cost).toBe(32);
    expect(solution.routes.map((route) => ({ vehicle: route.vehicle, customers: [...route.customers].sort() }))).toEqual([
      { vehicle: 0, customers: [0, 1] },
      { vehicle: 1, customers: [2, 3] },
    ]);
  });

  it('leaves out, and lists, the customers no vehicle can take: too heavy, unreachable, more than the fleet holds', async () => {
    const xs = [0, 1, 2, 3, 4];
    const costs = xs.map((a) => xs.map((b) => Math.abs(a - b)));
    for (let from = 0; from < 4; from++) costs[from]![4] = Infinity; // no road leads to point 4
    const customers = [
      { point: 1, demand: 3 },
      { point: 2, demand: 3 },
      { point: 3, demand: 20 }, // heavier than any truck
      { point: 4, demand: 1 },
    ];
    const solution = await solveCvrp({ costs, customers, vehicles: [{ depot: 0, capacity: 4 }] }, { maxIterations: 10 });
    expect(cvrpPlanViolations({ costs, customers, vehicles: [{ depot: 0, capacity: 4 }] }, solution)).toEqual([]);
    expect(solution.routes).toHaveLength(1);
    expect(solution.routes[0]!.customers).toHaveLength(1);
    expect(solution.unassigned).toHaveLength(3);
    expect(solution.unassigned).toEqual(expect.arrayContaining([2, 3]));
  });

  it('stops when its signal is aborted and returns the best plan so far, still feasible', async () => {
    const problem = tsplibProblem(cvrplibInstance('A-n80-k10'), 10);
    const controller = new AbortController();
    const solution = await solveCvrp(problem, { timeLimitMs: 60_000, onConstructed: () => controller.abort(), signal: controller.signal });
    expect(solution.stats).toMatchObject({ stoppedBy: 'aborted', iterations: 0 });
    expect(cvrpPlanViolations(problem, solution)).toEqual([]);
    expect(solution.unassigned).toEqual([]);
  });

  it('yields to the event loop while it searches, and stops at its time limit', async () => {
    const problem = tsplibProblem(cvrplibInstance('A-n80-k10'), 10);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const solution = await solveCvrp(problem, { timeLimitMs: 150, sliceMs: 5 });
    clearInterval(ticker);
    expect(solution.stats.stoppedBy).toBe('time');
    // A search that never yielded would let the interval run at most once, after it returned.
    expect(ticks).toBeGreaterThan(1);
  });

  it('keeps every truck within its load where a road is missing (a case the property check found)', async () => {
    // No road from the depot to customer 1. Removing customer 2 ahead of it once left a route
    // driving that missing road; the local search then took Infinity minus Infinity for a gain,
    // loaded 43 onto a truck of 17, and cycled until the time limit.
    const problem: CvrpProblem = {
      costs: [
        [0, 52.038447325030745, Infinity, 38.48376280978771, 103.39245620450265],
        [52.038447325030745, 0, 79.60527620704546, 77.41446893184762, 80.80841540334768],
        [70.83078426785913, 79.60527620704546, 0, 46.690470119715, 53.600373133029585],
        [57.72564421468156, 77.41446893184762, 46.690470119715, 0, 142.21550548375507],
        [103.39245620450265, 80.80841540334768, 53.600373133029585, 94.81033698917011, 0],
      ],
      customers: [{point:  1,  demand:  9,  serviceTime:  3},  {point:  2,  demand:  11,  serviceTime:  1},  {point:  3,  demand:  2,  serviceTime:  5},  {point:  4,  demand:  21,  serviceTime:  7}],
      vehicles: [{depot:  0,  capacity:  63,  maxDuration:  60},  {depot:  0,  capacity:  17,  maxDuration:  424},  {depot:  0,  capacity:  39},  {depot:  0,  capacity:  63,  maxDuration:  327}],
    };
    const solution = await solveCvrp(problem, { seed: 668, maxIterations: 15, timeLimitMs: 2000 });
    expect(solution.stats.stoppedBy).toBe('iterations');
    expect(cvrpPlanViolations(problem, solution)).toEqual([]);
  });

  it('refuses a problem with invalid data, listing every issue', async () => {
    const problem: CvrpProblem = {
      costs: [[0, 1], [1, 0, 3]],
      customers: [{ point: 1, demand: -2 }, { point: 5, demand: 1 }],
      vehicles: [{ depot: 0, capacity: 0 }],
    };
    const error = await solveCvrp(problem).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CvrpInputError);
    expect((error as CvrpInputError).issues.map((issue) => issue.path)).toEqual(['costs[1]', 'vehicles[0].capacity', 'customers[0].demand', 'customers[1].point']);
  });
});

describe('the CVRP solver, property-checked', () => {
  /** A random problem: 1-3 depots, up to 25 customers, asymmetric costs, some arcs missing, tight or loose fleets. */
  const problems = fc
    .record({
      depots: fc.integer({ min: 1, max: 3 }),
      points: fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })), { minLength: 4, maxLength: 28 }),
      skew: fc.array(fc.double({ min: 0, max: 0.5, noNaN: true }), { minLength: 28 * 28, maxLength: 28 * 28 }),
      missing: fc.array(fc.integer({ min: 0, max: 28 * 28 - 1 }), { maxLength: 6 }),
      demands: fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 28, maxLength: 28 }),
      services: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 28, maxLength: 28 }),
      vehicles: fc.array(fc.record({ depot: fc.nat(), capacity: fc.integer({ min: 10, max: 80 }), maxDuration: fc.option(fc.integer({ min: 60, max: 600 }), { nil: undefined }) }), {
        minLength: 1,
        maxLength: 6,
      }),
    })
    .filter(({ depots, points }) => points.length > depots)
    .map(({ depots, points, skew, missing, demands, services, vehicles }): CvrpProblem => {
      const costs = euclidean(points).map((row, i) => row.map((cost, j) => (i === j ? 0 : missing.includes(i * 28 + j) ? Infinity : cost * (1 + skew[i * 28 + j]!))));
      return {
        costs,
        customers: points.slice(depots).map((_, k) => ({ point: depots + k, demand: demands[k]!, serviceTime: services[k]! })),
        vehicles: vehicles.map((vehicle) => ({ depot: vehicle.depot % depots, capacity: vehicle.capacity, ...(vehicle.maxDuration === undefined ? {} : { maxDuration: vehicle.maxDuration }) })),
      };
    });

  it('never exceeds a capacity or a shift, and places every customer exactly once (on a route or listed unassigned)', async () => {
    await fc.assert(
      fc.asyncProperty(problems, fc.integer({ min: 1, max: 1000 }), async (problem, seed) => {
        // A search that cycles instead of ending fails here within half a second, and is shrunk,
        // instead of timing the whole test out with no counterexample.
        const solution = await solveCvrp(problem, { seed, maxIterations: 15, timeLimitMs: 500 });
        expect(solution.stats.stoppedBy).toBe('iterations');
        expect(cvrpPlanViolations(problem, solution)).toEqual([]);
        for (const route of solution.routes) {
          const vehicle = problem.vehicles[route.vehicle]!;
          expect(route.load).toBeLessThanOrEqual(vehicle.capacity + 1e-9);
          expect(route.duration).toBeLessThanOrEqual((vehicle.maxDuration ?? Infinity) + 1e-9);
        }
      }),
      { numRuns: 300 },
    );
    // 300 solver runs take about 1.5 s; a failure's shrinking, at up to half a second a step, takes longer.
  }, 60_000);

  it('serves every customer exactly once when the fleet can', async () => {
    // Ample fleets: a vehicle per customer at every depot, with room for any customer.
    const ample = problems.map((problem) => ({
      ...problem,
      vehicles: problem.vehicles.flatMap((vehicle) => problem.customers.map(() => ({ depot: vehicle.depot, capacity: 100, maxDuration: 10_000 }))),
      costs: problem.costs.map((row) => row.map((cost) => (cost === Infinity ? 500 : cost))),
    }));
    await fc.assert(
      fc.asyncProperty(ample, fc.integer({ min: 1, max: 1000 }), async (problem, seed) => {
        const solution = await solveCvrp(problem, { seed, maxIterations: 10 });
        expect(cvrpPlanViolations(problem, solution)).toEqual([]);
        expect(solution.unassigned).toEqual([]);
        const visits = solution.routes.flatMap((route) => route.customers).sort((a, b) => a - b);
        expect(visits).toEqual(problem.customers.map((_, c) => c));
      }),
      { numRuns: 40 },
    );
  });
});
