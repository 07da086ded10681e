import { afterEach, describe, expect, it } from 'vitest';
import { citizen, safety, waste } from '@polis/contracts';
import { definePlugin } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import citizenServices from './index.js';

let kit: TestKernel | undefined;
afterEach(async () => {
  await kit?.stop();
  kit = undefined;
});

const filed = (requestId: string, serviceCode: string, extra: Partial<{ priority: 'low' | 'normal' | 'urgent'; attributes: Record<string, string> }> = {}) => ({
  requestId,
  serviceCode,
  position: { lat: 20.05, lon: 110.35 },
  filedAt: '2026-01-01T08:00:00.000Z',
  description: 'seen on the corner',
  ...extra,
});
const statuses = (k: TestKernel, caseId: string) => k.events.filter((e) => e.type === 'citizen.case.updated' && (e.data as { caseId: string }).caseId === caseId).map((e) => (e.data as { status: string }).status);
const updated = (k: TestKernel, caseId: string, status: string) => k.expectEvent(citizen.CaseUpdated, { where: (e) => e.data.caseId === caseId && e.data.status === status });

const SOLVER = { seed: 1, iterations: 0, stoppedBy: 'iterations' as const, elapsedMs: 0, drivingS: 0, constructionDrivingS: 0 };
const emptyPlan = (planId: string, requestId: string) => ({ planId, requestId, shiftStart: '2026-01-01T08:00:00.000Z', shiftEnd: '2026-01-01T12:00:00.000Z', routes: [], deferred: [], travelTimes: 'live' as const, solver: SOLVER });

/** Waste's bin status as the test needs it: the given planned pickups, every other bin 40 % full of an 80 % threshold. */
function binStatusResponder(pickups: Record<string, { planId: string; routeId: string; truckId: string; etaAt: string }>) {
  return definePlugin({
    name: 'waste',
    version: '1.0.0',
    kernel: '^1',
    answers: [waste.BinStatus],
    setup(ctx) {
      ctx.answer(waste.BinStatus, ({ binId }) => ({ found: true, binId, fillPct: 40, thresholdPct: 80, ...(pickups[binId] === undefined ? {} : { plannedPickup: pickups[binId] }) }));
    },
  });
}

describe('a citizen case follows the responsible department', () => {
  it("follows a work order's answers (acknowledged, in progress, resolved) in the request's chain, with notes for the requester", async () => {
    kit = await startTestKernel({ plugins: [citizenServices] });
    const request = await kit.publish(citizen.RequestFiled, filed('SR-1', 'signal-broken'));
    const order = await kit.expectEvent(citizen.CaseRouted);
    expect((await updated(kit, 'SR-1', 'open')).data.note).toBe('routed to traffic (normal): acknowledge by 08:15, resolve by 10:00 UTC');
    for (const status of ['acknowledged', 'in_progress', 'resolved'] as const) {
      await kit.publish(citizen.CaseProgressed, { caseId: 'SR-1', department: 'traffic', status, note: `signal ${status}` }, { causedBy: order });
      const update = await updated(kit, 'SR-1', status);
      expect(update.data.note).toBe(`traffic: signal ${status}`);
      expect(update.correlationid).toBe(request.correlationid);
    }
    // A late or repeated answer never moves a case back, and a resolved case escalates no more.
    await kit.publish(citizen.CaseProgressed, { caseId: 'SR-1', department: 'traffic', status: 'acknowledged', note: 'again' });
    await kit.clock.advance(3 * 60 * 60_000);
    await kit.expectNoEvent(citizen.CaseEscalated, { within: 50 });
    expect(statuses(kit, 'SR-1')).toEqual(['open', 'acknowledged', 'in_progress', 'resolved']);
  });

  it('holds urgent cases to shorter service levels, and escalates a missed resolution', async () => {
    kit = await startTestKernel({ plugins: [citizenServices] });
    await kit.publish(citizen.RequestFiled, filed('SR-1', 'smoke-smell', { priority: 'urgent' }));
    expect((await kit.expectEvent(citizen.CaseRouted)).data).toMatchObject({ acknowledgeBy: '2026-01-01T08:10:00.000Z', resolveBy: '2026-01-01T09:30:00.000Z' });
    await kit.publish(citizen.CaseProgressed, { caseId: 'SR-1', department: 'environment', status: 'acknowledged', note: 'inspector sent' });
    await updated(kit, 'SR-1', 'acknowledged');
    await kit.clock.advance(89 * 60_000);
    await kit.expectNoEvent(citizen.CaseEscalated, { within: 50 });
    await kit.clock.advance(60_000);
    expect((await kit.expectEvent(citizen.CaseEscalated)).data).toEqual({ caseId: 'SR-1', department: 'environment', serviceCode: 'smoke-smell', missed: 'resolve', supervisor: 'environment-supervisor' });
    expect((await kit.expectEvent(citizen.CaseUpdated, { where: (e) => e.data.note.includes('escalated') })).data).toMatchObject({ status: 'acknowledged', note: 'the time to resolve was missed; escalated to environment-supervisor' });
  });

  it('takes per-priority levels from its configuration', async () => {
    const level = { acknowledgeMin: 1, resolveMin: 2 };
    kit = await startTestKernel({ plugins: [citizenServices], config: { 'citizen-services': { slas: { 'signal-broken': { low: level, normal: level, urgent: level } } } } });
    await kit.publish(citizen.RequestFiled, filed('SR-1', 'signal-broken'));
    expect((await kit.expectEvent(citizen.CaseRouted)).data).toMatchObject({ acknowledgeBy: '2026-01-01T08:01:00.000Z', resolveBy: '2026-01-01T08:02:00.000Z' });
  });

  it("follows waste's plan for a bin: planned, collecting, the routes' end", async () => {
    kit = await startTestKernel({ plugins: [citizenServices] });
    await kit.publish(citizen.RequestFiled, filed('SR-1', 'bin-overflow'));
    const requested = await kit.expectEvent(waste.CollectionRequested);
    const stop = { binId: 'bin-7', position: { lat: 20.05, lon: 110.35 }, etaAt: '2026-01-01T08:20:00.000Z', expectedFillPct: 90, expectedLoadL: 200 };
    const route = (routeId: string) => ({ routeId, truckId: `truck-${routeId}`, depotId: 'd', departAt: '2026-01-01T08:00:00.000Z', returnAt: '2026-01-01T09:00:00.000Z', drivingS: 600, durationS: 900, lengthM: 5000, loadL: 200, capacityL: 16000, stops: [stop] });
    const plan = { planId: 'P1', requestId: 'SR-1', shiftStart: '2026-01-01T08:00:00.000Z', shiftEnd: '2026-01-01T12:00:00.000Z', routes: [route('r1'), route('r2')], deferred: [], travelTimes: 'live' as const, solver: { seed: 1, iterations: 0, stoppedBy: 'iterations' as const, elapsedMs: 0, drivingS: 0, constructionDrivingS: 0 } };
    await kit.publish(waste.CollectionPlanned, plan, { causedBy: requested });
    await updated(kit, 'SR-1', 'acknowledged');
    await kit.publish(waste.PickupConfirmed, { binId: 'bin-7', truckId: 'truck-r1', emptiedAt: '2026-01-01T08:20:00.000Z', planned: true, planId: 'P1', routeId: 'r1' });
    expect((await updated(kit, 'SR-1', 'in_progress')).data.note).toBe('truck-r1 is collecting (emptied bin-7)');
    await kit.publish(waste.RouteCompleted, { planId: 'P1', routeId: 'r1', truckId: 'truck-r1', completedAt: '2026-01-01T09:00:00.000Z', emptied: 3, missed: [] });
    await kit.expectNoEvent(citizen.CaseUpdated, { within: 50, where: (e) => e.data.status === 'resolved' });
    await kit.publish(waste.RouteCompleted, { planId: 'P1', routeId: 'r2', truckId: 'truck-r2', completedAt: '2026-01-01T09:10:00.000Z', emptied: 2, missed: [] });
    expect((await updated(kit, 'SR-1', 'resolved')).data.note).toBe('collection P1 done: the last truck is back');
  });

  it('follows the bin a complaint names (bin_id): a stop of its own plan, or of an earlier route; resolved when that bin is emptied', async () => {
    kit = await startTestKernel({ plugins: [citizenServices, binStatusResponder({ 'bin-17': { planId: 'P1', routeId: 'r1', truckId: 'truck-r1', etaAt: '2026-01-01T08:25:00.000Z' } })] });
    // The morning round (P1) already took bin-17, so the complaint's own plan has nothing to do:
    // the case follows P1's truck, and is not resolved by a plan without routes.
    await kit.publish(citizen.RequestFiled, filed('SR-1', 'bin-overflow', { attributes: { bin_id: 'bin-17' } }));
    const requested = await kit.expectEvent(waste.CollectionRequested);
    await kit.publish(waste.CollectionPlanned, emptyPlan('P2', 'SR-1'), { causedBy: requested });
    expect((await updated(kit, 'SR-1', 'acknowledged')).data.note).toBe('bin-17 is already a stop of truck-r1 (plan P1, route r1), due at 08:25 UTC');
    await kit.publish(waste.PickupConfirmed, { binId: 'bin-3', truckId: 'truck-r9', emptiedAt: '2026-01-01T08:10:00.000Z', planned: true, planId: 'P1', routeId: 'r9' });
    await kit.publish(waste.PickupConfirmed, { binId: 'bin-4', truckId: 'truck-r1', emptiedAt: '2026-01-01T08:20:00.000Z', planned: true, planId: 'P1', routeId: 'r1' });
    expect((await updated(kit, 'SR-1', 'in_progress')).data.note).toBe('truck-r1 is collecting on its way to bin-17 (emptied bin-4)');
    await kit.publish(waste.RouteCompleted, { planId: 'P2', routeId: 'r1', truckId: 'truck-r1', completedAt: '2026-01-01T09:00:00.000Z', emptied: 3, missed: [] });
    await kit.publish(waste.PickupConfirmed, { binId: 'bin-17', truckId: 'truck-r1', emptiedAt: '2026-01-01T08:26:00.000Z', planned: true, planId: 'P1', routeId: 'r1' });
    expect((await updated(kit, 'SR-1', 'resolved')).data.note).toBe('truck-r1 emptied bin-17 at 08:26 UTC');
    expect(statuses(kit, 'SR-1')).toEqual(['open', 'acknowledged', 'in_progress', 'resolved']);
  });

  it("follows the named bin in the complaint's own plan", async () => {
    kit = await startTestKernel({ plugins: [citizenServices, binStatusResponder({})] });
    await kit.publish(citizen.RequestFiled, filed('SR-1', 'bin-overflow', { attributes: { bin_id: 'bin-17' } }));
    const requested = await kit.expectEvent(waste.CollectionRequested);
    const stop = (binId: string, etaAt: string) => ({ binId, position: { lat: 20.05, lon: 110.35 }, etaAt, expectedFillPct: 90, expectedLoadL: 200 });
    const route = { routeId: 'r2', truckId: 'truck-2', depotId: 'd', departAt: '2026-01-01T08:00:00.000Z', returnAt: '2026-01-01T09:00:00.000Z', drivingS: 600, durationS: 900, lengthM: 5000, loadL: 400, capacityL: 16000, stops: [stop('bin-5', '2026-01-01T08:10:00.000Z'), stop('bin-17', '2026-01-01T08:15:00.000Z')] };
    await kit.publish(waste.CollectionPlanned, { ...emptyPlan('P2', 'SR-1'), routes: [route] }, { causedBy: requested });
    expect((await updated(kit, 'SR-1', 'acknowledged')).data.note).toBe('bin-17 is stop 2 of truck-2 (plan P2), due at 08:15 UTC');
    await kit.publish(waste.RouteCompleted, { planId: 'P2', routeId: 'r2', truckId: 'truck-2', completedAt: '2026-01-01T09:00:00.000Z', emptied: 1, missed: ['bin-17'] });
    expect((await kit.expectEvent(citizen.CaseUpdated, { where: (e) => e.data.note.includes('without emptying') })).data).toMatchObject({ status: 'acknowledged', note: 'truck-2 came back without emptying bin-17; waste plans it again' });
  });

  it('says so when the bin a complaint names is on no route: acknowledged for a person to look, never resolved', async () => {
    kit = await startTestKernel({ plugins: [citizenServices, binStatusResponder({})] });
    await kit.publish(citizen.RequestFiled, filed('SR-1', 'bin-overflow', { attributes: { bin_id: 'bin-17' } }));
    const requested = await kit.expectEvent(waste.CollectionRequested);
    await kit.publish(waste.CollectionPlanned, { ...emptyPlan('P2', 'SR-1'), deferred: [{ binId: 'bin-17', reason: 'the free trucks are full for this shift' }] }, { causedBy: requested });
    expect((await updated(kit, 'SR-1', 'acknowledged')).data.note).toBe('waste deferred bin-17 in plan P2: the free trucks are full for this shift');
    await kit.publish(citizen.RequestFiled, filed('SR-2', 'bin-overflow', { attributes: { bin_id: 'bin-99' } }));
    const second = await kit.expectEvent(waste.CollectionRequested, { where: (e) => e.data.requestId === 'SR-2' });
    await kit.publish(waste.CollectionPlanned, emptyPlan('P3', 'SR-2'), { causedBy: second });
    expect((await updated(kit, 'SR-2', 'acknowledged')).data.note).toBe('bin-99 is on no route of waste (plan P3 left it out: fill 40 % of a 80 % threshold)');
    await kit.expectNoEvent(citizen.CaseUpdated, { within: 50, where: (e) => e.data.status === 'resolved' });
  });

  it('links a crash complaint to the public-safety incident it joined, and resolves it when the incident closes', async () => {
    kit = await startTestKernel({ plugins: [citizenServices] });
    const request = await kit.publish(citizen.RequestFiled, filed('SR-9', 'road-hazard', { attributes: { hazard: 'crash' } }));
    expect((await kit.expectEvent(safety.ReportReceived)).data).toMatchObject({ reportId: 'SR-9', kind: 'collision', channel: 'open311' });
    await kit.publish(safety.IncidentUpdated, { incidentId: 'INC-1', position: { lat: 20.05, lon: 110.35 }, severity: 3, casualties: 2, reportIds: ['call-1', 'SR-9'], mergedReportId: 'SR-9' });
    const linked = await updated(kit, 'SR-9', 'acknowledged');
    expect(linked.data).toMatchObject({ incidentId: 'INC-1', note: 'linked to incident INC-1, which public safety is already handling' });
    expect(linked.correlationid).toBe(request.correlationid);
    await kit.publish(safety.UnitDispatched, { incidentId: 'INC-1', unitId: 'police-1', unitKind: 'police', etaS: 120 });
    await updated(kit, 'SR-9', 'in_progress');
    await kit.publish(safety.IncidentClosed, { incidentId: 'INC-1', closedAt: '2026-01-01T08:30:00.000Z', reason: 'cleared' });
    expect((await updated(kit, 'SR-9', 'resolved')).data.note).toBe('incident INC-1 closed: cleared');
  });

  it('acknowledges a hazard report when public safety opens an incident for it', async () => {
    kit = await startTestKernel({ plugins: [citizenServices] });
    await kit.publish(citizen.RequestFiled, filed('SR-2', 'road-hazard'));
    expect((await kit.expectEvent(safety.ReportReceived)).data.kind).toBe('hazard');
    await kit.publish(safety.IncidentOpened, { incidentId: 'INC-2', kind: 'hazard', position: { lat: 20.05, lon: 110.35 }, openedAt: '2026-01-01T08:01:00.000Z', severity: 1, casualties: 0, reportIds: ['SR-2'] });
    expect((await updated(kit, 'SR-2', 'acknowledged')).data).toMatchObject({ incidentId: 'INC-2', note: 'public safety opened incident INC-2' });
  });
});
