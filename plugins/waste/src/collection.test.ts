import { waste } from '@polis/contracts';
import type { EventData } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import wastePlugin from './index.js';
import { DEPOT, HOUR, T0, at, bin, fill, history, straightLineTraffic, straightS, wasteConfig } from './test-fixtures.js';

type Plan = EventData<typeof waste.CollectionPlanned>;
const positionOf = (binId: string) => bin(Number(binId.slice(4))).position;

/**
 * Readings up to T0 (16:00 in Shenzhen). The next daily shift after an evening one starts at 06:00
 * (22:00 UTC), 14 hours on: bins 1, 2, 3 and 5 (50-70 % at 2-3 %/h) pass 80 % before it, bins 4
 * and 6 (20 % at 1 %/h) do not.
 */
async function fillBins(kit: TestKernel): Promise<void> {
  const fills: [string, number, number][] = [['bin-1', 60, 3], ['bin-2', 70, 2], ['bin-3', 50, 3], ['bin-4', 20, 1], ['bin-5', 65, 2], ['bin-6', 20, 1]];
  for (const [binId, lastPct, rate] of fills) for (const reading of history(binId, lastPct, rate)) await kit.publish(waste.FillReported, reading);
}

async function requestPlan(kit: TestKernel, requestId: string, shiftStartHours = 0.5) {
  const request = await kit.publish(waste.CollectionRequested, { requestId, shiftStart: at(shiftStartHours), reason: 'test' });
  const planned = await kit.expectEvent(waste.CollectionPlanned, { within: 10_000, where: (event) => event.data.requestId === requestId });
  return { request, planned };
}

/** Every route's ETAs recomputed from the stand-in's straight lines and a minute per bin. */
function expectTimedAsDriven(plan: Plan, serviceS = 60): void {
  for (const route of plan.routes) {
    let clock = Date.parse(route.departAt);
    let from = DEPOT.position;
    for (const stop of route.stops) {
      clock += straightS(from, stop.position) * 1000;
      expect(Date.parse(stop.etaAt)).toBeCloseTo(clock, -1);
      clock += serviceS * 1000;
      from = stop.position;
    }
    clock += straightS(from, DEPOT.position) * 1000;
    expect(Date.parse(route.returnAt)).toBeCloseTo(clock, -1);
  }
}

describe('waste collection plans', () => {
  let kit: TestKernel;
  afterEach(async () => {
    expect(kit.deadLetters).toEqual([]);
    await kit.stop();
  });

  it('plans the bins forecast to pass their threshold before the next shift, within capacity and shift, timed on the travel matrix', async () => {
    kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config: wasteConfig() }], standIns: [straightLineTraffic] });
    await fillBins(kit);
    const { request, planned } = await requestPlan(kit, 'req-1');
    const plan = planned.data;
    expect(planned.correlationid).toBe(request.correlationid);
    expect(plan).toMatchObject({ requestId: 'req-1', shiftStart: at(0.5), shiftEnd: at(8.5), travelTimes: 'live', deferred: [] });
    const stops = plan.routes.flatMap((route) => route.stops.map((stop) => stop.binId));
    expect([...stops].sort()).toEqual(['bin-1', 'bin-2', 'bin-3', 'bin-5']);
    for (const route of plan.routes) {
      expect(route.loadL).toBeLessThanOrEqual(route.capacityL);
      expect(route.loadL).toBeCloseTo(route.stops.reduce((sum, stop) => sum + stop.expectedLoadL, 0), 0);
      expect(route.durationS).toBeLessThanOrEqual(8 * 3600);
      expect(route.durationS).toBeCloseTo(route.drivingS + 60 * route.stops.length, 0);
      for (const stop of route.stops) expect(stop.position).toEqual(positionOf(stop.binId));
    }
    expectTimedAsDriven(plan);
    // Four bins on a line east of the depot: the shortest plan drives out to the farthest and back once.
    expect(plan.solver.drivingS).toBeCloseTo(2 * straightS(DEPOT.position, bin(5).position), 0);
    expect(plan.solver).toMatchObject({ seed: 1, iterations: 30, stoppedBy: 'iterations' });
    // A bin at 70 % filling at 2 %/h is expected at about 71 % half an hour on.
    const bin2 = plan.routes.flatMap((route) => route.stops).find((stop) => stop.binId === 'bin-2')!;
    expect(bin2.expectedFillPct).toBeGreaterThan(70);
    expect(bin2.expectedFillPct).toBeLessThan(72);
    expect(await kit.request(waste.BinStatus, { binId: 'bin-2' })).toMatchObject({ plannedPickup: { planId: plan.planId, etaAt: bin2.etaAt } });
  });

  it('defers, with the reason, what the free trucks cannot take: full trucks, a bin beyond the shift', async () => {
    const small = [
      { id: 'truck-1', depotId: 'depot', capacityL: 300 },
      { id: 'truck-2', depotId: 'depot', capacityL: 300, shiftS: 100 },
    ];
    kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config: wasteConfig({ trucks: small }) }], standIns: [straightLineTraffic] });
    await fillBins(kit);
    const plan = (await requestPlan(kit, 'req-2')).planned.data;
    // truck-2's 100 s shift reaches bin-1 only (2 x 10.3 s + 60 s); each truck takes one 240 l bin.
    expect(plan.routes.map((route) => [route.truckId, route.stops.map((stop) => stop.binId)])).toEqual(expect.arrayContaining([['truck-2', ['bin-1']]]));
    expect(plan.routes).toHaveLength(2);
    for (const route of plan.routes) expect(route.durationS).toBeLessThanOrEqual(route.truckId === 'truck-2' ? 100 : 8 * 3600);
    expect(plan.deferred).toHaveLength(2);
    for (const deferred of plan.deferred) expect(deferred.reason).toBe('the free trucks are full for this shift');
  });

  it('plans on straight-line estimates, with a warning, when traffic does not answer', async () => {
    kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config: wasteConfig() }] });
    await fillBins(kit);
    const plan = (await requestPlan(kit, 'req-3')).planned.data;
    expect(plan.travelTimes).toBe('estimated');
    expect(plan.routes.flatMap((route) => route.stops)).toHaveLength(4);
    expect(kit.logs.find((record) => record.message.startsWith('travel-time matrix from traffic failed'))).toMatchObject({ level: 'warn', fields: { code: 'POLIS_NO_RESPONDER' } });
  });

  it('plans each daily shift ahead of its start: at 05:45 for the 06:00 shift', async () => {
    kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config: wasteConfig() }], standIns: [straightLineTraffic] });
    await fillBins(kit);
    await kit.clock.advance(13.75 * HOUR - 1000);
    await kit.expectNoEvent(waste.CollectionPlanned, { within: 50 });
    await kit.clock.advance(1000);
    const planned = await kit.expectEvent(waste.CollectionPlanned, { within: 10_000 });
    expect(planned.data).toMatchObject({ shiftStart: at(14), shiftEnd: at(22) });
    expect(planned.data.requestId).toBeUndefined();
    // By the 06:00 shift, all but the two slow bins pass 80 % before 14:00.
    expect(planned.data.routes.flatMap((route) => route.stops)).toHaveLength(4);
  });

  it('follows the trucks: confirms pickups against the plan, completes routes, replans what they missed', async () => {
    kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config: wasteConfig() }], standIns: [straightLineTraffic] });
    await fillBins(kit);
    const plan = (await requestPlan(kit, 'req-4')).planned.data;
    const route = plan.routes.find((candidate) => candidate.stops.length >= 2)!;
    const [first, ...rest] = route.stops;
    await kit.clock.advance(HOUR);
    for (const stop of rest) await kit.publish(waste.PickupReported, { truckId: route.truckId, binId: stop.binId, emptiedAt: stop.etaAt });
    await kit.publish(waste.PickupReported, { truckId: route.truckId, binId: rest[0]!.binId, emptiedAt: rest[0]!.etaAt }); // a duplicate
    await kit.publish(waste.PickupReported, { truckId: route.truckId, binId: 'bin-6', emptiedAt: at(0.9) }); // not on its route
    // Reports of different types are handled concurrently (one subscription each): the truck
    // returns once its pickups are confirmed, as a real truck's report follows its pickups.
    await vi.waitFor(() => expect(kit.eventsOf(waste.PickupConfirmed)).toHaveLength(rest.length + 1));
    await kit.publish(waste.TruckReported, { truckId: route.truckId, reportedAt: at(1), position: DEPOT.position, status: 'returned' });
    const completed = await kit.expectEvent(waste.RouteCompleted);

    const confirmed = kit.eventsOf(waste.PickupConfirmed).map((event) => event.data);
    expect(confirmed).toEqual([
      ...rest.map((stop) => ({ binId: stop.binId, truckId: route.truckId, emptiedAt: stop.etaAt, planned: true, planId: plan.planId, routeId: route.routeId, minutesLate: 0 })),
      { binId: 'bin-6', truckId: route.truckId, emptiedAt: at(0.9), planned: false },
    ]);
    expect(completed.data).toEqual({ planId: plan.planId, routeId: route.routeId, truckId: route.truckId, completedAt: at(1), emptied: rest.length, missed: [first!.binId] });
    expect(await kit.request(waste.BinStatus, { binId: rest[0]!.binId })).toMatchObject({ lastEmptiedAt: rest[0]!.etaAt });

    // The next plan takes the missed bin, not the emptied ones; the other truck's bins are still its own.
    const next = (await requestPlan(kit, 'req-5', 1.5)).planned.data;
    const nextStops = next.routes.flatMap((candidate) => candidate.stops.map((stop) => stop.binId));
    expect(nextStops).toContain(first!.binId);
    for (const stop of rest) expect(nextStops).not.toContain(stop.binId);
    expect(next.routes.map((candidate) => candidate.truckId)).not.toContain(plan.routes.find((other) => other !== route)?.truckId ?? 'none');
  });

  it('plans again the bins of a truck that was due back and never reported', async () => {
    kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config: wasteConfig() }], standIns: [straightLineTraffic] });
    await fillBins(kit);
    const first = (await requestPlan(kit, 'req-8')).planned.data;
    const returnAt = Math.max(...first.routes.map((route) => Date.parse(route.returnAt)));
    // A shift starting while the trucks are out leaves their bins to them ...
    const during = (await requestPlan(kit, 'req-9', 0.51)).planned.data;
    expect(during.routes).toEqual([]);
    // ... one starting after they were due back takes the bins nobody confirmed.
    await kit.clock.advance(returnAt - T0);
    const after = (await requestPlan(kit, 'req-10', (returnAt - T0) / HOUR + 0.1)).planned.data;
    expect(after.routes.flatMap((route) => route.stops.map((stop) => stop.binId)).sort()).toEqual(['bin-1', 'bin-2', 'bin-3', 'bin-5']);
  });

  it('raises an overflow before the pickup with the planned pickup time', async () => {
    kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config: wasteConfig() }], standIns: [straightLineTraffic] });
    await fillBins(kit);
    const plan = (await requestPlan(kit, 'req-6', 2)).planned.data;
    const stop = plan.routes.flatMap((route) => route.stops).find((candidate) => candidate.binId === 'bin-2')!;
    await kit.clock.advance(HOUR);
    for (const [hours, pct] of [[0.5, 85], [1, 97]] as const) await kit.publish(waste.FillReported, fill('bin-2', hours, pct));
    const overflow = await kit.expectEvent(waste.BinOverflowed);
    expect(overflow.data).toMatchObject({ binId: 'bin-2', fillPct: 97, observedAt: at(1), planId: plan.planId, plannedPickupAt: stop.etaAt });
  });

  it('gives the same plan for the same data and seed', async () => {
    const plans: Plan[] = [];
    for (let run = 0; run < 2; run++) {
      kit = await startTestKernel({ plugins: [{ plugin: wastePlugin, config: wasteConfig({}, 12) }], standIns: [straightLineTraffic] });
      await fillBins(kit);
      for (let k = 7; k <= 12; k++) for (const reading of history(`bin-${k}`, 55 + k, 2)) await kit.publish(waste.FillReported, reading);
      plans.push((await requestPlan(kit, 'req-7')).planned.data);
      if (run === 0) await kit.stop();
    }
    const shape = (plan: Plan) => plan.routes.map((route) => [route.truckId, ...route.stops.map((stop) => stop.binId)]);
    expect(shape(plans[1]!)).toEqual(shape(plans[0]!));
    expect(plans[1]!.solver.drivingS).toBe(plans[0]!.solver.drivingS);
  });
});
