import { afterEach, describe, expect, it } from 'vitest';
import { citizen, environment } from '@polis/contracts';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import environmentPlugin from './index.js';
import { HOUR, T0, hourly, testConfig } from './test-fixtures.js';

let kit: TestKernel | undefined;
afterEach(async () => {
  await kit?.stop();
  kit = undefined;
});

const order = (caseId: string, department = 'environment') => ({
  caseId,
  department,
  serviceCode: 'smoke-smell',
  // About 110 m north of station st-cbd.
  position: { lat: 22.536, lon: 114.056 },
  description: 'burning plastic smell',
  acknowledgeBy: '2026-01-01T08:20:00.000Z',
  resolveBy: '2026-01-01T11:00:00.000Z',
});

describe("environment answers smoke and smell work orders in the order's chain", () => {
  it("sends an inspector and reports what the nearest station measured, when it measured it", async () => {
    kit = await startTestKernel({ plugins: [{ plugin: environmentPlugin, config: testConfig({ workOrders: { travelS: 600, inspectS: 1200 } }) }] });
    const k = kit;
    const progressed = (status: string) => k.expectEvent(citizen.CaseProgressed, { where: (e) => e.data.status === status });
    const routed = await k.publish(citizen.CaseRouted, order('SR-1'));
    const taken = await progressed('acknowledged');
    expect(taken.data).toEqual({ caseId: 'SR-1', department: 'environment', status: 'acknowledged', note: 'inspector sent; station st-cbd (111 m away) has no index yet' });
    expect(taken.correlationid).toBe(routed.correlationid);
    // The smoke reaches the station while the inspector is on the way.
    for (let h = 22; h >= 0; h--) {
      const published = await k.publish(environment.ReadingReported, hourly('st-cbd', T0 - h * HOUR, { pm25: 180, no2: 20 }));
      await k.expectEvent('environment.>', { where: (e) => e.causationid === published.id && (e.type === environment.AqiComputed.type || e.type === environment.ReadingRejected.type) });
    }
    const aqi = k.events.filter((e) => e.type === environment.AqiComputed.type).at(-1)!.data as { usEpa: { aqi: number; category: string } };
    await k.clock.advance(600_000);
    expect((await progressed('in_progress')).data.note).toBe('inspector on site, sampling');
    await k.clock.advance(1_200_000);
    const report = await progressed('resolved');
    expect(report.data.note).toBe(`inspection done; station st-cbd (111 m away) reads AQI ${aqi.usEpa.aqi}, ${aqi.usEpa.category}`);
    expect(report.correlationid).toBe(routed.correlationid);
  });

  it("leaves other departments' work orders alone", async () => {
    kit = await startTestKernel({ plugins: [{ plugin: environmentPlugin, config: testConfig() }] });
    await kit.publish(citizen.CaseRouted, order('SR-2', 'traffic'));
    await kit.expectNoEvent(citizen.CaseProgressed, { within: 100 });
  });
});
