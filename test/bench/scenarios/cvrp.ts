import { readFileSync } from 'node:fs';
import { cvrpPlanViolations, parseTsplibCvrp, solveCvrp, tsplibProblem } from '@polis/plugin-waste/cvrp';
import type { CvrpProblem } from '@polis/plugin-waste/cvrp';
import { alternate } from '../measure.js';
import type { Contender } from '../measure.js';
import type { Result } from '../result.js';
import type { Scenario } from '../scenario.js';
import { median } from '../stats.js';

const FIXTURES = new URL('../../fixtures/cvrplib/', import.meta.url);
const OPTIMA = JSON.parse(readFileSync(new URL('optima.json', FIXTURES), 'utf8')) as Record<string, { optimum: number; vehicles: number | null }>;

/** One instance of each set and size, 31 to 100 customers (all of test/fixtures/cvrplib are in the tests). */
const INSTANCES = ['A-n32-k5', 'A-n80-k10', 'B-n78-k10', 'E-n51-k5', 'E-n101-k8', 'P-n50-k7', 'P-n76-k5', 'M-n101-k10', 'X-n101-k25'];
const QUICK_INSTANCES = ['A-n32-k5', 'E-n51-k5', 'P-n76-k5'];
const BUDGET_MS = 1000;
const QUICK_BUDGET_MS = 100;
const BINS = 100;

function instanceProblem(name: string): { problem: CvrpProblem; optimum: number } {
  const known = OPTIMA[name];
  if (known === undefined) throw new Error(`${name} has no optimum in optima.json`);
  const instance = parseTsplibCvrp(readFileSync(new URL(`${name}.vrp`, FIXTURES), 'utf8'));
  return { problem: tsplibProblem(instance, known.vehicles ?? undefined), optimum: known.optimum };
}

/** The gap of one solve, in percent of the optimum; a plan that breaks a limit or leaves a customer out fails the bench. */
async function gapPct(name: string, problem: CvrpProblem, optimum: number, seed: number, budgetMs: number): Promise<number> {
  const solution = await solveCvrp(problem, { seed, timeLimitMs: budgetMs });
  const violations = cvrpPlanViolations(problem, solution);
  if (violations.length > 0 || solution.unassigned.length > 0) throw new Error(`${name}: infeasible plan: ${[...violations, `${solution.unassigned.length} unassigned`].join('; ')}`);
  if (solution.cost < optimum) throw new Error(`${name}: cost ${solution.cost} below the proven optimum ${optimum}: the instance is read wrong`);
  return ((solution.cost - optimum) / optimum) * 100;
}

/**
 * A morning's collection in a district the size of Futian (3 x 2 km): 100 bins, seeded, 240 l
 * each and 40-100 % full, one depot, trucks of 4000 l (bin volume) on 4-hour shifts, travel times
 * on the straight line x 1.4 at 25 km/h, a minute per bin.
 */
function binsProblem(seed: number): CvrpProblem {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const points = [{ x: 1500, y: 1000 }, ...Array.from({ length: BINS }, () => ({ x: random() * 3000, y: random() * 2000 }))];
  const secondsPerMetre = 1.4 / (25 / 3.6);
  const costs = points.map((a) => points.map((b) => Math.hypot(a.x - b.x, a.y - b.y) * secondsPerMetre));
  const customers = points.slice(1).map((_, i) => ({ point: i + 1, demand: 240 * (0.4 + 0.6 * random()), serviceTime: 60 }));
  return { costs, customers, vehicles: Array.from({ length: 8 }, () => ({ depot: 0, capacity: 4000, maxDuration: 4 * 3600 })) };
}

/**
 * `cvrp_gap_pct`: the route solver's median gap to the proven optimum over public CVRPLIB instances,
 * 1 s each (a new seed each round). `cvrp_ms_100`: time to the first feasible plan (Clarke-Wright
 * savings) for 100 bins.
 */
export const cvrpScenario: Scenario = {
  name: 'cvrp',
  keys: ['cvrp_gap_pct', 'cvrp_ms_100'],
  async run({ settings }) {
    const names = settings.quick ? QUICK_INSTANCES : INSTANCES;
    const budgetMs = settings.quick ? QUICK_BUDGET_MS : BUDGET_MS;
    const loaded = names.map((name) => ({ name, ...instanceProblem(name) }));

    // Warm the JIT on one instance, so the first measured solve is not run half interpreted.
    if (!settings.quick) await solveCvrp(loaded[0]!.problem, { timeLimitMs: 300 });
    const gapRounds: number[] = [];
    const perInstance = new Map<string, number[]>(names.map((name) => [name, []]));
    for (let round = 0; round < settings.rounds; round++) {
      const gaps: number[] = [];
      for (const { name, problem, optimum } of loaded) {
        const gap = await gapPct(name, problem, optimum, round + 1, budgetMs);
        gaps.push(gap);
        perInstance.get(name)!.push(gap);
      }
      gapRounds.push(median(gaps));
    }

    const firstPlan: Contender = {
      label: 'clarke-wright',
      unit: 'ms',
      async measure() {
        const times: number[] = [];
        for (let seed = 1; seed <= 10; seed++) {
          const controller = new AbortController();
          let constructionMs = NaN;
          await solveCvrp(binsProblem(seed), {
            signal: controller.signal,
            onConstructed: (plan) => {
              constructionMs = plan.stats.constructionMs;
              controller.abort();
            },
          });
          times.push(constructionMs);
        }
        return median(times);
      },
    };
    const [planFigure] = await alternate([firstPlan], settings);

    const gap: Result = {
      key: 'cvrp_gap_pct',
      title: `median gap to the proven optimum over ${names.length} CVRPLIB instances (${names.join(', ')}), ${budgetMs} ms each`,
      figures: [{ label: 'solver', unit: '% gap', perRound: gapRounds }],
      perRound: gapRounds,
      target: { op: '<=', bound: 3 },
      allowZero: true,
      notes: [
        `per instance, median over rounds: ${names.map((name) => `${name} ${median(perInstance.get(name)!).toFixed(2)} %`).join(', ')}`,
        'round r uses seed r; distances are TSPLIB EUC_2D (nint); fleets as in test/fixtures/cvrplib/README.md',
      ],
    };
    const plan: Result = {
      key: 'cvrp_ms_100',
      title: `first feasible plan (Clarke-Wright savings, from the call) for ${BINS} bins, 8 trucks with capacity and shift, one depot; median of 10 seeded districts`,
      figures: [planFigure!],
      perRound: planFigure!.perRound,
      target: { op: '<', bound: 100 },
      notes: ['includes checking the problem and compiling its matrix; the search that follows is not counted'],
    };
    return [gap, plan];
  },
};
