import { readFileSync } from 'node:fs';
import { parseTsplibCvrp } from './tsplib.js';
import type { TsplibCvrp } from './tsplib.js';

/** The vendored CVRPLIB instances (test/fixtures/cvrplib, see its README for sources). */
export const CVRPLIB_DIR = new URL('../../../../../test/fixtures/cvrplib/', import.meta.url);

/** Each instance's proven optimum and its fleet (null: unlimited), from `optima.json`. */
export const CVRPLIB_OPTIMA = JSON.parse(readFileSync(new URL('optima.json', CVRPLIB_DIR), 'utf8')) as Readonly<
  Record<string, { readonly optimum: number; readonly vehicles: number | null }>
>;

export function cvrplibFile(name: string): string {
  return readFileSync(new URL(name, CVRPLIB_DIR), 'utf8');
}

export function cvrplibInstance(name: string): TsplibCvrp {
  return parseTsplibCvrp(cvrplibFile(`${name}.vrp`));
}
