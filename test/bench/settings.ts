/** How much of the bench runs, from the command line (`pnpm bench [--quick] [--json]`). */
export interface BenchSettings {
  /** CI's smoke test: every scenario, briefly; figures are checked to exist, never judged. */
  readonly quick: boolean;
  /** Write `bench-results.json` at the repository root. */
  readonly json: boolean;
  /** Unrecorded rounds first, so the JIT has compiled every contender's hot path before it counts. */
  readonly warmups: number;
  /** Recorded rounds; each scenario reports the median over them. */
  readonly rounds: number;
  /** Only the scenarios whose name contains this (`--only jetstream`), to profile one; never with --json. */
  readonly only: string | undefined;
}

const USAGE = 'usage: pnpm bench [--quick] [--json] [--only <scenario>]';

export function parseSettings(args: readonly string[]): BenchSettings {
  const at = args.indexOf('--only');
  const only = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0 && (only === undefined || only.startsWith('--'))) throw new Error(`--only needs a scenario name; ${USAGE}`);
  const unknown = args.filter((arg, i) => arg !== '--quick' && arg !== '--json' && !(at >= 0 && (i === at || i === at + 1)));
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(' ')}; ${USAGE}`);
  const json = args.includes('--json');
  if (json && only !== undefined) throw new Error(`--json needs every scenario, so it cannot go with --only; ${USAGE}`);
  const quick = args.includes('--quick');
  // Quick keeps two rounds so both orders of the alternation run, and skips the warm-up.
  return { quick, json, warmups: quick ? 0 : 1, rounds: quick ? 2 : 5, only };
}

/** A scenario's size: the full figure, or a few thousand for the smoke test. */
export function sized(settings: BenchSettings, full: number, quick: number): number {
  return settings.quick ? quick : full;
}
