import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertToSumo } from '../network/sumo-network.js';
import type { SumoNetworkFiles } from '../network/sumo-network.js';
import { startSumo } from '../sumo-process.js';
import type { SumoSession } from '../sumo-process.js';
import { Variable } from './constants.js';
import { TraciCommandError } from './errors.js';
import { asLoopPassages, asNumber } from './traci-client.js';

// A two-link road through one signal, converted and run in the real sumo binary.
const network = {
  nodes: [
    { id: 'a', lat: 22.533, lon: 114.045 },
    { id: 'b', lat: 22.533, lon: 114.0489 },
    { id: 'c', lat: 22.533, lon: 114.0528 },
    { id: 'n', lat: 22.5366, lon: 114.0489 },
  ],
  links: [
    { id: 'a-b', from: 'a', to: 'b', lengthM: 400, freeFlowSpeedKph: 50, lanes: 2 },
    { id: 'b-c', from: 'b', to: 'c', lengthM: 400, freeFlowSpeedKph: 50, lanes: 2 },
    { id: 'n-b', from: 'n', to: 'b', lengthM: 400, freeFlowSpeedKph: 50, lanes: 1 },
  ],
  intersections: [
    {
      id: 'xb',
      node: 'b',
      phases: [
        { id: 'EW', links: ['a-b'] },
        { id: 'NS', links: ['n-b'] },
      ],
    },
  ],
  detectors: [{ id: 'd-a-b-1', link: 'a-b', lane: 1, positionM: 100 }],
};

describe('TraCI client against sumo', () => {
  let dir: string;
  let files: SumoNetworkFiles;
  let sumo: SumoSession;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polis-traci-'));
    files = await convertToSumo(network, dir);
    const routes = join(dir, 'routes.rou.xml');
    await writeFile(
      routes,
      `<routes>\n  <route id="east" edges="a-b b-c"/>\n  <flow id="f" route="east" begin="0" end="120" period="4" departLane="0" departSpeed="max"/>\n</routes>\n`,
    );
    sumo = await startSumo({ args: ['-n', files.netFile, '-r', routes, '-a', `${files.detectorsFile},${files.actuatedFile}`, '--step-length', '1'] });
  });

  afterAll(async () => {
    await sumo?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('speaks the API version SUMO 1.15 answers', async () => {
    const version = await sumo.client.version();
    expect(version.api).toBe(20);
    expect(version.sumo).toMatch(/SUMO 1\./);
  });

  it('counts each vehicle passing a subscribed induction loop once, with its entry and leave times', async () => {
    await sumo.client.subscribe('induction-loop', 'd-a-b-1', [Variable.LAST_STEP_VEHICLE_DATA, Variable.LAST_STEP_OCCUPANCY]);
    const seen = new Set<string>();
    let occupiedSteps = 0;
    for (let step = 0; step < 60; step++) {
      const results = await sumo.client.step();
      const loop = results.find((result) => result.objectId === 'd-a-b-1')!;
      for (const passage of asLoopPassages(loop.values.get(Variable.LAST_STEP_VEHICLE_DATA)!)) {
        if (passage.leaveTimeS >= 0) {
          // A 5 m car at ~13.9 m/s takes ~0.36 s to pass a point.
          expect(passage.leaveTimeS - passage.entryTimeS).toBeGreaterThan(0.2);
          expect(passage.leaveTimeS - passage.entryTimeS).toBeLessThan(1);
          seen.add(passage.vehicleId);
        }
      }
      if (asNumber(loop.values.get(Variable.LAST_STEP_OCCUPANCY)!) > 0) occupiedSteps += 1;
    }
    // One car every 4 s from t=0, 100 m at ~13.9 m/s: the loop sees cars from ~t=8 on.
    expect(seen.size).toBeGreaterThanOrEqual(12);
    expect(seen.size).toBeLessThanOrEqual(14);
    expect(occupiedSteps).toBeGreaterThan(0);
    expect(await sumo.client.timeS()).toBe(60);
  });

  it('shows a state it is told to, switches programs, and reads the controlled links', async () => {
    const links = await sumo.client.controlledLinks('xb');
    const mapping = files.mapping.signals.find((signal) => signal.tlsId === 'xb')!;
    expect(mapping.phases.EW!.green.length).toBe(links.length);
    // Every index the EW green lights comes from the a-b approach.
    [...mapping.phases.EW!.green].forEach((state, index) => {
      if (state !== 'r') expect(links[index]![0]!.fromLane).toMatch(/^a-b_/);
    });
    await sumo.client.setSignalState('xb', mapping.phases.NS!.green);
    await sumo.client.step();
    expect(await sumo.client.signalState('xb')).toBe(mapping.phases.NS!.green);
    await sumo.client.setSignalProgram('xb', 'actuated');
    await sumo.client.step();
    expect(await sumo.client.signalProgram('xb')).toBe('actuated');
  });

  it('turns SUMO refusals into errors that carry its message, and keeps the connection usable', async () => {
    const refusal = await sumo.client.setSignalState('no-such-light', 'G').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TraciCommandError);
    expect((refusal as TraciCommandError).code).toBe('SUMO_TRACI_COMMAND_FAILED');
    expect((refusal as Error).message).toMatch(/no-such-light/);
    expect(await sumo.client.timeS()).toBeGreaterThan(60);
  });

  it('adds a vehicle on a new route and stops it on a lane', async () => {
    await sumo.client.addRoute('r-test', ['n-b', 'b-c']);
    await sumo.client.addVehicle('probe', 'r-test');
    await sumo.client.step();
    await sumo.client.setVehicleStop('probe', 'n-b', 200, 0, 30);
    await sumo.client.subscribe('vehicle', 'probe', [Variable.ROAD_ID, Variable.LANE_POSITION, Variable.SPEED]);
    let stoppedAt: number | undefined;
    for (let step = 0; step < 60 && stoppedAt === undefined; step++) {
      const probe = (await sumo.client.step()).find((result) => result.objectId === 'probe');
      if (probe && asNumber(probe.values.get(Variable.SPEED)!) === 0) stoppedAt = asNumber(probe.values.get(Variable.LANE_POSITION)!);
    }
    expect(stoppedAt).toBeGreaterThan(195);
    expect(stoppedAt).toBeLessThanOrEqual(200.1);
  });
});
