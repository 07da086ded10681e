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
  /CHARGING +OCPP 1\.6-J central system at ws:\/\/127\.0\.0\.1:\d+\/ocpp/,
  /DEPOT +futian-depot: 4 buses/,
  /GRID +afternoon peak shaving: shed 60\.0 kW in futian-north/,
  /CURTAIL +dr-\S+: \d+\.\d kW of 60\.0 kW shed within one cycle/,
  /RESTORE +dr-\S+: capacity back in full after the ramp/,
  /SUMMARY +\d+\.\d s, \d+ events \(\d+\/s\), 2 incidents, \d+ dispatches, \d+ corridors, \d+ pre-emptions, \d+ hospital arrivals, 0 dead letters, \d+ charging sessions, 1 curtailments, peak feeder load \d+\.\d of \d+ kW \(F-[A-Z]+\)/,
];
