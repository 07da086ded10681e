import { traffic, waste } from '@polis/contracts';
import type { PromMetricsService } from '@polis/kernel';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoCityPlugins } from './demo-city.js';

const HOUR = 3_600_000;

interface DemoBin {
  readonly id: string;
  readonly position: { lat: number; lon: number };
  readonly capacityL: number;
}

/** The demo city's traffic and waste plugins, and waste's bins, depot and trucks from city.yaml. */
async function demoWaste() {
  const [trafficEntry, wasteEntry] = await demoCityPlugins(['traffic', 'waste']);
  const config = wasteEntry!.config as { bins: DemoBin[]; depots: { id: string; position: { lat: number; lon: number } }[]; trucks: { id: string; capacityL: number }[] };
  return { trafficEntry: trafficEntry!, wasteEntry: wasteEntry!, config };
}

/** Events the waste plugin has handled so far (the kernel's handled-events counter). */
const readingsHandled = (kit: TestKernel): number => (kit.kernel.metrics as PromMetricsService).totalsBy('polis_events_handled_total', 'plugin').get('waste') ?? 0;

/**
 * Three hourly readings up to now: the first `due` bins at 70-85 % filling at 4 %/h, the next ones
 * at 20 % barely filling. Returns once waste has handled them all: a collection request is another
 * subscription, which the kernel may serve before the last readings (no order across types).
 */
async function readBins(kit: TestKernel, bins: readonly DemoBin[], due: number, quiet: number): Promise<void> {
  const now = kit.clock.now();
  const before = readingsHandled(kit);
  let sent = 0;
  for (const [index, bin] of bins.slice(0, due + quiet).entries()) {
    const [last, rate] = index < due ? [70 + (index % 4) * 5, 4] : [20, 0.2];
    for (let hoursAgo = 2; hoursAgo >= 0; hoursAgo--) {
      await kit.publish(waste.FillReported, { binId: bin.id, observedAt: new Date(now - hoursAgo * HOUR).toISOString(), fillPct: last - rate * hoursAgo });
      sent++;
    }
  }
  await vi.waitFor(() => expect(readingsHandled(kit)).toBe(before + sent), { timeout: 10_000 });
}

describe('waste collection across waste and traffic', () => {
  let kit: TestKernel;
  afterEach(async () => {
    expect(kit.deadLetters).toEqual([]);
    await kit.stop();
  });

  it("plans the due bins of the demo city on traffic's live travel times, within every truck's limits, and follows the trucks", async () => {
    const { trafficEntry, wasteEntry, config } = await demoWaste();
    kit = await startTestKernel({ plugins: [trafficEntry, wasteEntry] });
    await readBins(kit, config.bins, 40, 20);
    const request = await kit.publish(waste.CollectionRequested, { requestId: 'e2e-round', shiftStart: new Date(kit.clock.now() + 600_000).toISOString() });
    const planned = await kit.expectEvent(waste.CollectionPlanned, { within: 15_000 });
    const plan = planned.data;
    expect(planned.correlationid).toBe(request.correlationid);
    expect(plan.travelTimes).toBe('live');
    expect(plan.deferred).toEqual([]);
    const stops = plan.routes.flatMap((route) => route.stops);
    expect(new Set(stops.map((stop) => stop.binId))).toEqual(new Set(config.bins.slice(0, 40).map((bin) => bin.id)));
    expect(stops).toHaveLength(40);
    const capacity = new Map(config.trucks.map((truck) => [truck.id, truck.capacityL]));
    for (const route of plan.routes) {
      expect(route.loadL).toBeLessThanOrEqual(capacity.get(route.truckId)!);
      expect(route.durationS).toBeLessThanOrEqual(14_400);
    }

    // The first stop's ETA is the depot's travel time to it on traffic's matrix, plus both kerbside legs at 15 km/h.
    const route = plan.routes.reduce((longest, candidate) => (candidate.stops.length > longest.stops.length ? candidate : longest));
    expect(route.stops.length).toBeGreaterThan(1);
    const depot = config.depots.find((candidate) => candidate.id === route.depotId)!;
    const first = route.stops[0]!;
    const matrix = await kit.request(traffic.TravelTimesFind, { origins: [depot.position], destinations: [first.position] });
    const kerbS = (matrix.originSnapM[0]! + matrix.destinationSnapM[0]!) / (15 / 3.6);
    expect((Date.parse(first.etaAt) - Date.parse(route.departAt)) / 1000).toBeCloseTo(matrix.travelTimesS[0]![0]! + kerbS, 0);

    // A truck empties its first bin; another bin of its route overflows before the truck gets there.
    await kit.clock.advance(Date.parse(first.etaAt) - kit.clock.now() + 30_000);
    await kit.publish(waste.PickupReported, { truckId: route.truckId, binId: first.binId, emptiedAt: new Date(kit.clock.now()).toISOString() });
    const confirmed = await kit.expectEvent(waste.PickupConfirmed);
    expect(confirmed.data).toMatchObject({ binId: first.binId, planned: true, planId: plan.planId, routeId: route.routeId });
    const later = route.stops.at(-1)!;
    await kit.publish(waste.FillReported, { binId: later.binId, observedAt: new Date(kit.clock.now()).toISOString(), fillPct: 97 });
    const overflow = await kit.expectEvent(waste.BinOverflowed);
    expect(overflow.data).toMatchObject({ binId: later.binId, planId: plan.planId, plannedPickupAt: later.etaAt });
  });

  it('keeps planning when traffic is unplugged, on straight-line estimates, and back on live times once traffic returns', async () => {
    const { trafficEntry, wasteEntry, config } = await demoWaste();
    kit = await startTestKernel({ plugins: [trafficEntry, wasteEntry] });
    await kit.kernel.unload('traffic');
    await readBins(kit, config.bins, 12, 0);
    await kit.publish(waste.CollectionRequested, { requestId: 'without-traffic', shiftStart: new Date(kit.clock.now() + 600_000).toISOString() });
    const estimated = await kit.expectEvent(waste.CollectionPlanned, { within: 15_000 });
    expect(estimated.data.travelTimes).toBe('estimated');
    expect(estimated.data.routes.flatMap((route) => route.stops)).toHaveLength(12);
    expect(kit.logs.filter((record) => record.level === 'error')).toEqual([]);

    // Hours pass before traffic returns: with traffic loaded, the fake clock would also run
    // every signal interval of 25 intersections for those hours.
    await kit.clock.advance(8 * HOUR);
    await kit.kernel.load(trafficEntry);
    await readBins(kit, config.bins.slice(20), 5, 0);
    await kit.publish(waste.CollectionRequested, { requestId: 'with-traffic', shiftStart: new Date(kit.clock.now() + 600_000).toISOString() });
    const live = await kit.expectEvent(waste.CollectionPlanned, { within: 15_000, where: (event) => event.data.requestId === 'with-traffic' });
    expect(live.data.travelTimes).toBe('live');
  });
});
