import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = join(import.meta.dirname, '../..');

/** Runs the real `polis` command from source, as `pnpm start` does, and returns its exit code and output. */
export async function polis(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--conditions=@polis/source', '--import', 'tsx', join(repoRoot, 'packages/cli/src/main.ts'), ...args], {
      cwd: repoRoot,
      timeout: 60_000,
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
  /COLLECTION +plan PLAN-\S+: \d+ trucks? for \d+ bins, [\d.]+ km, [\d.]+ m3, on live travel times/,
  /ROUTE +truck-\d from futian-depot: \d+ bins/,
  /PICKUP +truck-\d emptied bin-\d+/,
  /SUMMARY +\d+\.\d s, \d+ events \(\d+\/s\), 2 incidents, \d+ dispatches, \d+ corridors, \d+ pre-emptions, \d+ hospital arrivals, 1 collection plan, \d+ routes \(\d+ bins\), \d+ pickups, \d+ overflows?, 0 dead letters/,
];
