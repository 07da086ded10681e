import { environment, health } from '@polis/contracts';
import type { EventData } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import healthcare from './index.js';

// Two hospitals 1.1 km apart on a meridian; the zone's polygon holds only the southern one.
const SOUTH = { lat: 22.535, lon: 114.056 };
const NORTH = { lat: 22.545, lon: 114.056 };
const ZONE = [
  { lat: 22.53, lon: 114.05 },
  { lat: 22.53, lon: 114.062 },
  { lat: 22.54, lon: 114.062 },
  { lat: 22.54, lon: 114.05 },
];
const config = {
  hospitals: [
    { id: 'south', name: 'South Hospital', position: SOUTH, emergencyBeds: 4 },
    { id: 'north', name: 'North Hospital', position: NORTH, emergencyBeds: 4 },
  ],
};

type Raised = EventData<typeof environment.AlertRaised>;
const zoneAlert: Raised = {
  alertId: 'AQ-cbd-1',
  scope: 'zone',
  subjectId: 'cbd',
  name: 'Futian CBD',
  area: { kind: 'polygon', points: ZONE },
  standard: 'us-epa',
  aqi: 168,
  category: 'unhealthy',
  severity: 'medium',
  primaryPollutants: ['pm25'],
  observedAt: '2026-01-01T09:00:00.000Z',
};
// A station 500 m north of the southern hospital whose 1.2 km circle covers both.
const stationAlert: Raised = { ...zoneAlert, alertId: 'AQ-st-1', scope: 'station', subjectId: 'st', name: 'Station', area: { kind: 'circle', center: { lat: 22.5395, lon: 114.056 }, radiusM: 1200 }, aqi: 120, category: 'unhealthy-for-sensitive-groups', severity: 'low' };

let kit: TestKernel | undefined;
afterEach(async () => {
  expect(kit?.deadLetters ?? []).toEqual([]);
  await kit?.stop();
  kit = undefined;
});

describe('respiratory readiness under air-quality alerts', () => {
  it('readies the hospitals inside an alert area, by its severity, under the alert\'s correlation id', async () => {
    const k = (kit = await startTestKernel({ plugins: [{ plugin: healthcare, config }] }));
    const alert = await k.publish(environment.AlertRaised, zoneAlert);
    const changed = await k.expectEvent(health.ReadinessChanged);
    expect(changed.data).toEqual({
      hospitalId: 'south',
      level: 'prepared',
      previousLevel: 'normal',
      alertIds: ['AQ-cbd-1'],
      reason: 'air-quality alert AQ-cbd-1 for zone Futian CBD: us-epa AQI 168 (unhealthy, pm25), severity medium',
    });
    expect(changed.correlationid).toBe(alert.correlationid);
    expect(changed.causationid).toBe(alert.id);
    await k.expectNoEvent(health.ReadinessChanged, { within: 50, where: (event) => event.data.hospitalId === 'north' });
  });

  it('keeps each hospital at the level of the most severe alert over it, through escalation and the end of each alert', async () => {
    const k = (kit = await startTestKernel({ plugins: [{ plugin: healthcare, config }] }));
    const step = async <E extends typeof environment.AlertRaised | typeof environment.AlertUpdated | typeof environment.AlertCleared>(event: E, data: EventData<E>, changes: number) => {
      const published = await k.publish(event, data);
      let seen = 0;
      if (changes > 0) await k.expectEvent(health.ReadinessChanged, { where: (e) => e.causationid === published.id && ++seen === changes });
      else await k.expectNoEvent(health.ReadinessChanged, { within: 50, where: (e) => e.causationid === published.id });
      return k.eventsOf(health.ReadinessChanged).filter((e) => e.causationid === published.id).map((e) => [e.data.hospitalId, e.data.level, e.data.alertIds]);
    };
    expect(await step(environment.AlertRaised, zoneAlert, 1)).toEqual([['south', 'prepared', ['AQ-cbd-1']]]);
    // The station's low alert covers both: north goes on standby, south stays prepared (no news for it).
    expect(await step(environment.AlertRaised, stationAlert, 1)).toEqual([['north', 'standby', ['AQ-st-1']]]);
    expect(await step(environment.AlertUpdated, { ...zoneAlert, aqi: 230, category: 'very-unhealthy', severity: 'high', previousSeverity: 'medium' }, 1)).toEqual([['south', 'surge', ['AQ-cbd-1', 'AQ-st-1']]]);
    const cleared = (alert: Raised) => ({ alertId: alert.alertId, scope: alert.scope, subjectId: alert.subjectId, name: alert.name, area: alert.area, standard: alert.standard, aqi: 80, observedAt: alert.observedAt });
    // The zone's alert ends; the station's still covers the southern hospital: down to standby, not normal.
    expect(await step(environment.AlertCleared, cleared(zoneAlert), 1)).toEqual([['south', 'standby', ['AQ-st-1']]]);
    expect(await step(environment.AlertCleared, cleared(stationAlert), 2)).toEqual([
      ['south', 'normal', []],
      ['north', 'normal', []],
    ]);
    // An alert that ends twice (a redelivery) changes nothing more.
    expect(await step(environment.AlertCleared, cleared(stationAlert), 0)).toEqual([]);
  });

  it('leaves readiness alone for an informational alert, below every threshold', async () => {
    const k = (kit = await startTestKernel({ plugins: [{ plugin: healthcare, config }] }));
    const alert = await k.publish(environment.AlertRaised, { ...zoneAlert, aqi: 60, category: 'moderate', severity: 'informational' });
    await k.expectNoEvent(health.ReadinessChanged, { within: 50, where: (e) => e.causationid === alert.id });
  });
});
