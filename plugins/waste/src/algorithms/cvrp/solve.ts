import { setImmediate as nextTurn } from 'node:timers/promises';
import { CompiledProblem } from './compiled-problem.js';
import { LocalSearch } from './local-search.js';
import { cvrpProblemIssues } from './problem.js';
import type { CvrpProblem, CvrpProblemIssue } from './problem.js';
import { SeededRandom } from './random.js';
import { RouteSet } from './route-set.js';
import { DEFAULT_RUIN_OPTIONS, ruinAndRecreate } from './ruin-recreate.js';
import type { RuinOptions } from './ruin-recreate.js';
import { clarkeWright } from './savings.js';

/** One vehicle's route in a solution. */
export interface CvrpRoute {
  readonly vehicle: number;
  /** Customer indices (into `problem.customers`) in driving order, depot excluded. */
  readonly customers: readonly number[];
  /** Driving cost, depot to depot. */
  readonly cost: number;
  readonly load: number;
  /** Driving cost plus service times. */
  readonly duration: number;
}

/** Why the search stopped. Only `iterations` is reproducible on any machine. */
export type CvrpStopReason = 'iterations' | 'time' | 'aborted';

export interface CvrpSearchStats {
  readonly seed: number;
  /** Perturbation steps run; with `maxIterations` set to this, the same seed gives the same solution. */
  readonly iterations: number;
  readonly stoppedBy: CvrpStopReason;
  readonly elapsedMs: number;
  /** Cost of the Clarke-Wright plan, before any search. */
  readonly constructionCost: number;
  /** Time to the Clarke-Wright plan, the first feasible plan. */
  readonly constructionMs: number;
}

/** The best plan found: routes that never break a capacity or duration, and the customers no vehicle could take. */
export interface CvrpSolution {
  /** Routes of the vehicles in use, by vehicle index. */
  readonly routes: readonly CvrpRoute[];
  /** Customers left out because no vehicle can fit them (capacity, duration, fleet size, unreachable). */
  readonly unassigned: readonly number[];
  /** Total driving cost of the routes. */
  readonly cost: number;
  readonly stats: CvrpSearchStats;
}

/** Something that may ask a running search to stop, such as an `AbortSignal`. */
export interface AbortFlag {
  readonly aborted: boolean;
}

export interface CvrpSolveOptions {
  /** Seed of the search's generator (default 1). */
  readonly seed?: number;
  /**
   * Perturbation steps to run. When set, the annealing schedule follows the steps done, so the
   * result depends on the seed alone (unless a time limit or abort stops the search first).
   */
  readonly maxIterations?: number;
  /** Stop after this long (default 1000 ms when `maxIterations` is not set); the schedule then follows time. */
  readonly timeLimitMs?: number;
  /** Checked between steps: the best plan so far is returned once it is aborted. */
  readonly signal?: AbortFlag;
  /** The longest the search runs without yielding to the event loop (default 10 ms). */
  readonly sliceMs?: number;
  /** How to yield (default: the next turn of Node's event loop, after pending I/O). */
  readonly yieldControl?: () => Promise<void>;
  /** Milliseconds clock (default `performance.now`). */
  readonly now?: () => number;
  /** Nearest neighbours per customer that moves consider (default 20, as in HGS-CVRP; measured: 30 costs 60 % more time for the same gap). */
  readonly neighbours?: number;
  readonly ruin?: Partial<RuinOptions>;
  /** Called with the Clarke-Wright plan, before the search improves it. */
  readonly onConstructed?: (solution: CvrpSolution) => void;
}

/** A problem whose data cannot be solved, with every issue found. */
export class CvrpInputError extends Error {
  override readonly name = 'CvrpInputError';
  readonly issues: readonly CvrpProblemIssue[];

  constructor(issues: readonly CvrpProblemIssue[]) {
    super(`invalid routing problem (${issues.length} ${issues.length === 1 ? 'issue' : 'issues'}): ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`);
    this.issues = issues;
  }
}

// Simulated annealing temperatures, as fractions of the mean arc of the first plan.
const START_TEMPERATURE = 0.1;
const END_TEMPERATURE = 0.002;

/**
 * Solves a CVRP: Clarke-Wright savings, local search to a local optimum, then iterated
 * ruin-and-recreate with local search after each step and simulated-annealing acceptance, for
 * `maxIterations` steps or `timeLimitMs`, whichever ends first. The best plan seen is returned;
 * every plan the search holds keeps to each vehicle's capacity and duration, so even an early stop
 * returns a feasible plan. The search yields to the event loop every `sliceMs`, so it can run
 * inside a plugin's handler without starving the bus.
 *
 * @throws {CvrpInputError} when the problem's data is invalid (see {@link cvrpProblemIssues}).
 */
export async function solveCvrp(problem: CvrpProblem, options: CvrpSolveOptions = {}): Promise<CvrpSolution> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const issues = cvrpProblemIssues(problem);
  if (issues.length > 0) throw new CvrpInputError(issues);
  const seed = options.seed ?? 1;
  const maxIterations = options.maxIterations;
  const timeLimitMs = options.timeLimitMs ?? (maxIterations === undefined ? 1000 : undefined);
  const sliceMs = options.sliceMs ?? 10;
  const yieldControl = options.yieldControl ?? (() => nextTurn());
  const ruin = { ...DEFAULT_RUIN_OPTIONS, ...options.ruin };

  const random = new SeededRandom(seed);
  // Each phase before the search is one stretch without yielding: a few milliseconds for 500
  // customers once compiled, several times that on the first call.
  const compiled = new CompiledProblem(problem, options.neighbours ?? 20);
  await yieldControl();
  const set = new RouteSet(compiled);
  clarkeWright(set);
  const constructionMs = now() - started;
  const constructionCost = set.totalCost();
  const statsAt = (iterations: number, stoppedBy: CvrpStopReason): CvrpSearchStats => ({
    seed,
    iterations,
    stoppedBy,
    elapsedMs: now() - started,
    constructionCost,
    constructionMs,
  });
  options.onConstructed?.(solutionOf(set, statsAt(0, 'iterations')));

  const search = new LocalSearch(set, random);
  search.touchAll();
  const stopReason = (): CvrpStopReason | undefined => {
    if (options.signal?.aborted === true) return 'aborted';
    if (timeLimitMs !== undefined && now() - started >= timeLimitMs) return 'time';
    return undefined;
  };
  // Local search runs in slices, yielding to the event loop between them; a stop ends it early,
  // which leaves the routes feasible, only less improved.
  let sliceStarted = now();
  const improve = async (): Promise<void> => {
    while (!search.run(sliceStarted + sliceMs, now)) {
      if (stopReason() !== undefined) return;
      await yieldControl();
      sliceStarted = now();
    }
  };
  await improve();

  // An unassigned customer costs more than any insertion could, so the search always prefers to serve it.
  const penalty = 4 * compiled.maxArc + 1;
  const objective = () => set.totalCost() + penalty * set.unassignedCount;
  let current = objective();
  let best = current;
  let bestRoutes = set.snapshot();
  const arcs = compiled.n - set.unassignedCount + set.routes.filter((route) => route.length > 0).length;
  const meanArc = arcs > 0 ? set.totalCost() / arcs : 1;
  const hot = START_TEMPERATURE * meanArc;
  const cold = END_TEMPERATURE * meanArc;

  let iterations = 0;
  let stoppedBy: CvrpStopReason = 'iterations';
  for (;;) {
    if (maxIterations !== undefined && iterations >= maxIterations) break;
    const reason = stopReason();
    if (reason !== undefined) {
      stoppedBy = reason;
      break;
    }
    const time = now();
    if (time - sliceStarted >= sliceMs) {
      await yieldControl();
      sliceStarted = now();
    }
    const progress = maxIterations !== undefined ? iterations / maxIterations : (time - started) / timeLimitMs!;
    const temperature = hot * Math.pow(cold / hot, progress);

    set.beginJournal();
    for (const vehicle of ruinAndRecreate(set, random, ruin)) search.touch(vehicle);
    await improve();
    const candidate = objective();
    // Accept a worse plan by up to T * -ln(U): Metropolis acceptance, drawn once per step.
    if (candidate < current - temperature * Math.log(1 - random.next())) {
      set.commit();
      current = candidate;
      if (candidate < best - 1e-9) {
        best = candidate;
        bestRoutes = set.snapshot();
      }
    } else {
      for (const vehicle of set.rollback()) search.touch(vehicle);
    }
    iterations++;
  }
  set.restore(bestRoutes);
  return solutionOf(set, statsAt(iterations, stoppedBy));
}

function solutionOf(set: RouteSet, stats: CvrpSearchStats): CvrpSolution {
  const routes: CvrpRoute[] = [];
  set.routes.forEach((customers, vehicle) => {
    if (customers.length === 0) return;
    const cost = set.cost[vehicle]!;
    routes.push({ vehicle, customers: customers.slice(), cost, load: set.load[vehicle]!, duration: cost + set.serviceTime[vehicle]! });
  });
  const unassigned: number[] = [];
  for (let c = 0; c < set.routeOf.length; c++) if (set.routeOf[c] === -1) unassigned.push(c);
  return { routes, unassigned, cost: set.totalCost(), stats };
}
