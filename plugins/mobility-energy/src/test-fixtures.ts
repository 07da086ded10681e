// Shared by the plugin's tests: a small charging grid, and a kernel running the plugin with its
// central system on a free loopback port.
import { readFileSync } from 'node:fs';
import { energy } from '@polis/contracts';
import type { FiwareEntity } from '@polis/contracts';
import { startTestKernel } from '@polis/testkit';
import { afterEach } from 'vitest';
import type { TestKernel, TestKernelOptions } from '@polis/testkit';
import plugin from './index.js';
import type { MobilityEnergyConfig } from './config.js';
import { TestChargePoint } from './ocpp/test-charge-point.js';
import type { TestChargePointOptions } from './ocpp/test-charge-point.js';

/** Configuration as a deployment file gives it: defaults left out. */
type ConfigInput = {
  [K in 'grid' | 'hubs' | 'vehicles' | 'depots' | 'emergency' | 'demandResponse' | 'hubDisruption']?: unknown;
} & {
  centralSystem?: Partial<MobilityEnergyConfig['centralSystem']>;
  allocation?: Partial<MobilityEnergyConfig['allocation']>;
};

/**
 * Two hubs in Futian: hub-a (cp-1 with two connectors, cp-2) on feeder f1 of 22 kW, hub-b (cp-3,
 * cp-4) on f2 of 50 kW, both under transformer t1 of 60 kW. AC chargers of 6..32 A on three
 * phases at 230 V: 4.14 to 22.08 kW.
 */
export function gridConfig(extra: ConfigInput = {}): Record<string, unknown> {
  return {
    centralSystem: { port: 0, callTimeoutMs: 2000, ...extra.centralSystem },
    allocation: { cycleS: 5, loadReportS: 60, ...extra.allocation },
    grid: extra.grid ?? {
      transformers: [{ id: 't1', limitKw: 60 }],
      feeders: [
        { id: 'f1', limitKw: 22, transformerId: 't1', zone: 'futian-north' },
        { id: 'f2', limitKw: 50, transformerId: 't1', zone: 'futian-south' },
      ],
    },
    hubs: extra.hubs ?? [
      { id: 'hub-a', name: 'Civic Center', position: { lat: 22.5431, lon: 114.0579 }, feederId: 'f1', chargers: [{ id: 'cp-1', connectors: 2 }, { id: 'cp-2' }] },
      { id: 'hub-b', name: 'Futian Port', position: { lat: 22.5240, lon: 114.0550 }, feederId: 'f2', chargers: [{ id: 'cp-3' }, { id: 'cp-4' }] },
    ],
    vehicles: extra.vehicles ?? [
      { id: 'amb-1', class: 'private', idTags: ['AMB1'], batteryKwh: 80 },
      { id: 'bus-7', class: 'transit', idTags: ['BUS7'], batteryKwh: 300 },
      { id: 'taxi-1', class: 'taxi', idTags: ['TAXI1'], batteryKwh: 60 },
    ],
    ...(extra.depots ? { depots: extra.depots } : {}),
    ...(extra.emergency ? { emergency: extra.emergency } : {}),
    ...(extra.demandResponse ? { demandResponse: extra.demandResponse } : {}),
    ...(extra.hubDisruption ? { hubDisruption: extra.hubDisruption } : {}),
  };
}

export interface EnergyKit {
  readonly kit: TestKernel;
  /** The central system's endpoint. */
  readonly url: string;
  /** Connects a simulated charge point and boots it. */
  chargePoint(id: string, options?: TestChargePointOptions): Promise<TestChargePoint>;
  /** Moves the fake clock to the next allocation cycle and waits until that cycle is done. */
  nextCycle(): Promise<void>;
  stop(): Promise<void>;
}

/** The controller's debug line at the end of each cycle. */
const CYCLE_DONE = 'allocation cycle done';

/** A kernel running mobility-energy (and `others`) on `config`, its central system on a free loopback port. */
export async function startEnergyKit(config: Record<string, unknown> = gridConfig(), options: Partial<TestKernelOptions> = {}): Promise<EnergyKit> {
  const kit = await startTestKernel({ ...options, plugins: [{ plugin, config }, ...(options.plugins ?? [])] });
  const opened = await kit.expectEvent(energy.CentralSystemOpened, { within: 5000 });
  const chargePoints: TestChargePoint[] = [];
  const cycleMs = ((config.allocation as { cycleS?: number } | undefined)?.cycleS ?? 5) * 1000;
  return {
    kit,
    url: opened.data.url,
    async chargePoint(id, cpOptions) {
      const chargePoint = await TestChargePoint.connect(opened.data.url, id, cpOptions);
      chargePoints.push(chargePoint);
      await chargePoint.boot();
      // Its TxDefaultProfile follows the boot reply; wait for it so tests start from a known state.
      await waitUntil(() => chargePoint.profiles().some((profile) => profile.csChargingProfiles.chargingProfilePurpose === 'TxDefaultProfile'));
      return chargePoint;
    },
    async nextCycle() {
      const before = cyclesDone(kit);
      await kit.clock.advance(cycleMs);
      // The cycle runs on real WebSocket round trips: wait until the controller says it is done.
      await waitUntil(() => cyclesDone(kit) > before);
    },
    async stop() {
      await Promise.all(chargePoints.map((chargePoint) => chargePoint.close().catch(() => undefined)));
      await kit.stop();
    },
  };
}

/** Allocation cycles completed so far, from the controller's debug log. */
export function cyclesDone(kit: TestKernel): number {
  let done = 0;
  for (const record of kit.logs) if (record.message === CYCLE_DONE) done = Math.max(done, Number(record.fields?.cycle ?? 0));
  return done;
}

/** For a test file: starts energy kits, and stops each one after its test. */
export function energyKits(): (config?: Record<string, unknown>, options?: Partial<TestKernelOptions>) => Promise<EnergyKit> {
  const started: EnergyKit[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((energyKit) => energyKit.stop()));
  });
  return async (config, options) => {
    const energyKit = await startEnergyKit(config, options);
    started.push(energyKit);
    return energyKit;
  };
}

/** Polls (real time) until `condition` holds; throws after `ms`. */
export async function waitUntil(condition: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const FIWARE_EXAMPLES = new URL('../../../test/fixtures/smart-data-models/EVChargingStation/examples/', import.meta.url);

/** A real FIWARE EVChargingStation example (Smart Data Models, CC BY 4.0), in one of its four forms. */
export function stationExample(file: 'example.json' | 'example.jsonld' | 'example-normalized.json' | 'example-normalized.jsonld'): FiwareEntity & Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, FIWARE_EXAMPLES), 'utf8')) as FiwareEntity & Record<string, unknown>;
}
