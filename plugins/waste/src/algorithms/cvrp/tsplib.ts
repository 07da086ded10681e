import type { CvrpProblem } from './problem.js';

/** A CVRP instance in TSPLIB format (CVRPLIB's `.vrp` files), Euclidean. */
export interface TsplibCvrp {
  readonly name: string;
  readonly comment: string;
  readonly capacity: number;
  /** Coordinates of the nodes in file order; node `i + 1` of the file is `points[i]`. */
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly demands: readonly number[];
  /** Index into `points` of the depot. */
  readonly depot: number;
}

/** A file that is not a TSPLIB CVRP instance this parser reads, with the line at fault. */
export class TsplibFormatError extends Error {
  override readonly name = 'TsplibFormatError';
}

/**
 * TSPLIB's EUC_2D distance: the Euclidean distance rounded to the nearest integer,
 * `nint(sqrt(dx^2 + dy^2))` as TSPLIB 95 (Reinelt 1991, section 2.1) defines it. Every optimum
 * CVRPLIB lists for these sets is stated under it.
 */
export function euc2dDistance(a: { readonly x: number; readonly y: number }, b: { readonly x: number; readonly y: number }): number {
  return Math.floor(Math.sqrt((a.x - b.x) ** 2 + (a.y - b.y) ** 2) + 0.5);
}

/** Parses a `.vrp` file: specification lines (`KEY : value`), then NODE_COORD, DEMAND and DEPOT sections. Accepts tabs and CRLF. */
export function parseTsplibCvrp(text: string): TsplibCvrp {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const spec = new Map<string, string>();
  const points: { x: number; y: number }[] = [];
  const demands: number[] = [];
  const depots: number[] = [];
  let section: 'coords' | 'demands' | 'depots' | undefined;
  lines.forEach((line, index) => {
    const where = `line ${index + 1}`;
    if (line === '' || line === 'EOF') return;
    const header = /^([A-Z_]+)\s*(?::\s*(.*))?$/.exec(line);
    if (header !== null && (header[2] !== undefined || header[1]!.endsWith('_SECTION'))) {
      const key = header[1]!;
      section = key === 'NODE_COORD_SECTION' ? 'coords' : key === 'DEMAND_SECTION' ? 'demands' : key === 'DEPOT_SECTION' ? 'depots' : undefined;
      if (key.endsWith('_SECTION') && section === undefined) throw new TsplibFormatError(`${where}: unsupported section ${key}`);
      if (header[2] !== undefined) spec.set(key, header[2].trim().replace(/^"|"$/g, ''));
      return;
    }
    const numbers = line.split(/\s+/).map(Number);
    if (numbers.some((value) => !Number.isFinite(value))) throw new TsplibFormatError(`${where}: expected numbers, got ${JSON.stringify(line)}`);
    if (section === 'coords') {
      if (numbers.length !== 3 || numbers[0] !== points.length + 1) throw new TsplibFormatError(`${where}: expected "${points.length + 1} x y"`);
      points.push({ x: numbers[1]!, y: numbers[2]! });
    } else if (section === 'demands') {
      if (numbers.length !== 2 || numbers[0] !== demands.length + 1) throw new TsplibFormatError(`${where}: expected "${demands.length + 1} demand"`);
      demands.push(numbers[1]!);
    } else if (section === 'depots') {
      for (const value of numbers) if (value !== -1) depots.push(value - 1);
    } else {
      throw new TsplibFormatError(`${where}: data outside any section`);
    }
  });
  const type = spec.get('EDGE_WEIGHT_TYPE');
  if (type !== 'EUC_2D') throw new TsplibFormatError(`EDGE_WEIGHT_TYPE ${type ?? '(missing)'} is not supported: only EUC_2D`);
  const dimension = Number(spec.get('DIMENSION'));
  const capacity = Number(spec.get('CAPACITY'));
  if (!Number.isInteger(dimension) || points.length !== dimension || demands.length !== dimension) {
    throw new TsplibFormatError(`DIMENSION ${spec.get('DIMENSION')} does not match ${points.length} coordinates and ${demands.length} demands`);
  }
  if (!(capacity > 0)) throw new TsplibFormatError(`CAPACITY must be a positive number, got ${spec.get('CAPACITY')}`);
  if (depots.length !== 1 || !(depots[0]! >= 0 && depots[0]! < dimension)) throw new TsplibFormatError(`expected exactly one depot in DEPOT_SECTION, got ${depots.length}`);
  return { name: spec.get('NAME') ?? '', comment: spec.get('COMMENT') ?? '', capacity, points, demands, depot: depots[0]! };
}

/**
 * The instance as a {@link CvrpProblem} on the EUC_2D matrix: one customer per non-depot node, in
 * file order, and `vehicles` identical vehicles at the depot (default: as many as customers, an
 * unlimited fleet).
 */
export function tsplibProblem(instance: TsplibCvrp, vehicles?: number): CvrpProblem {
  const costs = instance.points.map((from) => instance.points.map((to) => euc2dDistance(from, to)));
  const customers = instance.points.flatMap((_, point) => (point === instance.depot ? [] : [{ point, demand: instance.demands[point]! }]));
  const fleet = vehicles ?? customers.length;
  return { costs, customers, vehicles: Array.from({ length: fleet }, () => ({ depot: instance.depot, capacity: instance.capacity })) };
}

/**
 * Parses a CVRPLIB solution (`Route #1: 21 31 19`, ..., `Cost 784`). Customer numbers count the
 * non-depot nodes from 1, so with the depot first in the file, customer k is node k + 1, which is
 * customer index k - 1 of {@link tsplibProblem}. Returns those indices.
 */
export function parseCvrplibSolution(text: string): { readonly routes: readonly (readonly number[])[]; readonly cost: number } {
  const routes: number[][] = [];
  let cost: number | undefined;
  for (const line of text.split(/\r?\n/)) {
    const route = /^Route\s*#\d+\s*:\s*(.*)$/i.exec(line.trim());
    if (route !== null) routes.push(route[1]!.trim().split(/\s+/).map((k) => Number(k) - 1));
    const total = /^Cost\s+(\S+)/i.exec(line.trim());
    if (total !== null) cost = Number(total[1]);
  }
  if (cost === undefined || routes.length === 0) throw new TsplibFormatError('a CVRPLIB solution needs Route lines and a Cost line');
  return { routes, cost };
}
