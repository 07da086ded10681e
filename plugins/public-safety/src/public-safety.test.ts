import { safety, traffic } from '@polis/contracts';
import type { EventData } from '@polis/plugin-api';
import { standIn, startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { haversineM } from '@polis/contracts';
import type { LatLon } from '@polis/contracts';
import publicSafety from './index.js';

const HERE = { lat: 30.25, lon: 120.16 };
/** A point `m` metres north (negative: south) of `from`; 1 degree of latitude = 111 195 m. */
const north = (m: number, from: LatLon = HERE): LatLon => ({ lat: from.lat + m / 111_195.08, lon: from.lon });
const same = (a: LatLon, b: LatLon) => a.lat === b.lat && a.lon === b.lon;

type TravelTime = (from: LatLon, to: LatLon) => number | undefined;
/** Straight line at 10 m/s (36 km/h). */
const straightLine: TravelTime = (from, to) => haversineM(from, to) / 10;
/** Fixed travel times by origin (a unit's position); straight line from anywhere else. */
const fromOrigins =
  (table: ReadonlyArray<readonly [LatLon, number]>): TravelTime =>
  (from, to) =>
    table.find(([origin]) => same(origin, from))?.[1] ?? straightLine(from, to);

/** Stands in for traffic: answers `traffic.route.find` from `travelTimeS`, no route when it gives undefined. */
const routeStandIn = (travelTimeS: TravelTime) =>
  standIn(traffic.RouteFind, ({ from, to }) => {
    const timeS = travelTimeS(from, to);
    return timeS === undefined
      ? { found: false, nodes: [], lengthM: 0, travelTimeS: 0, reason: 'no road between the points' }
      : { found: true, nodes: ['n1', 'n2'], lengthM: haversineM(from, to), travelTimeS: timeS };
  });

let kit: TestKernel | undefined;
afterEach(async () => {
  await kit?.stop();
  kit = undefined;
});

async function start(config: Record<string, unknown>, travelTimeS?: TravelTime): Promise<TestKernel> {
  kit = await startTestKernel({
    plugins: [{ plugin: publicSafety, config }],
    standIns: travelTimeS ? [routeStandIn(travelTimeS)] : [],
  });
  return kit;
}

let reportSeq = 0;
function report(k: TestKernel, over: Partial<EventData<typeof safety.ReportReceived>> = {}) {
  return k.publish(safety.ReportReceived, {
    reportId: `R${++reportSeq}`,
    kind: 'collision',
    position: HERE,
    reportedAt: new Date(k.clock.now()).toISOString(),
    casualties: 0,
    description: '',
    channel: 'call',
    ...over,
  });
}

const S = 1000;

describe('public safety plugin', () => {
  it('dispatches the unit with the least route ETA, even when another is nearer in a straight line', async () => {
    const nearButSlow = north(500);
    const farButFast = north(-1000);
    const k = await start(
      { units: [{ id: 'p-near', kind: 'police', position: nearButSlow }, { id: 'p-far', kind: 'police', position: farButFast }] },
      fromOrigins([[nearButSlow, 900], [farButFast, 120]]),
    );
    await report(k, { kind: 'crime' });
    const dispatched = await k.expectEvent(safety.UnitDispatched);
    expect(dispatched.data).toMatchObject({ unitId: 'p-far', unitKind: 'police', etaS: 120 });
    expect(k.deadLetters).toEqual([]);
  });

  it('requests a green corridor only for dispatches at or above the corridor severity', async () => {
    const elsewhere = north(3000);
    const k = await start(
      {
        units: [{ id: 'p1', kind: 'police', position: north(-500) }, { id: 'p2', kind: 'police', position: north(2500) }],
        corridorMinSeverity: 3,
      },
      straightLine,
    );
    // A collision with nobody hurt is severity 2: a routine dispatch.
    await report(k, { position: elsewhere });
    const routine = await k.expectEvent(safety.UnitDispatched);
    expect(routine.data).toMatchObject({ unitId: 'p2' });
    expect(routine.data.corridorId).toBeUndefined();
    expect(routine.priority).toBe('routine');
    await k.expectNoEvent(traffic.CorridorRequested, { within: 50 });

    // One injured makes it 3: emergency priority, and a corridor from the unit to the scene.
    await report(k, { casualties: 1 });
    const urgent = await k.expectEvent(safety.UnitDispatched, { where: (e) => e.data.unitId === 'p1' });
    const corridor = await k.expectEvent(traffic.CorridorRequested);
    expect(urgent.priority).toBe('emergency');
    expect(corridor.data).toEqual({
      corridorId: urgent.data.corridorId,
      vehicleId: 'p1',
      vehicleKind: 'police',
      incidentId: urgent.data.incidentId,
      from: north(-500),
      to: HERE,
    });
    expect(k.eventsOf(traffic.CorridorRequested)).toHaveLength(1);
    expect(k.deadLetters).toEqual([]);
  });

  it('merges reports of the same crash within the distance and window, keeping the most casualties', async () => {
    const k = await start({ units: [{ id: 'p1', kind: 'police', position: north(-500) }] }, straightLine);
    await report(k, { reportId: 'call-1', casualties: 1 });
    const opened = await k.expectEvent(safety.IncidentOpened);
    expect(opened.data).toMatchObject({ kind: 'collision', severity: 3, casualties: 1, reportIds: ['call-1'] });

    await k.clock.advance(60 * S);
    await report(k, { reportId: 'call-2', kind: 'medical', position: north(150), casualties: 3 });
    const first = await k.expectEvent(safety.IncidentUpdated);
    expect(first.data).toEqual({
      incidentId: opened.data.incidentId,
      position: HERE,
      severity: 4,
      casualties: 3,
      reportIds: ['call-1', 'call-2'],
      mergedReportId: 'call-2',
    });

    await report(k, { reportId: 'call-3', casualties: 2 });
    const second = await k.expectEvent(safety.IncidentUpdated, { where: (e) => e.data.mergedReportId === 'call-3' });
    expect(second.data).toMatchObject({ casualties: 3, severity: 4, reportIds: ['call-1', 'call-2', 'call-3'] });
    expect(k.eventsOf(safety.IncidentOpened)).toHaveLength(1);
    // The merged reports needed no other unit kind: still one dispatch.
    expect(k.eventsOf(safety.UnitDispatched)).toHaveLength(1);
    expect(k.deadLetters).toEqual([]);
  });

  it('opens a separate incident for a report outside the distance, the window, or of an incompatible kind', async () => {
    const k = await start(
      {
        units: ['p1', 'p2', 'p3'].map((id, i) => ({ id, kind: 'police', position: north(-500 - i) })),
        clearAfterS: 7200,
        mergeDistanceM: 300,
        mergeWindowS: 900,
      },
      straightLine,
    );
    await report(k, { reportId: 'here' });
    await k.expectEvent(safety.IncidentOpened);
    await report(k, { reportId: 'too-far', position: north(400) });
    await k.expectEvent(safety.IncidentOpened, { where: (e) => e.data.reportIds[0] === 'too-far' });

    await k.clock.advance(901 * S);
    await report(k, { reportId: 'too-late' });
    await k.expectEvent(safety.IncidentOpened, { where: (e) => e.data.reportIds[0] === 'too-late' });
    await report(k, { reportId: 'a-fire', kind: 'fire' });
    await k.expectEvent(safety.IncidentOpened, { where: (e) => e.data.reportIds[0] === 'a-fire' });

    expect(k.eventsOf(safety.IncidentOpened)).toHaveLength(4);
    expect(k.eventsOf(safety.IncidentUpdated)).toEqual([]);
    expect(k.eventsOf(safety.IncidentClosed)).toEqual([]);
    expect(k.deadLetters).toEqual([]);
  });

  it('puts each unit on scene at its ETA and closes the incident clearAfterS after the last arrival', async () => {
    const fireStation = north(1000);
    const policeStation = north(-1000);
    const k = await start(
      {
        units: [{ id: 'f1', kind: 'fire', position: fireStation }, { id: 'p1', kind: 'police', position: policeStation }],
        clearAfterS: 300,
      },
      // The police unit arrives after the fire unit's arrival plus the clear time: closing must wait for it.
      fromOrigins([[fireStation, 100], [policeStation, 500]]),
    );
    const t0 = k.clock.now();
    const call = await report(k, { kind: 'fire' });
    // A fire needs a fire unit and a police unit by default.
    await k.expectEvent(safety.UnitDispatched, { where: (e) => e.data.unitId === 'p1' });
    expect(k.eventsOf(safety.UnitDispatched).map((e) => e.data.unitId)).toEqual(['f1', 'p1']);

    await k.clock.advance(99.9 * S);
    expect(k.eventsOf(safety.UnitOnScene)).toEqual([]);
    await k.clock.advance(0.1 * S);
    const fireOnScene = await k.expectEvent(safety.UnitOnScene);
    expect(fireOnScene.data).toMatchObject({ unitId: 'f1', arrivedAt: new Date(t0 + 100 * S).toISOString() });
    await k.clock.advance(399.9 * S);
    expect(k.eventsOf(safety.IncidentClosed)).toEqual([]);
    await k.clock.advance(0.1 * S);
    await k.expectEvent(safety.UnitOnScene, { where: (e) => e.data.unitId === 'p1' });

    await k.clock.advance(299.9 * S);
    expect(k.eventsOf(safety.IncidentClosed)).toEqual([]);
    await k.clock.advance(0.1 * S);
    const closed = await k.expectEvent(safety.IncidentClosed);
    expect(closed.data).toMatchObject({ closedAt: new Date(t0 + 800 * S).toISOString(), reason: 'cleared 300 s after the last unit arrived' });

    // Every event of the incident continues the caller's chain.
    const chain = k.events.filter((e) => e.source === 'public-safety');
    expect(chain.map((e) => e.type)).toEqual([
      'safety.incident.opened',
      'safety.unit.dispatched',
      'traffic.corridor.requested',
      'safety.unit.dispatched',
      'traffic.corridor.requested',
      'safety.unit.onscene',
      'safety.unit.onscene',
      'safety.incident.closed',
    ]);
    expect(new Set(chain.map((e) => e.correlationid))).toEqual(new Set([call.correlationid]));

    // The police unit is free again, at the scene: the next corridor starts there.
    await report(k, { kind: 'crime', casualties: 1, position: north(2000) });
    const next = await k.expectEvent(traffic.CorridorRequested, { where: (e) => e.correlationid !== call.correlationid });
    expect(next.data).toMatchObject({ vehicleId: 'p1', from: HERE });
    expect(k.deadLetters).toEqual([]);
  });

  it('reports that no unit is available, or that none can reach the scene', async () => {
    const k = await start({ units: [{ id: 'p1', kind: 'police', position: north(-500) }] }, (from, to) =>
      same(to, north(5000)) ? undefined : straightLine(from, to),
    );
    await report(k, { kind: 'crime' });
    await k.expectEvent(safety.UnitDispatched);
    await report(k, { kind: 'crime', position: north(2000) });
    const none = await k.expectEvent(safety.DispatchUnavailable);
    expect(none.data).toMatchObject({ unitKind: 'police', reason: 'no police unit is available' });

    // A hazard needs a fire unit; there is none at all.
    await report(k, { kind: 'hazard', position: north(3000) });
    await k.expectEvent(safety.DispatchUnavailable, { where: (e) => e.data.unitKind === 'fire' });
    expect(k.deadLetters).toEqual([]);
  });

  it('reports a unit that exists but has no route to the scene as unreachable', async () => {
    const k = await start({ units: [{ id: 'p1', kind: 'police', position: north(-500) }] }, () => undefined);
    await report(k, { kind: 'crime' });
    const none = await k.expectEvent(safety.DispatchUnavailable);
    expect(none.data.reason).toBe('no available police unit can reach the scene (1 without a route)');
    expect(k.eventsOf(safety.UnitDispatched)).toEqual([]);
  });

  it('keeps dispatching on straight-line ETAs when nobody answers route queries', async () => {
    const k = await start({
      units: [{ id: 'p-far', kind: 'police', position: north(800) }, { id: 'p-near', kind: 'police', position: north(-300) }],
      fallbackSpeedKph: 36,
    });
    await report(k, { casualties: 1 });
    const dispatched = await k.expectEvent(safety.UnitDispatched);
    expect(dispatched.data).toMatchObject({ unitId: 'p-near', etaS: 30 });
    await k.expectEvent(traffic.CorridorRequested);
    const warning = k.logs.find((log) => log.level === 'warn' && log.message.includes('straight-line'));
    expect(warning?.fields).toMatchObject({ code: 'POLIS_NO_RESPONDER', failed: 2 });

    await k.clock.advance(30 * S);
    await k.expectEvent(safety.UnitOnScene);
    expect(k.deadLetters).toEqual([]);
  });

  it('treats a traffic incident detection as a collision report with nobody known hurt', async () => {
    const k = await start({ units: [{ id: 'p1', kind: 'police', position: north(-500) }] }, straightLine);
    const detection = await k.publish(traffic.IncidentDetected, {
      detectionId: 'det-7',
      detectorId: 'd-1',
      linkId: 'l-1',
      position: HERE,
      detectedAt: new Date(k.clock.now()).toISOString(),
      baselineSpeedKph: 50,
      speedKph: 8,
      baselineOccupancyPct: 12,
      occupancyPct: 70,
    });
    const opened = await k.expectEvent(safety.IncidentOpened);
    expect(opened.data).toMatchObject({ kind: 'collision', casualties: 0, severity: 2, reportIds: ['det-7'] });
    expect(opened.correlationid).toBe(detection.correlationid);
    await k.expectEvent(safety.UnitDispatched);

    // A caller at the same crash reports an injury: merged, not a second incident.
    await report(k, { casualties: 1, position: north(50) });
    expect((await k.expectEvent(safety.IncidentUpdated)).data).toMatchObject({ severity: 3, reportIds: ['det-7', expect.any(String)] });
    expect(k.deadLetters).toEqual([]);
  });

  it('never sees a report with an out-of-range position: the contract refuses it', async () => {
    const k = await start({ units: [{ id: 'p1', kind: 'police', position: north(-500) }] }, straightLine);
    await expect(report(k, { position: { lat: 91, lon: 120 } })).rejects.toThrow(/\/position\/lat must be <= 90/);
    await expect(report(k, { position: { lat: 30, lon: -181 } })).rejects.toThrow(/\/position\/lon must be >= -180/);
    await k.expectNoEvent(safety.IncidentOpened, { within: 50 });
    expect(k.deadLetters).toEqual([]);
  });

  it('cancels its pending timers when unplugged', async () => {
    const k = await start({ units: [{ id: 'p1', kind: 'police', position: north(-500) }] }, straightLine);
    await report(k, { kind: 'crime' });
    await k.expectEvent(safety.UnitDispatched);
    expect(k.clock.pendingTimers).toBe(1);
    await k.kernel.unload('public-safety');
    expect(k.clock.pendingTimers).toBe(0);
    await k.clock.advance(3600 * S);
    expect(k.eventsOf(safety.UnitOnScene)).toEqual([]);
    expect(k.logs.filter((log) => log.level === 'error')).toEqual([]);
  });

  it('refuses a configuration that names one unit twice', async () => {
    const duplicate = { id: 'p1', kind: 'police', position: HERE };
    await expect(start({ units: [duplicate, duplicate] })).rejects.toThrow(/unit id 'p1' appears twice/);
  });
});
