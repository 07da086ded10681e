import { traffic } from '@polis/contracts';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import trafficPlugin from './index.js';
import { fiwareExample, gridConfig } from './test-fixtures.js';

describe('traffic.flow.observed', () => {
  it('ingests the real FIWARE example in key-values, NGSI-v2 and NGSI-LD form alike, and its flow times the signal', async () => {
    const plans = [];
    for (const file of ['example.json', 'example-normalized.json', 'example-normalized.jsonld']) {
      // The example was observed in 2016: readings that old normally no longer time signals.
      const signals = { announceIntervals: false, maxCycleStepS: 500, maxGreenStepS: 500, maxReadingAgeS: 12 * 365 * 86_400 };
      const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig({ signals }) }] });
      // The entity is mapped to lane 1 of n01 -> n11, an NS approach of x11.
      await kit.publish(traffic.TrafficFlowObserved, { entity: fiwareExample(file) });
      await kit.clock.advance(30_000);
      const retimed = await kit.expectEvent(traffic.SignalRetimed);
      expect(kit.eventsOf(traffic.ReadingRejected)).toEqual([]);
      plans.push(retimed.data);
      await kit.stop();
    }
    // 197 vehicles in 5 minutes are 2364 veh/h: y = 2364 / 1800 = 1.313, over capacity.
    expect(plans[0]).toMatchObject({ intersectionId: 'x11', cycleS: 120, overCapacity: true, flowRatioSum: 2364 / 1800 });
    expect(plans[1]).toEqual(plans[0]);
    expect(plans[2]).toEqual(plans[0]);
  });
});
