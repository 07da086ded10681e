import { environment, health, traffic } from '@polis/contracts';
import type { CloudEvent, EventData } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { demoCityPlugins } from './demo-city.js';

type Reading = EventData<typeof environment.ReadingReported>;
const HOUR = 3_600_000;
const MINUTE = 60_000;

const pm25 = (stationId: string, endMs: number, averagingS: number, value: number): Reading => ({
  stationId,
  observedAt: new Date(endMs).toISOString(),
  averagingS,
  measurements: { pm25: { value, unit: 'ug/m3' }, no2: { value: 30, unit: 'ug/m3' } },
});

/** Twelve clean hours at the CBD station, then smoke at 700 ug/m3, minute by minute, until `until` holds. */
async function smokeOverTheCbd(kit: TestKernel, until: () => boolean): Promise<CloudEvent<Reading>[]> {
  const now = kit.clock.now();
  for (let h = 11; h >= 0; h--) await kit.publish(environment.ReadingReported, pm25('futian-cbd', now - h * HOUR, 3600, 20));
  const smoky: CloudEvent<Reading>[] = [];
  for (let minute = 1; minute <= 30 && !until(); minute++) {
    await kit.clock.advance(MINUTE);
    const reading = await kit.publish(environment.ReadingReported, pm25('futian-cbd', now + minute * MINUTE, 60, 700));
    smoky.push(reading);
    await kit.expectEvent(environment.AqiComputed, { within: 2000, where: (event) => event.causationid === reading.id });
  }
  return smoky;
}

describe('the air-quality chain across environment, healthcare and traffic', () => {
  it('turns smoke over the CBD into a zone alert that readies the hospital inside it and gates the signals at its edge, each under the reading\'s correlation id', async () => {
    const kit = await startTestKernel({ plugins: await demoCityPlugins(['traffic', 'healthcare', 'environment']) });
    await smokeOverTheCbd(kit, () => kit.eventsOf(traffic.InflowGated).length > 0);

    const [raised] = kit.eventsOf(environment.AlertRaised);
    expect(raised?.data).toMatchObject({ scope: 'zone', subjectId: 'futian-cbd', standard: 'us-epa', severity: 'low', primaryPollutants: ['pm25'] });
    // Futian People's Hospital lies inside the CBD zone; the other two do not.
    const readiness = kit.eventsOf(health.ReadinessChanged);
    expect(readiness.map((event) => [event.data.hospitalId, event.data.level])).toEqual([
      ['futian-hospital', 'standby'],
      ['futian-hospital', 'prepared'],
    ]);
    expect(readiness[0]!.correlationid).toBe(raised!.correlationid);

    // At medium severity (Unhealthy) traffic gates the inflow at the zone's four boundary signals.
    const [updated] = kit.eventsOf(environment.AlertUpdated);
    expect(updated?.data).toMatchObject({ severity: 'medium', previousSeverity: 'low' });
    const [gated] = kit.eventsOf(traffic.InflowGated);
    expect(gated!.data.signals.map((signal) => [signal.intersectionId, signal.phaseIds])).toEqual([
      ['x02', ['EW']],
      ['x12', ['NS', 'EW']],
      ['x13', ['NS']],
      ['x14', ['NS']],
    ]);
    expect(gated!.correlationid).toBe(updated!.correlationid);
    expect(readiness[1]!.correlationid).toBe(updated!.correlationid);
    expect(kit.deadLetters).toEqual([]);
    await kit.stop();
  });

  it('plugs environment into a running city: healthcare and traffic, which never imported it, act on its first alert', async () => {
    const [trafficEntry, healthEntry, environmentEntry] = await demoCityPlugins(['traffic', 'healthcare', 'environment']);
    const kit = await startTestKernel({ plugins: [trafficEntry!, healthEntry!] });
    expect((await kit.kernel.load(environmentEntry!)).started).toEqual(['environment']);
    await smokeOverTheCbd(kit, () => kit.eventsOf(traffic.InflowGated).length > 0);
    expect(kit.eventsOf(health.ReadinessChanged).map((event) => event.data.level)).toEqual(['standby', 'prepared']);
    expect(kit.eventsOf(traffic.InflowGated)).toHaveLength(1);

    // Unplugged again, the other domains keep their state and go on without it.
    await kit.kernel.unload('environment');
    expect(kit.kernel.plugin('traffic')?.state).toBe('running');
    expect(kit.kernel.plugin('healthcare')?.state).toBe('running');
    expect(kit.logs.filter((record) => record.level === 'error')).toEqual([]);
    expect(kit.deadLetters).toEqual([]);
    await kit.stop();
  });
});
