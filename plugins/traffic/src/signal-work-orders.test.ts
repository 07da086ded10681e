import { describe, expect, it } from 'vitest';
import { citizen } from '@polis/contracts';
import { startTestKernel } from '@polis/testkit';
import { gridConfig } from './test-fixtures.js';
import { trafficPlugin } from './traffic-plugin.js';

const order = (caseId: string, position: { lat: number; lon: number }) => ({
  caseId,
  department: 'traffic',
  serviceCode: 'signal-broken',
  position,
  description: 'dark since this morning',
  acknowledgeBy: '2026-01-01T08:15:00.000Z',
  resolveBy: '2026-01-01T10:00:00.000Z',
});

describe("traffic answers broken-signal work orders (citizen.case.routed) in the order's chain", () => {
  it('assigns the crew to the nearest signal, is on site after the travel time and repaired after the repair time', async () => {
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: { ...gridConfig(), workOrders: { travelS: 300, repairS: 600 } } }] });
    try {
      // 30 m or so from n11 (x11).
      const routed = await kit.publish(citizen.CaseRouted, order('SR-1', { lat: 0.0047, lon: 0.0045 }));
      const progressed = (status: string) => kit.expectEvent(citizen.CaseProgressed, { where: (e) => e.data.status === status });
      const taken = await progressed('acknowledged');
      expect(taken.data).toEqual({ caseId: 'SR-1', department: 'traffic', status: 'acknowledged', note: 'signal crew assigned to x11 (22 m from the report)' });
      expect(taken.correlationid).toBe(routed.correlationid);
      await kit.clock.advance(299_000);
      await kit.expectNoEvent(citizen.CaseProgressed, { within: 50, where: (e) => e.data.status === 'in_progress' });
      await kit.clock.advance(1_000);
      expect((await progressed('in_progress')).data.note).toBe('signal crew at x11, repairing');
      await kit.clock.advance(600_000);
      const repaired = await progressed('resolved');
      expect(repaired.data.note).toBe('signal x11 repaired and back on its plan');
      expect(repaired.correlationid).toBe(routed.correlationid);
    } finally {
      await kit.stop();
    }
  });

  it("resolves an order far from every signal at once, and ignores other departments' orders", async () => {
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig() }] });
    try {
      await kit.publish(citizen.CaseRouted, { ...order('SR-2', { lat: 0.0045, lon: 0.0045 }), department: 'environment' });
      await kit.publish(citizen.CaseRouted, order('SR-3', { lat: 0.5, lon: 0.5 }));
      const answer = await kit.expectEvent(citizen.CaseProgressed);
      expect(answer.data).toMatchObject({ caseId: 'SR-3', status: 'resolved', note: 'no signal of the city within 300 m of the reported place; nothing to repair' });
      await kit.expectNoEvent(citizen.CaseProgressed, { within: 50, where: (e) => e.data.caseId === 'SR-2' });
    } finally {
      await kit.stop();
    }
  });
});
