// @polis/plugin-waste/cvrp: the capacitated vehicle routing solver behind the collection routes,
// usable on its own (Clarke-Wright savings, granular local search, ruin-and-recreate annealing).
export { cvrpProblemIssues } from './problem.js';
export type { CvrpCustomer, CvrpProblem, CvrpProblemIssue, CvrpVehicle } from './problem.js';
export { CvrpInputError, solveCvrp } from './solve.js';
export type { AbortFlag, CvrpRoute, CvrpSearchStats, CvrpSolution, CvrpSolveOptions, CvrpStopReason } from './solve.js';
export { cvrpPlanViolations, cvrpRoutesCost } from './plan-check.js';
export type { CheckedPlan } from './plan-check.js';
export { TsplibFormatError, euc2dDistance, parseCvrplibSolution, parseTsplibCvrp, tsplibProblem } from './tsplib.js';
export type { TsplibCvrp } from './tsplib.js';
