import type { BenchSettings } from './settings.js';

/** One side of a comparison: something measured once per round, e.g. Polis or Moleculer. */
export interface Contender {
  /** Shown in the report, e.g. `polis` or `moleculer 0.15.2`. */
  readonly label: string;
  /** What `measure` returns, e.g. `events/s`. */
  readonly unit: string;
  /** Runs one measurement and returns its figure. */
  measure(): Promise<number>;
}

/** A contender with something running behind it (a kernel, a broker, connections) to stop afterwards. */
export interface RunningContender extends Contender {
  stop(): Promise<void>;
}

/** Figures of one contender, one per recorded round. */
export interface Figure {
  readonly label: string;
  readonly unit: string;
  readonly perRound: readonly number[];
}

const collectGarbage = (): void => {
  if (typeof gc !== 'function') throw new Error('the bench needs --expose-gc: run it with `pnpm bench`');
  gc();
};

/**
 * Measures every contender once per round, in the same process, so a ratio compares figures taken
 * on the same machine state a moment apart. The order rotates each round (A B, then B A), so
 * neither side always runs on a cooler CPU or right after the other's garbage; a full GC before
 * each measurement bills every contender only its own. Warm-up rounds run the same way first and
 * are dropped.
 */
export async function alternate(contenders: readonly Contender[], settings: BenchSettings): Promise<Figure[]> {
  const perRound = contenders.map(() => [] as number[]);
  for (let round = -settings.warmups; round < settings.rounds; round++) {
    const shift = ((round % contenders.length) + contenders.length) % contenders.length;
    for (let i = 0; i < contenders.length; i++) {
      const at = (i + shift) % contenders.length;
      collectGarbage();
      const figure = await contenders[at]!.measure();
      if (round >= 0) perRound[at]!.push(figure);
    }
  }
  return contenders.map((contender, i) => ({ label: contender.label, unit: contender.unit, perRound: perRound[i]! }));
}
