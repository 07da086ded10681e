import { traffic } from '@polis/contracts';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import trafficPlugin from './index.js';
import { gridConfig, reading } from './test-fixtures.js';

/*
 * Junction x11: phases NS (from n01 and n21) and EW (from n10 and n12), each 3 s yellow and
 * 2 s all-red; with l1 = e = 2 s the lost time is L = 2 x (2 + 3 + 2 - 2) = 10 s.
 * With no flows measured it runs its shortest cycle, 30 s (min greens 10 + 10 plus 10 s
 * clearances), so the first re-timing comes 30 s after start.
 */
describe('adaptive signal timing', () => {
  it("re-times an intersection by Webster's method from the measured lane flows at the end of its cycle", async () => {
    // Unbounded steps: the plan jumps straight to Webster's target (bounded steps are below).
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig({ signals: { maxCycleStepS: 500, maxGreenStepS: 500 } }) }] });
    // NS critical lane 540 veh/h: y = 540 / 1800 = 0.3. EW critical lane 360 veh/h: y = 0.2.
    for (const [detector, flowVph] of [['d-n01-n11-1', 540], ['d-n21-n11-1', 360], ['d-n10-n11-1', 360], ['d-n12-n11-2', 180]] as const) {
      await kit.publish(traffic.DetectorReported, reading(detector, 0, { flowVph }));
    }
    await kit.expectNoEvent(traffic.SignalRetimed, { within: 20 });
    await kit.clock.advance(30_000);

    const retimed = await kit.expectEvent(traffic.SignalRetimed);
    // Y = 0.5; C0 = (1.5 x 10 + 5) / (1 - 0.5) = 40 s; effective green 40 - 10 = 30 s split 0.3 : 0.2.
    expect(retimed.data).toEqual({ intersectionId: 'x11', cycleS: 40, greens: [{ phaseId: 'NS', greenS: 18 }, { phaseId: 'EW', greenS: 12 }], flowRatioSum: 0.5, overCapacity: false });
    expect(retimed.subject).toBe('x11');
    // Only x11 has measured flows; every other junction keeps its plan.
    expect(kit.eventsOf(traffic.SignalRetimed)).toHaveLength(1);

    // The same flows give the same plan: nothing new is published at the end of the next cycle.
    await kit.clock.advance(40_000);
    expect(kit.eventsOf(traffic.SignalRetimed)).toHaveLength(1);
    await kit.stop();
  });

  it('runs the longest cycle and flags over capacity when the flow ratios reach 0.95', async () => {
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig({ signals: { maxCycleStepS: 500, maxGreenStepS: 500 } }) }] });
    // y = 1000 / 1800 + 800 / 1800 = 1.0.
    await kit.publish(traffic.DetectorReported, reading('d-n21-n11-2', 0, { flowVph: 1000 }));
    await kit.publish(traffic.DetectorReported, reading('d-n12-n11-1', 0, { flowVph: 800 }));
    await kit.clock.advance(30_000);

    const retimed = await kit.expectEvent(traffic.SignalRetimed);
    expect(retimed.data.cycleS).toBe(120);
    expect(retimed.data.overCapacity).toBe(true);
    expect(retimed.data.flowRatioSum).toBeCloseTo(1, 10);
    // Effective green 120 - 10 = 110 s split 5 : 4 = 61.1 / 48.9, in whole seconds 61 / 49.
    expect(retimed.data.greens.map((green) => green.greenS)).toEqual([61, 49]);
    await kit.stop();
  });

  it('moves towards the target by at most 4 s of cycle and of each green per cycle, in whole seconds', async () => {
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig() }] });
    for (const [detector, flowVph] of [['d-n01-n11-1', 540], ['d-n10-n11-1', 360]] as const) {
      await kit.publish(traffic.DetectorReported, reading(detector, 0, { flowVph, occupancyPct: 5 }));
    }
    // Target 40 s, 18 / 12 (see above) from the 30 s, 10 / 10 start: 34 s with 14 / 10, then 38 s, then 40 s.
    await kit.clock.advance(30_000);
    await kit.clock.advance(34_000);
    await kit.clock.advance(38_000);
    const plans = kit.eventsOf(traffic.SignalRetimed).map((event) => [event.data.cycleS, ...event.data.greens.map((green) => green.greenS)]);
    expect(plans).toEqual([
      [34, 14, 10],
      [38, 17, 11],
      [40, 18, 12],
    ]);
    await kit.stop();
  });

  it('with signals.mergeCompatiblePhases runs a corner as one phase that stays green, and a crossing as before', async () => {
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig({ signals: { mergeCompatiblePhases: true, announceIntervals: true } }) }] });
    await kit.clock.advance(60_000);
    const shown = (intersectionId: string) => kit.eventsOf(traffic.SignalChanged).filter((event) => event.data.intersectionId === intersectionId).map((event) => `${event.data.phaseId} ${event.data.interval}`);
    // x00's two approaches only turn into each other's road: nothing to clear, green throughout.
    expect(new Set(shown('x00'))).toEqual(new Set(['NS+EW green']));
    expect(shown('x11').slice(0, 6)).toEqual(['NS green', 'NS yellow', 'NS all-red', 'EW green', 'EW yellow', 'EW all-red']);
    await kit.stop();
  });
});
