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
async function startWithFlows() {
  const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig() }] });
  for (const [detector, flowVph] of [['d-n02-n12-1', 540], ['d-n11-n12-1', 360]] as const) await kit.publish(traffic.DetectorReported, reading(detector, 0, { flowVph }));
  return kit;
}

describe('inflow gating under air-quality alerts', () => {
  it("gates the phases serving roads into the alert's area, under the alert's correlation id, from the next cycle", async () => {
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

    await kit.clock.advance(30_000);
    const retimed = await kit.expectEvent(traffic.SignalRetimed, { where: (event) => event.data.intersectionId === 'x12' });
    // NS keeps 0.6 x 18 = 10.8 s (above its 10 s min green); EW gets the 7.2 s: 19.2 s; the cycle stays 40 s.
    expect(retimed.data.cycleS).toBeCloseTo(40, 9);
    expect(retimed.data.greens.map((green) => [green.phaseId, green.greenS])).toEqual([['NS', expect.closeTo(10.8, 9)], ['EW', expect.closeTo(19.2, 9)]]);
    await kit.stop();
  });

  it('releases the signals when the alert clears, back to the plan their flows call for', async () => {
    const kit = await startWithFlows();
    await kit.publish(environment.AlertRaised, alert);
    await kit.clock.advance(30_000);
    await kit.expectEvent(traffic.SignalRetimed, { where: (event) => event.data.intersectionId === 'x12' });

    const end = await kit.publish(environment.AlertCleared, cleared);
    const released = await kit.expectEvent(traffic.InflowReleased);
    expect(released.data).toEqual({ alertId: 'AQ-ne-1', intersectionIds: ['x11', 'x12', 'x21'] });
    expect(released.correlationid).toBe(end.correlationid);
    await kit.clock.advance(40_000);
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
