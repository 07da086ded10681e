// `pnpm sumo:eval`: the SUMO evaluation of the traffic plugin on the demo city. Prints a
// markdown report and writes the raw figures to sumo-eval-results.json.
// Options: --duration S (simulated seconds per run, default 3600), --seeds N (default 3),
// --parts control,emergency,incidents (default all; a slow shared machine can run one part),
// --controls sumo-fixed,sumo-actuated,sumo-actuated-city,polis (default all;
// sumo-actuated-city is SUMO's actuated control under the city's min green, yellow and all-red),
// --gap-out S (Polis ends a green after its min green once every lane has had no vehicle at its
// stop line for S seconds; the bridge reports gaps every second; default off)., --timing city|sumo (default city).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertToSumo } from '../network/sumo-network.js';
import type { SignalControl } from '../bridge/sumo-bridge.js';
import { demoCityNetwork, evaluationTrafficConfig, withSumoTiming } from './demo-city.js';
import { runScenario } from './scenario.js';
import type { ScenarioResult } from './scenario.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const durationS = option('duration', 3600);
const seeds = Array.from({ length: option('seeds', 3) }, (_, i) => i + 1);
const PARTS = ['control', 'emergency', 'incidents'] as const;
const partsAt = args.indexOf('--parts');
const parts = partsAt >= 0 ? args[partsAt + 1]!.split(',') : [...PARTS];
const unknownPart = parts.find((part) => !(PARTS as readonly string[]).includes(part));
if (unknownPart !== undefined) throw new Error(`--parts: unknown part '${unknownPart}', expected some of ${PARTS.join(',')}`);
const LEVELS = [
  { name: 'low', vehiclesPerHour: 1200 },
  { name: 'medium', vehiclesPerHour: 2400 },
  { name: 'near-saturated', vehiclesPerHour: 3600 },
];
const ALL_CONTROLS: SignalControl[] = ['sumo-fixed', 'sumo-actuated', 'sumo-actuated-city', 'polis'];
// --controls polis: rerun only Polis after a change to it (SUMO's programs give the same figures on the same seeds).
const controlsAt = args.indexOf('--controls');
const CONTROLS = controlsAt >= 0 ? (args[controlsAt + 1]!.split(',') as SignalControl[]) : ALL_CONTROLS;
const unknownControl = CONTROLS.find((control) => !ALL_CONTROLS.includes(control));
if (unknownControl !== undefined) throw new Error(`--controls: unknown control '${unknownControl}', expected some of ${ALL_CONTROLS.join(',')}`);

const dir = await mkdtemp(join(tmpdir(), 'polis-sumo-eval-'));
// --timing sumo: Polis under SUMO's actuated timing constraints (see withSumoTiming); default the city's.
const timingAt = args.indexOf('--timing');
const timing = timingAt >= 0 ? args[timingAt + 1]! : 'city';
if (timing !== 'city' && timing !== 'sumo') throw new Error(`--timing: expected city or sumo, got '${timing}'`);
const cityNetwork = await demoCityNetwork();
const network = timing === 'sumo' ? withSumoTiming(cityNetwork) : cityNetwork;
const files = await convertToSumo(network, dir);
const gapOutS = args.includes('--gap-out') ? option('gap-out', 3) : undefined;
if (gapOutS !== undefined && !(gapOutS > 0)) throw new Error('--gap-out: expected a number of seconds > 0');
const baseConfig = evaluationTrafficConfig(network);
const trafficConfig = gapOutS === undefined ? baseConfig : { ...baseConfig, signals: { ...(baseConfig.signals as Record<string, unknown>), gapOutS } };
const common = { files, network, trafficConfig, durationS, workDir: dir, ...(gapOutS === undefined ? {} : { gapReportIntervalS: 1 }) };
const results: Record<string, unknown>[] = [];
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const lines: string[] = [];

if (parts.includes('control')) {
  lines.push(`## Signal control (${durationS} s per run, seeds ${seeds.join(', ')}, ${timing} timing${gapOutS === undefined ? '' : `, Polis gap-out ${gapOutS} s`})`, '', '| demand | control | mean time loss, s | arrived | teleports |', '|---|---|---|---|---|');
  for (const level of LEVELS) {
    const byControl = new Map<SignalControl, ScenarioResult[]>();
    for (const control of CONTROLS) {
      for (const seed of seeds) {
        const result = await runScenario({ ...common, control, vehiclesPerHour: level.vehiclesPerHour, seed });
        byControl.set(control, [...(byControl.get(control) ?? []), result]);
        results.push({ kind: 'control', level: level.name, vehiclesPerHour: level.vehiclesPerHour, control, seed, ...result });
        process.stderr.write(`${level.name} ${control} seed ${seed}: time loss ${result.meanTimeLossS.toFixed(1)} s, arrived ${result.arrived}/${result.vehicles}\n`);
      }
      const runs = byControl.get(control)!;
      lines.push(`| ${level.name} (${level.vehiclesPerHour} veh/h) | ${control} | ${mean(runs.map((r) => r.meanTimeLossS)).toFixed(1)} (${runs.map((r) => r.meanTimeLossS.toFixed(1)).join(', ')}) | ${mean(runs.map((r) => r.arrived)).toFixed(0)} | ${mean(runs.map((r) => r.teleports)).toFixed(1)} |`);
    }
}
}

// Emergency vehicles: the same dispatches with and without corridors, under Polis control, medium demand.
const dispatches = [
  { atS: 120, from: 'n00', to: 'n44' },
  { atS: 300, from: 'n40', to: 'n04' },
  { atS: 900, from: 'n40', to: 'n04' },
  { atS: 1500, from: 'n04', to: 'n40' },
  { atS: 2100, from: 'n44', to: 'n00' },
].filter((dispatch) => dispatch.atS < durationS - 400);
if (parts.includes('emergency')) {
  lines.push('', '## Emergency vehicles (medium demand, Polis control)', '', '| seed | corridors | EV trip times, s | planned, s | general time loss, s |', '|---|---|---|---|---|');
  for (const seed of seeds) {
    for (const corridors of [false, true]) {
      const result = await runScenario({ ...common, control: 'polis', vehiclesPerHour: 2400, seed, dispatches, corridors });
      results.push({ kind: 'emergency', seed, corridors, ...result });
      const times = result.emergencyTripsS.map((trip) => (trip.durationS === undefined ? 'unfinished' : trip.durationS.toFixed(0))).join(', ');
      const planned = result.emergencyTripsS.map((trip) => (trip.plannedS === undefined ? '-' : trip.plannedS.toFixed(0))).join(', ');
      lines.push(`| ${seed} | ${corridors ? 'yes' : 'no'} | ${times} | ${planned} | ${result.meanTimeLossS.toFixed(1)} |`);
      process.stderr.write(`emergency seed ${seed} corridors ${corridors}: ${times}\n`);
    }
}
}

// Incidents, medium demand, Polis control: single lanes closed (the other lanes stay open, so
// traffic changes lane around the blocker) and whole carriageways blocked (every lane of a link).
const incidents = [
  { kind: 'lane closed', atS: 240, linkId: 'n21-n22', lanes: [1], positionM: 200, durationS: 480 },
  { kind: 'lane closed', atS: 300, linkId: 'n13-n12', lanes: [1], positionM: 250, durationS: 480 },
  { kind: 'lane closed', atS: 360, linkId: 'n32-n22', lanes: [2], positionM: 200, durationS: 480 },
  { kind: 'carriageway blocked', atS: 200, linkId: 'n01-n11', lanes: [1, 2], positionM: 200, durationS: 360 },
  { kind: 'carriageway blocked', atS: 320, linkId: 'n23-n24', lanes: [1, 2, 3], positionM: 200, durationS: 360 },
  { kind: 'carriageway blocked', atS: 440, linkId: 'n41-n42', lanes: [1, 2], positionM: 200, durationS: 360 },
  { kind: 'lane closed', atS: 1500, linkId: 'n01-n11', lanes: [1], positionM: 200, durationS: 600 },
  { kind: 'lane closed', atS: 2400, linkId: 'n23-n24', lanes: [1], positionM: 200, durationS: 600 },
].filter((incident) => incident.atS + incident.durationS < durationS);
if (parts.includes('incidents')) {
  lines.push('', '## Incident detection (medium demand, Polis control)', '', '| seed | kind | detected | minutes to detect | false alarms (per hour) |', '|---|---|---|---|---|');
  for (const seed of seeds) {
    const result = await runScenario({ ...common, control: 'polis', vehiclesPerHour: 2400, seed, incidents });
    results.push({ kind: 'incidents', seed, staged: incidents, ...result });
    for (const kind of new Set(incidents.map((incident) => incident.kind))) {
      const ofKind = result.incidentsDetected.filter((_, i) => incidents[i]!.kind === kind);
      const detected = ofKind.filter((incident) => incident.detectedAfterS !== undefined);
      lines.push(`| ${seed} | ${kind} | ${detected.length}/${ofKind.length} | ${detected.map((incident) => `${incident.linkId} ${(incident.detectedAfterS! / 60).toFixed(1)}`).join(', ')} | ${result.falseAlarms} (${((result.falseAlarms * 3600) / durationS).toFixed(1)}) |`);
    }
    process.stderr.write(`incidents seed ${seed}: ${JSON.stringify(result.incidentsDetected)} false alarms ${result.falseAlarms}\n`);
  }
}

await writeFile('sumo-eval-results.json', `${JSON.stringify(results, null, 1)}\n`);
process.stdout.write(`${lines.join('\n')}\n`);
await rm(dir, { recursive: true, force: true });
