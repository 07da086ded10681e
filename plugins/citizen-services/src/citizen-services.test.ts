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

const filed = (requestId: string, serviceCode: string) => ({ requestId, serviceCode, position: { lat: 20.05, lon: 110.35 }, filedAt: '2026-01-01T08:00:00.000Z', description: 'seen on the corner' });

describe('citizen-services routes cases to the responsible department', () => {
  it('gives waste its own collection request, public safety its own report, others a work order', async () => {
    kit = await startTestKernel({ plugins: [citizenServices] });
    const bin = await kit.publish(citizen.RequestFiled, filed('SR-1', 'bin-overflow'));
    const requested = await kit.expectEvent(waste.CollectionRequested);
    expect(requested.data.requestId).toBe('SR-1');
    expect(requested.correlationid).toBe(bin.correlationid);
    await kit.publish(citizen.RequestFiled, filed('SR-2', 'road-hazard'));
    expect((await kit.expectEvent(safety.ReportReceived)).data).toMatchObject({ reportId: 'SR-2', kind: 'hazard', channel: 'open311' });
    await kit.publish(citizen.RequestFiled, filed('SR-3', 'smoke-smell'));
    expect((await kit.expectEvent(citizen.CaseRouted)).data).toMatchObject({ caseId: 'SR-3', department: 'environment', acknowledgeBy: '2026-01-01T08:20:00.000Z', resolveBy: '2026-01-01T11:00:00.000Z' });
  });

  it('escalates to the supervisor when the department does not acknowledge in time, not when it does', async () => {
    kit = await startTestKernel({ plugins: [citizenServices] });
    const ignored = await kit.publish(citizen.RequestFiled, filed('SR-1', 'signal-broken'));
    const answered = await kit.publish(citizen.RequestFiled, filed('SR-2', 'bin-overflow'));
    const requested = await kit.expectEvent(waste.CollectionRequested);
    expect(requested.correlationid).toBe(answered.correlationid);
    const plan = { planId: 'P1', shiftStart: '2026-01-01T08:00:00.000Z', shiftEnd: '2026-01-01T12:00:00.000Z', routes: [], deferred: [], travelTimes: 'estimated' as const, solver: { seed: 1, iterations: 0, stoppedBy: 'iterations' as const, elapsedMs: 0, drivingS: 0, constructionDrivingS: 0 } };
    await kit.publish(waste.CollectionPlanned, plan as never, { causedBy: requested });
    await kit.clock.advance(14 * 60_000);
    await kit.expectNoEvent(citizen.CaseEscalated, { within: 50 });
    await kit.clock.advance(60_000);
    const escalated = await kit.expectEvent(citizen.CaseEscalated);
    expect(escalated.data).toEqual({ caseId: 'SR-1', department: 'traffic', serviceCode: 'signal-broken', missed: 'acknowledge', supervisor: 'traffic-supervisor' });
    expect(escalated.correlationid).toBe(ignored.correlationid);
    await kit.clock.advance(60 * 60_000);
    expect(kit.events.filter((e) => e.type === 'citizen.case.escalated')).toHaveLength(1);
  });
});
