import { describe, expect, it } from 'vitest';
import { accountabilityView } from '@polis/http';
import type { AccountabilityRules, ChainEvent } from '@polis/http';
import { FakeClock } from '@polis/testkit';

const MIN = 60_000;
const rules: AccountabilityRules = {
  openers: { 'citizen.request.filed': 'bin-overflow', 'safety.incident.reported': 'emergency' },
  resolvers: ['waste.pickup.confirmed', 'health.patient.admitted'],
  slas: { 'bin-overflow': { acknowledgeMs: 10 * MIN, resolveMs: 60 * MIN }, emergency: { acknowledgeMs: 2 * MIN, resolveMs: 30 * MIN } },
};

/** A scripted morning on the fake clock: each event's time is the clock's when it happens. */
async function script() {
  const clock = new FakeClock();
  const events: ChainEvent[] = [];
  let n = 0;
  const at = (source: string, type: string, chain: string, cause?: string) => {
    const id = `e${++n}`;
    events.push({ id, source, type, time: new Date(clock.now()).toISOString(), correlationid: chain, ...(cause ? { causationid: cause } : {}) });
    return id;
  };
  // Bin A: acknowledged after 5 min, picked up after 40: within SLA.
  const a = at('citizen-services', 'citizen.request.filed', 'A');
  // Bin B filed at the same moment: acknowledged after 20 min (SLA missed), picked up after 50.
  const b = at('citizen-services', 'citizen.request.filed', 'B');
  await clock.advance(5 * MIN);
  at('waste', 'waste.collection.planned', 'A', a);
  // The crash: report -> dispatch (1 min) -> on scene (8) -> hospital (25).
  const crash = at('citizen-services', 'safety.incident.reported', 'C');
  await clock.advance(1 * MIN);
  const dispatch = at('public-safety', 'safety.unit.dispatched', 'C', crash);
  await clock.advance(7 * MIN);
  const scene = at('public-safety', 'safety.unit.on-scene', 'C', dispatch);
  await clock.advance(7 * MIN); // 20 min
  at('waste', 'waste.collection.planned', 'B', b);
  // Bin D at 20 min: nobody acts on it.
  at('citizen-services', 'citizen.request.filed', 'D');
  await clock.advance(10 * MIN); // 30 min
  at('healthcare', 'health.patient.admitted', 'C', scene);
  await clock.advance(10 * MIN); // 40 min
  at('waste', 'waste.pickup.confirmed', 'A');
  await clock.advance(10 * MIN); // 50 min
  at('waste', 'waste.pickup.confirmed', 'B');
  // Unrelated chatter without an opener is not a case.
  at('traffic', 'traffic.flow.reported', 'Z');
  await clock.advance(10 * MIN); // 60 min: D is 40 min old, its acknowledgement 30 min late
  return { events, now: clock.now() };
}

describe('the accountability view, from causal chains alone', () => {
  it('gives each department its cases, times to first action and resolution, SLA share and overdue cases', async () => {
    const { events, now } = await script();
    const view = accountabilityView(events, rules, now);
    expect(view.departments).toEqual([

      { department: 'public-safety', service: 'emergency', handled: 1, resolved: 1, firstActionMs: { median: 1 * MIN, p90: 1 * MIN }, resolutionMs: { median: 25 * MIN, p90: 25 * MIN }, withinSla: 1, openOverdue: 0 },
      { department: 'unassigned', service: 'bin-overflow', handled: 1, resolved: 0, firstActionMs: { median: null, p90: null }, resolutionMs: { median: null, p90: null }, withinSla: 0, openOverdue: 1 },
      { department: 'waste', service: 'bin-overflow', handled: 2, resolved: 2, firstActionMs: { median: 5 * MIN, p90: 20 * MIN }, resolutionMs: { median: 40 * MIN, p90: 50 * MIN }, withinSla: 0.5, openOverdue: 0 },
    ]);
  });

  it('keeps, per case, the chain of who did what when, emergencies included', async () => {
    const { events, now } = await script();
    const crash = accountabilityView(events, rules, now).cases.find((c) => c.correlationId === 'C')!;
    expect(crash).toMatchObject({ service: 'emergency', department: 'public-safety', status: 'resolved', overdue: false, openedAt: '2026-01-01T08:05:00.000Z' });
    expect(crash.steps.map((s) => `${s.at.slice(11, 16)} ${s.by} ${s.did}`)).toEqual([
      '08:05 citizen-services safety.incident.reported',
      '08:06 public-safety safety.unit.dispatched',
      '08:13 public-safety safety.unit.on-scene',
      '08:30 healthcare health.patient.admitted',
    ]);
    expect(crash.steps[3]!.causedBy).toBe('e6');
    const d = accountabilityView(events, rules, now).cases.find((c) => c.correlationId === 'D')!;
    expect(d).toMatchObject({ status: 'open', overdue: true, department: 'unassigned' });
  });
});

describe('a resolver named with a status word', () => {
  it("resolves a case at the first event of that type with that status, not at the type's other statuses", () => {
    const rules: AccountabilityRules = { openers: { 'citizen.case.routed': 'work order' }, resolvers: ['citizen.case.updated:resolved'], slas: { 'work order': { acknowledgeMs: 10 * MIN, resolveMs: 60 * MIN } } };
    const t = (m: number) => new Date(Date.UTC(2026, 0, 1, 8, m)).toISOString();
    const events: ChainEvent[] = [
      { id: 'a', source: 'citizen-services', type: 'citizen.case.routed', time: t(0), correlationid: 'K' },
      { id: 'b', source: 'traffic', type: 'citizen.case.progressed', time: t(2), correlationid: 'K', status: 'acknowledged' },
      { id: 'c', source: 'citizen-services', type: 'citizen.case.updated', time: t(2), correlationid: 'K', status: 'acknowledged' },
      { id: 'd', source: 'citizen-services', type: 'citizen.case.updated', time: t(45), correlationid: 'K', status: 'resolved' },
    ];
    const view = accountabilityView(events, rules, Date.parse(t(90)));
    expect(view.departments).toEqual([{ department: 'traffic', service: 'work order', handled: 1, resolved: 1, firstActionMs: { median: 2 * MIN, p90: 2 * MIN }, resolutionMs: { median: 45 * MIN, p90: 45 * MIN }, withinSla: 1, openOverdue: 0 }]);
  });
});

describe('the accountability view on the gateway', () => {
  it('serves the JSON and a transparency page that shows hostile text as text', async () => {
    const { startTestCity, SENSOR_TOKEN } = await import('./gateway-fixture.js');
    const city = await startTestCity({ accountability: { rules: { openers: { 'test.report.received': 'report' }, resolvers: ['test.incident.opened'], slas: { report: { acknowledgeMs: 60_000, resolveMs: 60_000 } } } } });
    try {
      const hostile = '<script>alert(1)</script>';
      const sent = await city.fetch('/events', { method: 'POST', token: SENSOR_TOKEN, headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify({ specversion: '1.0', id: 'r1', source: 'urn:sensor:1', subject: hostile, type: 'test.report.received', data: { reportId: 'r1', casualties: 2 } }) });
      expect(sent.status).toBeLessThan(300);
      let view: { departments: Array<{ department: string; handled: number; resolved: number }>; cases: Array<{ steps: Array<{ about?: string }> }> } = { departments: [], cases: [] };
      await expect.poll(async () => {
        view = (await (await city.fetch('/accountability.json')).json()) as typeof view;
        return view.departments;
      }).toEqual([expect.objectContaining({ department: 'incident-desk', service: 'report', handled: 1, resolved: 1, withinSla: 1 })]);
      expect(view.cases[0]!.steps[0]!.about).toBe(hostile);
      const page = await city.fetch('/transparency');
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const html = await page.text();
      expect(html).not.toContain('<script>');
      expect(html).toContain('(&lt;script&gt;alert(1)&lt;/script&gt;)');
      expect(html).toContain('<td>incident-desk</td><td>report</td><td>1</td><td>1</td>');
    } finally {
      await city.stop();
    }
  });
});
