import { energy } from '@polis/contracts';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';
import { TestChargePoint } from './ocpp/test-charge-point.js';
import { energyKits, gridConfig, waitUntil } from './test-fixtures.js';

const startKit = energyKits();

describe('the mobility-energy plugin', () => {
  it('reports every problem of its grid configuration at once, each with its path', async () => {
    const config = gridConfig({
      grid: { transformers: [{ id: 't1', limitKw: 10 }], feeders: [{ id: 'f1', limitKw: 20, transformerId: 't9' }, { id: 'f1', limitKw: 5 }] },
      hubs: [
        {
          id: 'hub-a',
          name: 'A',
          position: { lat: 22.5, lon: 114 },
          feederId: 'f7',
          chargers: [{ id: 'cp-1', minCurrentA: 40, maxCurrentA: 32 }, { id: 'cp-1' }, { id: 'dc-1', rateUnit: 'W' }],
        },
      ],
    });
    const attempt = startTestKernel({ plugins: [{ plugin, config }] });
    await expect(attempt).rejects.toMatchObject({
      errors: [
        {
          code: 'POLIS_CONFIG_INVALID',
          details: {
            problems: [
              { path: 'grid.feeders[0].transformerId', message: 'unknown transformer "t9"' },
              { path: 'grid.feeders[1].id', message: 'duplicate feeder id "f1"' },
              { path: 'hubs[0].feederId', message: 'unknown feeder "f7"' },
              { path: 'hubs[0].chargers[0].minCurrentA', message: 'must not exceed maxCurrentA (32)' },
              { path: 'hubs[0].chargers[1].id', message: 'duplicate charger id "cp-1"' },
              { path: 'hubs[0].chargers[2].maxPowerKw', message: 'is required for a DC charger (rateUnit W)' },
            ],
          },
        },
      ],
    });
  });

  it('takes up its charge points and open transactions again after a restart', async () => {
    const energyKit = await startKit();
    const { kit } = energyKit;
    const cp = await energyKit.chargePoint('cp-1');
    const { transactionId } = await cp.startTransaction(1, 'TAXI1', 500);
    await cp.close();
    await kit.kernel.unload('mobility-energy');
    await kit.kernel.load({ plugin, config: gridConfig() });
    const reopened = await kit.expectEvent(energy.CentralSystemOpened, { where: (e) => e.id !== kit.eventsOf(energy.CentralSystemOpened)[0]!.id });
    // The charge point reconnects without booting again (OCPP 1.6 boots only after a reboot).
    const again = await TestChargePoint.connect(reopened.data.url, 'cp-1');
    expect(await again.call('Heartbeat', {})).toEqual({ currentTime: new Date(kit.clock.now()).toISOString() });
    await again.meterValues(1, transactionId, [{ timestamp: new Date(kit.clock.now()).toISOString(), sampledValue: [{ value: '2500' }] }]);
    expect((await kit.expectEvent(energy.SessionMetered)).data.energyWh).toBe(2000);
    // Until it accepts a limit again it may draw its maximum; the next cycle tells it its share.
    await kit.clock.advance(5000);
    await waitUntil(() => again.txLimits(transactionId).length > 0);
    expect(again.txLimits(transactionId)).toEqual([31.8]);
    const next = await again.startTransaction(2, 'CAR-2');
    expect(next.transactionId).toBeGreaterThan(transactionId);
    await again.stopTransaction(transactionId, 3000);
    expect((await kit.expectEvent(energy.SessionStopped)).data.energyWh).toBe(2500);
    await again.close();
  });
});
