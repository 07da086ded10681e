import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertToSumo } from '../network/sumo-network.js';
import type { SumoNetworkFiles } from '../network/sumo-network.js';
import { demoCityNetwork, evaluationTrafficConfig } from './demo-city.js';
import { runScenario } from './scenario.js';

// The short version of `pnpm sumo:eval`: the demo city in SUMO for 10 simulated minutes at
// medium demand, one seed. It proves the whole loop runs (detectors -> Polis -> signals -> SUMO)
// and that its figures are real numbers; the targets are judged on the full evaluation.
describe('SUMO evaluation (short)', () => {
  let dir: string;
  let files: SumoNetworkFiles;
  let network: Awaited<ReturnType<typeof demoCityNetwork>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polis-sumo-eval-'));
    network = await demoCityNetwork();
    files = await convertToSumo(network, dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the demo city under Polis control and under SUMO fixed-time on the same seeded demand', async () => {
    const common = { files, network, trafficConfig: evaluationTrafficConfig(network), vehiclesPerHour: 1800, seed: 1, durationS: 600, workDir: dir };
    const polis = await runScenario({ ...common, control: 'polis' });
    const fixed = await runScenario({ ...common, control: 'sumo-fixed' });
    expect(polis.vehicles).toBe(fixed.vehicles);
    expect(polis.signalStatesApplied).toBeGreaterThan(25 * 10);
    expect(fixed.signalStatesApplied).toBe(0);
    for (const result of [polis, fixed]) {
      expect(result.arrived).toBeGreaterThan(result.vehicles / 3);
      expect(Number.isFinite(result.meanTimeLossS) && result.meanTimeLossS > 0).toBe(true);
    }
  }, 120_000);
});
