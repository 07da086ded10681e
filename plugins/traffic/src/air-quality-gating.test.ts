import { environment, traffic } from '@polis/contracts';
import type { EventData } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import trafficPlugin from './index.js';
import { gridConfig, reading } from './test-fixtures.js';

// An alert over the grid's north-east square (rows and columns 1..2): its boundary signals are
// x11 (fed from n01 and n10), x12 (from n02, phase NS) and x21 (from n20, phase EW).
const alert: EventData<typeof environment.AlertRaised> = {
  alertId: 'AQ-ne-1',
  scope: 'zone',
  subjectId: 'ne',
  name: 'North-east',
  area: { kind: 'polygon', points: [{ lat: 0.003, lon: 0.003 }, { lat: 0.003, lon: 0.012 }, { lat: 0.012, lon: 0.012 }, { lat: 0.012, lon: 0.003 }] },
  standard: 'hj633',
  aqi: 160,
  category: 'moderately-polluted',
  severity: 'medium',
  primaryPollutants: ['pm25'],
  observedAt: '2026-01-01T08:00:00.000Z',
};
const cleared = { alertId: alert.alertId, scope: alert.scope, subjectId: alert.subjectId, name: alert.name, area: alert.area, standard: alert.standard, aqi: 80, observedAt: alert.observedAt };

/*
 * x12 with NS critical lane 540 veh/h (y = 0.3, from n02) and EW 360 veh/h (y = 0.2, from n11):
 * Webster gives a 40 s cycle with greens 18 and 12 s (L = 10 s, see signal-timing.test.ts).
 */
const FLOWS = [['d-n02-n12-1', 540], ['d-n11-n12-1', 360]] as const;

async function startWithFlows() {
  const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig() }] });
  for (const [detector, flowVph] of FLOWS) await kit.publish(traffic.DetectorReported, reading(detector, 0, { flowVph }));
  return kit;
}

/**
 * Runs ten 40 s cycles with the detectors reporting the same flows every cycle (older readings
 * go stale), so plans, which move a few seconds a cycle, reach their target.
 */
async function runCycles(kit: Awaited<ReturnType<typeof startWithFlows>>): Promise<void> {
  for (let cycle = 0; cycle < 10; cycle++) {
    await kit.clock.advance(40_000);
    const seconds = (kit.clock.now() - Date.parse(reading('x', 0).observedAt)) / 1000;
    for (const [detector, flowVph] of FLOWS) await kit.publish(traffic.DetectorReported, reading(detector, seconds, { flowVph }));
  }
}

describe('inflow gating under air-quality alerts', () => {
  it("gates the phases serving roads into the alert's area, under the alert's correlation id, and the plans move to the gated split", async () => {
    const kit = await startWithFlows();
    const raised = await kit.publish(environment.AlertRaised, alert);
    const gated = await kit.expectEvent(traffic.InflowGated);
    expect(gated.data).toEqual({
      alertId: 'AQ-ne-1',
      signals: [
        { intersectionId: 'x11', phaseIds: ['NS', 'EW'], greenFactor: 0.6 },
        { intersectionId: 'x12', phaseIds: ['NS'], greenFactor: 0.6 },
        { intersectionId: 'x21', phaseIds: ['EW'], greenFactor: 0.6 },
      ],
    });
    expect(gated.correlationid).toBe(raised.correlationid);
    expect(gated.causationid).toBe(raised.id);

    // NS keeps 0.6 x 18 = 10.8 s (above its 10 s min green); EW gets the 7.2 s: 19.2 s; the cycle
    // stays 40 s. Plans move a few seconds a cycle, in whole seconds, so after some cycles x12
    // runs 11 and 19 s.
    await runCycles(kit);
    const plans = kit.eventsOf(traffic.SignalRetimed).filter((event) => event.data.intersectionId === 'x12' && event.time >= raised.time);
    expect(plans.at(-1)?.data.cycleS).toBe(40);
    expect(plans.at(-1)?.data.greens.map((green) => [green.phaseId, green.greenS])).toEqual([['NS', 11], ['EW', 19]]);
    await kit.stop();
  });

  it('releases the signals when the alert clears, back to the plan their flows call for', async () => {
    const kit = await startWithFlows();
    await kit.publish(environment.AlertRaised, alert);
    await runCycles(kit);
    const gatedPlan = kit.eventsOf(traffic.SignalRetimed).filter((event) => event.data.intersectionId === 'x12').at(-1);
    expect(gatedPlan?.data.greens.map((green) => green.greenS)).toEqual([11, 19]);

    const end = await kit.publish(environment.AlertCleared, cleared);
    const released = await kit.expectEvent(traffic.InflowReleased);
    expect(released.data).toEqual({ alertId: 'AQ-ne-1', intersectionIds: ['x11', 'x12', 'x21'] });
    expect(released.correlationid).toBe(end.correlationid);
    await runCycles(kit);
    const retimedAgain = kit.eventsOf(traffic.SignalRetimed).filter((event) => event.data.intersectionId === 'x12');
    expect(retimedAgain.at(-1)?.data.greens.map((green) => green.greenS)).toEqual([18, 12]);
    await kit.stop();
  });

  it('leaves the signals alone for an alert below minSeverity, and gates once it escalates', async () => {
    const kit = await startWithFlows();
    const low = await kit.publish(environment.AlertRaised, { ...alert, aqi: 120, category: 'lightly-polluted', severity: 'low' });
    await kit.expectNoEvent(traffic.InflowGated, { within: 50, where: (event) => event.causationid === low.id });
    await kit.publish(environment.AlertUpdated, { ...alert, previousSeverity: 'low' });
    await kit.expectEvent(traffic.InflowGated);
    // Re-graded again, still severe enough: already gated, nothing new.
    const higher = await kit.publish(environment.AlertUpdated, { ...alert, aqi: 230, category: 'heavily-polluted', severity: 'high', previousSeverity: 'medium' });
    await kit.expectNoEvent(traffic.InflowGated, { within: 50, where: (event) => event.causationid === higher.id });
    // Falling back below minSeverity releases the signals.
    await kit.publish(environment.AlertUpdated, { ...alert, aqi: 130, category: 'lightly-polluted', severity: 'low', previousSeverity: 'high' });
    await kit.expectEvent(traffic.InflowReleased);
    await kit.stop();
  });
});
