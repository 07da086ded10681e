import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = join(import.meta.dirname, '../..');

/** The command line that runs `polis` from source, as `pnpm polis` does. */
export const POLIS_FROM_SOURCE = [
  process.execPath,
  '--conditions=@polis/source',
  // By URL, so it loads from any working folder.
  '--import',
  pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href,
  join(repoRoot, 'packages/cli/src/main.ts'),
] as const;

export interface PolisRun {
  /** Environment variables added to this process's. */
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
}

/** Runs the real `polis` command from source and returns its exit code and output. */
export async function polis(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return polisWith({}, ...args);
}

export async function polisWith(options: PolisRun, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const [node, ...prefix] = POLIS_FROM_SOURCE;
  try {
    const { stdout, stderr } = await run(node, [...prefix, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
      timeout: options.timeoutMs ?? 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The lines `city-log` prints for a demo run that went through the whole chain. */
export const DEMO_CHAIN = [
  /INCIDENT +INC-\S+ opened/,
  /DISPATCH +ambulance amb-\d/,
  /CORRIDOR +COR-amb-\d/,
  /ARRIVAL +ambulance amb-\d delivered the patient/,
  /SUMMARY +\d+\.\d s, \d+ events \(\d+\/s\), 2 incidents, \d+ dispatches, \d+ corridors, \d+ pre-emptions, \d+ hospital arrivals, 0 dead letters/,
];
