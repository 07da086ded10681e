import { describe, expect, it } from 'vitest';
import { CompiledProblem } from './compiled-problem.js';
import { LocalSearch } from './local-search.js';
import type { CvrpProblem } from './problem.js';
import { SeededRandom } from './random.js';
import { RouteSet } from './route-set.js';
import { DEFAULT_RUIN_OPTIONS, ruinAndRecreate } from './ruin-recreate.js';

/** Every route of the set within its vehicle's capacity and duration, on roads that exist. */
function brokenRoutes(set: RouteSet): string[] {
  const broken: string[] = [];
  set.routes.forEach((route, vehicle) => {
    if (route.length === 0) return;
    if (!Number.isFinite(set.cost[vehicle]!)) broken.push(`vehicle ${vehicle} [${route.join(' ')}]: drives an arc with no road`);
    else if (!set.fits(vehicle, set.cost[vehicle]!, set.load[vehicle]!, set.serviceTime[vehicle]!)) broken.push(`vehicle ${vehicle} [${route.join(' ')}]: over its limits`);
  });
  return broken;
}

/** A set holding the given routes, one per vehicle. */
function setWith(problem: CvrpProblem, routes: number[][]): RouteSet {
  const set = new RouteSet(new CompiledProblem(problem, 20));
  routes.forEach((route, vehicle) => set.setRoute(vehicle, route));
  set.recountUnassigned();
  return set;
}

/** Ruins and recreates `routes` under 100 seeds, each from the same start: no seed may leave a route broken. */
function expectRuinKeepsRoutesFeasible(problem: CvrpProblem, routes: number[][]): void {
  for (let seed = 1; seed <= 100; seed++) {
    const set = setWith(problem, routes);
    ruinAndRecreate(set, new SeededRandom(seed), DEFAULT_RUIN_OPTIONS);
    expect(brokenRoutes(set), `seed ${seed}`).toEqual([]);
  }
}

describe('the ruin step', () => {
  // Point 0 is the depot, customers a and b are points 1 and 2.
  it('never leaves a route on a road that does not exist: b is reached only through a', () => {
    const costs = [
      [0, 10, Infinity],
      [10, 0, 10],
      [10, 10, 0],
    ];
    const problem: CvrpProblem = { costs, customers: [{ point: 1, demand: 1 }, { point: 2, demand: 1 }], vehicles: [{ depot: 0, capacity: 10 }] };
    expectRuinKeepsRoutesFeasible(problem, [[0, 1]]);
  });

  it('never leaves a route over its shift: the direct arc to b costs more than the way through a', () => {
    // Costs need not keep the triangle inequality (a one-way street, a slow road): 0 -> b costs 50
    // and 0 -> a -> b 20. Vehicle 0's shift of 45 fits 0 a b 0 (30) but not 0 b 0 (60); a gains
    // even more before c, on vehicle 1, so a removed from vehicle 0 may be put back there.
    const costs = [
      [0, 10, 50, 60],
      [10, 0, 10, 10],
      [10, 10, 0, 10],
      [10, 10, 10, 0],
    ];
    const problem: CvrpProblem = {
      costs,
      customers: [1, 2, 3].map((point) => ({ point, demand: 1 })),
      vehicles: [{ depot: 0, capacity: 10, maxDuration: 45 }, { depot: 0, capacity: 10 }],
    };
    expectRuinKeepsRoutesFeasible(problem, [[0, 1], [2]]);
  });
});

describe('the local search', () => {
  it('takes a move only for a gain it can prove: a route without a road is never traded for an overloaded truck', () => {
    // Vehicle 0 holds b alone, with no road from the depot to b (its cost is Infinity). Moving a's
    // whole route onto vehicle 0 would "gain" Infinity minus Infinity, which is no number at all.
    const costs = [
      [0, 10, Infinity],
      [10, 0, 10],
      [10, 10, 0],
    ];
    const problem: CvrpProblem = {
      costs,
      customers: [{ point: 1, demand: 8 }, { point: 2, demand: 8 }],
      vehicles: [{ depot: 0, capacity: 10 }, { depot: 0, capacity: 10 }],
    };
    const set = setWith(problem, [[1], [0]]);
    const search = new LocalSearch(set, new SeededRandom(1));
    search.touchAll();
    // A search that takes moves without gain may never end: it is given a second to finish.
    expect(search.run(performance.now() + 1000)).toBe(true);
    set.routes.forEach((_, vehicle) => expect(set.load[vehicle], `vehicle ${vehicle}`).toBeLessThanOrEqual(10));
  });
});
