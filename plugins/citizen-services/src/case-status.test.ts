import { afterEach, describe, expect, it } from 'vitest';
import { citizen, safety, waste } from '@polis/contracts';
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
