import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = join(import.meta.dirname, '../..');

/**
 * A copy of the demo city's deployment file beside the original (so its `$include`s, packages
 * and tokens resolve the same way) with its gateway and OCPP central system on free ports, so
 * tests running the demo at once never fight over 8080 and 9220; `edit` changes it further.
 */
export function demoCityCopy(label: string, edit: (text: string) => string = (text) => text): { readonly file: string; remove(): void } {
  const demo = join(repoRoot, 'examples/city-demo');
  const file = join(demo, `.city-test-${label}-${randomBytes(4).toString('hex')}.yaml`);
  const text = readFileSync(join(demo, 'city.yaml'), 'utf8');
  const onFreePorts = text.replace(/\n  port: 8080\n/, '\n  port: 0\n').replace('centralSystem: { port: 9220 }', 'centralSystem: { port: 0 }');
  if (onFreePorts === text) throw new Error('the demo city no longer has its gateway on 8080 and its central system on 9220: update demoCityCopy');
  writeFileSync(file, edit(onFreePorts));
  return { file, remove: () => rmSync(file, { force: true }) };
}

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

/**
 * How long a test runs the demo city to see all of DEMO_CHAIN, in seconds (`--duration`). 12, not
 * less: the collection plan is a time-limited search (1.5 s), so which bin a truck visits first,
 * and when its first pickup falls, depends on the machine's speed. On a loaded 2-core CI machine a
 * route's first bin was 7 city minutes (7 s here) after a plan that came 2.4 s into the run, and
 * an 8 s run ended before any pickup.
 */
export const DEMO_RUN_SECONDS = '12';

/** The lines `city-log` prints for a demo run that went through the whole chain. */
export const DEMO_CHAIN = [
  // Environment and waste join the running city with their data sources (one startAfter batch).
  /hot-plugged environment@\S+ into the running city/,
  /hot-plugged waste@\S+ into the running city/,
  /INCIDENT +INC-\S+ opened/,
  /DISPATCH +ambulance amb-\d/,
  /CORRIDOR +COR-amb-\d/,
  /ARRIVAL +ambulance amb-\d delivered the patient/,
  /COLLECTION +plan PLAN-\S+: \d+ trucks? for \d+ bins, [\d.]+ km, [\d.]+ m3, on live travel times/,
  /ROUTE +truck-\d from futian-depot: \d+ bins/,
  /PICKUP +truck-\d emptied bin-\d+/,
  /CHARGING +OCPP 1\.6-J central system at ws:\/\/127\.0\.0\.1:\d+\/ocpp/,
  /DEPOT +futian-depot: 4 buses/,
  /GRID +afternoon peak shaving: shed 60\.0 kW in futian-north/,
  /CURTAIL +dr-\S+: \d+\.\d kW of 60\.0 kW shed within one cycle/,
  /RESTORE +dr-\S+: capacity back in full after the ramp/,
  /SUMMARY +\d+\.\d s, \d+ events \(\d+\/s\), 2 incidents, \d+ dispatches, \d+ corridors, \d+ pre-emptions, \d+ hospital arrivals, \d+ AQI updates, \d+ air-quality alerts, \d+ hospital readiness changes, \d+ gated signals, [1-9]\d* collection plans?, \d+ routes \(\d+ bins\), \d+ pickups, \d+ overflows?, \d+ charging sessions, 1 curtailments, peak feeder load \d+\.\d of \d+ kW \(F-[A-Z]+\), 0 dead letters/,
];

/** The lines of the demo's citizens: requests routed with their SLA deadlines, departments' steps, the crash complaint joining its incident, one escalation. */
export const CITIZEN_CHAIN = [
  /REQUEST +SR-\d+ bin-overflow filed over Open311/,
  /ROUTED +SR-\d+ routed to traffic \(urgent\): acknowledge by \d\d:\d\d, resolve by \d\d:\d\d UTC/,
  /CASE +SR-\d+ acknowledged: traffic: signal crew assigned to x\d+/,
  /CASE +SR-\d+ acknowledged: linked to incident INC-\S+, which public safety is already handling/,
  /CASE +SR-\d+ resolved: environment: inspection done; station futian-cbd/,
  /ESCALATED +SR-\d+ \(signal-broken\) missed its time to resolve: traffic-supervisor told/,
  /CITIZEN +files smoke-smell over Open311 -> SR-\d+: joined an open request about the same thing/,
  /SUMMARY .*0 dead letters, 4 citizen requests, [1-9] resolved cases, 1 SLA misses/,
];

/** The lines of the demo's air-quality episode: the CBD's zone alert and the other domains' reactions. */
export const AIR_QUALITY_CHAIN = [
  /AIR ALERT +AQ-futian-cbd-\S+ for zone Futian CBD: us-epa AQI \d+/,
  /READINESS +futian-hospital normal -> standby/,
  /AIR ALERT +AQ-futian-cbd-\S+ low -> medium/,
  /GATING +4 signals at the edge of AQ-futian-cbd-\S+/,
  /READINESS +futian-hospital standby -> prepared/,
];
