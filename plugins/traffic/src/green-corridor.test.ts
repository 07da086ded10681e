import { traffic } from '@polis/contracts';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import trafficPlugin from './index.js';
import { T0, at, gridConfig } from './test-fixtures.js';

const iso = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

describe('green corridor', () => {
  it('plans the corridor, pre-empts every signal on the route in ETA order, then restores each, all in one causal chain', async () => {
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig() }] });
    const request = await kit.publish(traffic.CorridorRequested, { corridorId: 'cor-1', vehicleId: 'amb-1', vehicleKind: 'ambulance', incidentId: 'INC-1', from: at('n00'), to: at('n22') });

    const planned = await kit.expectEvent(traffic.CorridorPlanned);
    expect(planned.data).toMatchObject({ corridorId: 'cor-1', vehicleId: 'amb-1', lengthM: 2000, travelTimeS: 200 });
    const route = planned.data.nodes;
    expect([route.length, route[0], route.at(-1)]).toEqual([5, 'n00', 'n22']);
    // Every junction is signalised; the start is not passed through. ETAs every 50 s; the worst
    // switch is the other phase's 10 s min green + 5 s clearance, and the lead time 15 s, so each
    // window opens 30 s before the ETA and holds green 5 s after it.
    expect(planned.data.signals).toEqual(
      route.slice(1).map((node, i) => ({
        intersectionId: `x${node.slice(1)}`,
        phaseId: expect.stringMatching(/^(NS|EW)$/),
        etaAt: iso(50 * (i + 1)),
        windowStart: iso(50 * (i + 1) - 30),
        windowEnd: iso(50 * (i + 1) + 5),
      })),
    );

    await kit.expectNoEvent(traffic.SignalPreempted, { within: 20 });
    await kit.clock.advance(250_000);
    const preempted = kit.eventsOf(traffic.SignalPreempted);
    const restored = kit.eventsOf(traffic.SignalRestored);
    expect(preempted.map((event) => event.data)).toEqual(
      planned.data.signals.map((signal) => ({ corridorId: 'cor-1', intersectionId: signal.intersectionId, phaseId: signal.phaseId, until: signal.windowEnd })),
    );
    expect(preempted.map((event) => event.time)).toEqual(planned.data.signals.map((signal) => signal.windowStart));
    // Restored after the held phase's 3 s yellow and 2 s all-red: 10 s after the ETA.
    expect(restored.map((event) => [event.data.intersectionId, event.time])).toEqual(planned.data.signals.map((signal, i) => [signal.intersectionId, iso(50 * (i + 1) + 10)]));

    const chain = [planned, ...preempted, ...restored];
    for (const event of chain) expect(event.correlationid).toBe(request.id);
    for (const event of chain) expect(event.causationid).toBe(request.id);
    expect(kit.deadLetters).toEqual([]);
    await kit.stop();
  });

  it("suspends a signal's cycle while it is pre-empted and resumes its plan, and re-timing, after the vehicle has passed", async () => {
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig() }] });
    // Flows that re-time x11 (see signal-timing.test.ts) at the end of its current 30 s cycle, at
    // free-flow speed so the link still takes 50 s...
    for (const [detector, flowVph] of [['d-n01-n11-1', 540], ['d-n10-n11-1', 360]] as const) {
      await kit.publish(traffic.DetectorReported, { detectorId: detector, observedAt: iso(0), intervalS: 30, flowVph, occupancyPct: 10, speedKph: 36 });
    }
    await kit.clock.advance(7_000);
    // ...but a vehicle from n01 reaches x11 at 57 s: its window opens at 27 s, before the cycle ends.
    await kit.publish(traffic.CorridorRequested, { corridorId: 'cor-2', vehicleId: 'fire-1', vehicleKind: 'fire', from: at('n01'), to: at('n11') });
    const planned = await kit.expectEvent(traffic.CorridorPlanned);
    expect(planned.data.signals).toEqual([{ intersectionId: 'x11', phaseId: 'NS', etaAt: iso(57), windowStart: iso(27), windowEnd: iso(62) }]);

    await kit.clock.advance(60_000);
    expect(kit.eventsOf(traffic.SignalRetimed)).toEqual([]);
    const restored = await kit.expectEvent(traffic.SignalRestored);
    expect(restored.time).toBe(iso(67));
    // Back on its 30 s plan from 67 s, x11 is re-timed when that cycle ends: 4 s towards Webster's 40 s.
    await kit.clock.advance(30_000);
    const retimed = await kit.expectEvent(traffic.SignalRetimed);
    expect([retimed.time, retimed.data.intersectionId, retimed.data.cycleS]).toEqual([iso(97), 'x11', 34]);
    // Only the nine junctions' cycle timers are left (intervals are not announced here).
    expect(kit.clock.pendingTimers).toBe(9);
    await kit.stop();
  });
});
