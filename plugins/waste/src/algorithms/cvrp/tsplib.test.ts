import { describe, expect, it } from 'vitest';
import { cvrpPlanViolations, cvrpRoutesCost } from './plan-check.js';
import { CVRPLIB_OPTIMA, cvrplibFile, cvrplibInstance } from './test-instances.js';
import { TsplibFormatError, euc2dDistance, parseCvrplibSolution, parseTsplibCvrp, tsplibProblem } from './tsplib.js';

describe('TSPLIB CVRP instances', () => {
  it('rounds Euclidean distances to the nearest integer, as TSPLIB 95 defines EUC_2D', () => {
    expect(euc2dDistance({ x: 0, y: 0 }, { x: 3, y: 4 })).toBe(5);
    expect(euc2dDistance({ x: 0, y: 0 }, { x: 1, y: 1 })).toBe(1); // 1.414
    expect(euc2dDistance({ x: 0, y: 0 }, { x: 1, y: 2 })).toBe(2); // 2.236
    expect(euc2dDistance({ x: 0, y: 0 }, { x: 2, y: 2 })).toBe(3); // 2.828
    expect(euc2dDistance({ x: 0, y: 0 }, { x: 0.5, y: 0 })).toBe(1); // nint(0.5) = 1: halves round up
    // A-n32-k5 nodes 1 (82, 76) and 2 (96, 44): sqrt(14^2 + 32^2) = 34.93
    expect(euc2dDistance({ x: 82, y: 76 }, { x: 96, y: 44 })).toBe(35);
  });

  it('reads A-n32-k5: 32 nodes, capacity 100, the depot first, coordinates and demands in file order', () => {
    const instance = cvrplibInstance('A-n32-k5');
    expect(instance).toMatchObject({ name: 'A-n32-k5', capacity: 100, depot: 0 });
    expect(instance.comment).toContain('Optimal value: 784');
    expect(instance.points).toHaveLength(32);
    expect(instance.points[0]).toEqual({ x: 82, y: 76 });
    expect(instance.points[31]).toEqual({ x: 98, y: 5 });
    expect(instance.demands.slice(0, 3)).toEqual([0, 19, 21]);
    expect(instance.demands.reduce((a, b) => a + b, 0)).toBe(410);
  });

  it('reads a file with tabs and CRLF line ends (X-n101-k25 as CVRPLIB ships it)', () => {
    expect(cvrplibFile('X-n101-k25.vrp')).toContain('\r\n');
    const instance = cvrplibInstance('X-n101-k25');
    expect(instance).toMatchObject({ name: 'X-n101-k25', capacity: 206, depot: 0 });
    expect(instance.points).toHaveLength(101);
    expect(instance.points[0]).toEqual({ x: 365, y: 689 });
  });

  it.each(['A-n32-k5', 'M-n101-k10', 'X-n101-k25'])("costs CVRPLIB's optimal solution of %s at its proven optimum, and only with TSPLIB rounding", (name) => {
    const instance = cvrplibInstance(name);
    const problem = tsplibProblem(instance, CVRPLIB_OPTIMA[name]!.vehicles ?? undefined);
    const solution = parseCvrplibSolution(cvrplibFile(`${name}.sol`));
    const routes = solution.routes.map((customers, vehicle) => ({ vehicle, customers }));
    expect(solution.cost).toBe(CVRPLIB_OPTIMA[name]!.optimum);
    expect(cvrpPlanViolations(problem, { routes, unassigned: [] })).toEqual([]);
    expect(cvrpRoutesCost(problem, routes)).toBe(solution.cost);

    const exact = { ...problem, costs: instance.points.map((a) => instance.points.map((b) => Math.hypot(a.x - b.x, a.y - b.y))) };
    expect(Math.abs(cvrpRoutesCost(exact, routes) - solution.cost)).toBeGreaterThan(0.1);
  });

  it('builds a problem with one customer per non-depot node and the fleet asked for', () => {
    const problem = tsplibProblem(cvrplibInstance('A-n32-k5'), 5);
    expect(problem.customers).toHaveLength(31);
    expect(problem.customers[0]).toEqual({ point: 1, demand: 19 });
    expect(problem.vehicles).toEqual(Array.from({ length: 5 }, () => ({ depot: 0, capacity: 100 })));
    expect(tsplibProblem(cvrplibInstance('A-n32-k5')).vehicles).toHaveLength(31);
  });

  it('refuses what it cannot read, saying where', () => {
    const good = cvrplibFile('A-n32-k5.vrp');
    expect(() => parseTsplibCvrp(good.replace('EUC_2D', 'EXACT_2D'))).toThrow(new TsplibFormatError('EDGE_WEIGHT_TYPE EXACT_2D is not supported: only EUC_2D'));
    expect(() => parseTsplibCvrp(good.replace(' 2 96 44', ' 2 96 forty-four'))).toThrow(/^line 9: expected numbers, got "2 96 forty-four"$/);
    expect(() => parseTsplibCvrp(good.replace('DIMENSION : 32', 'DIMENSION : 33'))).toThrow(/DIMENSION 33 does not match 32 coordinates and 32 demands/);
    expect(() => parseTsplibCvrp(good.replace(/DEPOT_SECTION[\s\S]*/, 'DEPOT_SECTION\n -1\nEOF'))).toThrow(/exactly one depot/);
    expect(() => parseCvrplibSolution('Cost 12')).toThrow(TsplibFormatError);
  });
});
