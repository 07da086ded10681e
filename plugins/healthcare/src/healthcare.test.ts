import { health, safety, traffic } from '@polis/contracts';
import type { EventData } from '@polis/plugin-api';
import { standIn, startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { haversineM } from '@polis/contracts';
import type { LatLon } from '@polis/contracts';
import healthcare from './index.js';

const HERE = { lat: 30.25, lon: 120.16 };
/** A point `m` metres north (negative: south) of HERE; 1 degree of latitude = 111 195 m. */
const north = (m: number): LatLon => ({ lat: HERE.lat + m / 111_195.08, lon: HERE.lon });
const same = (a: LatLon, b: LatLon) => a.lat === b.lat && a.lon === b.lon;

type TravelTime = (from: LatLon, to: LatLon) => number | undefined;
/** Straight line at 10 m/s (36 km/h). */
const straightLine: TravelTime = (from, to) => haversineM(from, to) / 10;
/** Fixed travel times for legs starting or ending at a point (an ambulance or a hospital); straight line otherwise. */
const byEndpoint =
  (table: ReadonlyArray<readonly [LatLon, number]>): TravelTime =>
  (from, to) =>
    table.find(([point]) => same(point, from) || same(point, to))?.[1] ?? straightLine(from, to);

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
    plugins: [{ plugin: healthcare, config }],
    standIns: travelTimeS ? [routeStandIn(travelTimeS)] : [],
  });
  return kit;
}

let incidentSeq = 0;
function incidentOpened(k: TestKernel, over: Partial<EventData<typeof safety.IncidentOpened>> = {}) {
  return k.publish(safety.IncidentOpened, {
    incidentId: `INC-${++incidentSeq}`,
    kind: 'collision',
    position: HERE,
    openedAt: new Date(k.clock.now()).toISOString(),
    severity: 3,
    casualties: 1,
    reportIds: ['R1'],
    ...over,
  });
}

function incidentUpdated(k: TestKernel, incidentId: string, casualties: number, position: LatLon = HERE) {
  return k.publish(safety.IncidentUpdated, {
    incidentId,
    position,
    severity: 4,
    casualties,
    reportIds: ['R1', 'R2'],
    mergedReportId: 'R2',
  });
}

const S = 1000;
const hospital = (id: string, position: LatLon, emergencyBeds: number) => ({ id, name: `Hospital ${id}`, position, emergencyBeds });

// Two ambulances (the nearer one slow by road) and three hospitals (the nearest one full).
const nearButSlow = north(500);
const farButFast = north(-1500);
const fullHospital = north(300);
const midHospital = north(2000);
const farHospital = north(-4000);
const city = {
  ambulances: [
    { id: 'a-near', position: nearButSlow },
    { id: 'a-fast', position: farButFast },
  ],
  hospitals: [hospital('h-full', fullHospital, 0), hospital('h-mid', midHospital, 5), hospital('h-far', farHospital, 10)],
};
const cityRoutes = byEndpoint([
  [nearButSlow, 900],
  [farButFast, 150],
  [midHospital, 200],
  [farHospital, 400],
]);

describe('healthcare plugin', () => {
  it('sends the ambulance with the least route ETA to the hospital with the least ETA that has a free bed', async () => {
    const k = await start(city, cityRoutes);
    const incident = await incidentOpened(k, { casualties: 2 });
    const dispatched = await k.expectEvent(health.AmbulanceDispatched);
    expect(dispatched.data).toMatchObject({
      incidentId: incident.data.incidentId,
      ambulanceId: 'a-fast',
      hospitalId: 'h-mid',
      sceneEtaS: 150,
      hospitalEtaS: 200,
    });
    const corridor = await k.expectEvent(traffic.CorridorRequested);
    expect(corridor.data).toEqual({
      corridorId: dispatched.data.corridorId,
      vehicleId: 'a-fast',
      vehicleKind: 'ambulance',
      incidentId: incident.data.incidentId,
      from: farButFast,
      to: HERE,
    });
    expect(k.deadLetters).toEqual([]);
  });

  it('breaks a tie in hospital ETA by the most free beds', async () => {
    const a = north(2000);
    const b = north(-2000);
    const k = await start(
      { ambulances: [{ id: 'a1', position: north(100) }], hospitals: [hospital('h-a', a, 2), hospital('h-b', b, 5)] },
      byEndpoint([[a, 300], [b, 300]]),
    );
    await incidentOpened(k);
    expect((await k.expectEvent(health.AmbulanceDispatched)).data.hospitalId).toBe('h-b');
  });

  it('follows the mission on time: on scene, corridor to the hospital, arrival, one bed fewer, all in one chain', async () => {
    const k = await start({ ...city, sceneS: 300, handoverS: 600 }, cityRoutes);
    const t0 = k.clock.now();
    const opened = await incidentOpened(k, { casualties: 2 });
    const dispatched = await k.expectEvent(health.AmbulanceDispatched);
    const toScene = await k.expectEvent(traffic.CorridorRequested);

    // The ambulance arrives after 150 s and leaves after 300 s on scene.
    await k.clock.advance(449.9 * S);
    expect(k.eventsOf(health.AmbulanceOnScene)).toEqual([]);
    await k.clock.advance(0.1 * S);
    const onScene = await k.expectEvent(health.AmbulanceOnScene);
    expect(onScene.data).toEqual({
      incidentId: opened.data.incidentId,
      ambulanceId: 'a-fast',
      arrivedAt: new Date(t0 + 150 * S).toISOString(),
      hospitalId: 'h-mid',
      corridorId: expect.any(String),
    });
    const toHospital = await k.expectEvent(traffic.CorridorRequested, { where: (e) => e.id !== toScene.id });
    expect(toHospital.data).toMatchObject({ corridorId: onScene.data.corridorId, vehicleId: 'a-fast', from: HERE, to: midHospital });
    expect(toHospital.data.corridorId).not.toBe(toScene.data.corridorId);

    await k.clock.advance(199.9 * S);
    expect(k.eventsOf(health.PatientArrived)).toEqual([]);
    await k.clock.advance(0.1 * S);
    const arrived = await k.expectEvent(health.PatientArrived);
    expect(arrived.data).toEqual({
      incidentId: opened.data.incidentId,
      ambulanceId: 'a-fast',
      hospitalId: 'h-mid',
      arrivedAt: new Date(t0 + 650 * S).toISOString(),
    });
    const capacity = await k.expectEvent(health.CapacityUpdated);
    expect(capacity.data).toMatchObject({ hospitalId: 'h-mid', emergencyBedsFree: 4 });

    // One causal chain: each event caused by the one before it, all sharing one correlationid.
    expect(dispatched.causationid).toBe(opened.id);
    expect(toScene.causationid).toBe(opened.id);
    expect(onScene.causationid).toBe(dispatched.id);
    expect(toHospital.causationid).toBe(onScene.id);
    expect(arrived.causationid).toBe(onScene.id);
    expect(capacity.causationid).toBe(arrived.id);
    const chain = k.events.filter((e) => e.source === 'healthcare');
    expect(chain).toHaveLength(6);
    expect(new Set(chain.map((e) => e.correlationid))).toEqual(new Set([opened.correlationid]));
    expect(k.deadLetters).toEqual([]);
  });

  it('frees the ambulance at the hospital after the handover, and retries an incident on its next update', async () => {
    const k = await start({ ...city, sceneS: 300, handoverS: 600 }, cityRoutes);
    await incidentOpened(k);
    await k.expectEvent(health.AmbulanceDispatched);
    await k.clock.advance(650 * S);
    await k.expectEvent(health.PatientArrived);

    // The other ambulance goes out of service; the one at the hospital is still handing over.
    await k.publish(health.AmbulanceStatus, { ambulanceId: 'a-near', position: nearButSlow, available: false });
    const second = await incidentOpened(k, { position: north(3000) });
    const none = await k.expectEvent(health.AmbulanceUnavailable);
    expect(none.data).toEqual({ incidentId: second.data.incidentId, reason: 'no ambulance is available' });

    await k.clock.advance(600 * S);
    await incidentUpdated(k, second.data.incidentId, 2, north(3000));
    const redispatched = await k.expectEvent(health.AmbulanceDispatched, { where: (e) => e.data.incidentId === second.data.incidentId });
    expect(redispatched.data.ambulanceId).toBe('a-fast');
    const corridor = await k.expectEvent(traffic.CorridorRequested, { where: (e) => e.data.corridorId === redispatched.data.corridorId });
    expect(corridor.data.from).toEqual(midHospital);
    expect(k.deadLetters).toEqual([]);
  });

  it('sends nothing without casualties, then exactly one ambulance once updates report them', async () => {
    const k = await start(city, cityRoutes);
    const incident = await incidentOpened(k, { casualties: 0 });
    await k.expectNoEvent('health.>', { within: 50 });
    await incidentUpdated(k, incident.data.incidentId, 1);
    await k.expectEvent(health.AmbulanceDispatched);
    await incidentUpdated(k, incident.data.incidentId, 3);
    await k.expectNoEvent(health.AmbulanceUnavailable, { within: 50 });
    expect(k.eventsOf(health.AmbulanceDispatched)).toHaveLength(1);
    expect(k.deadLetters).toEqual([]);
  });

  it('reports no ambulance when none is configured, and no hospital when every one is full', async () => {
    const k = await start({ ambulances: [], hospitals: [hospital('h1', north(1000), 3)] }, straightLine);
    await incidentOpened(k);
    expect((await k.expectEvent(health.AmbulanceUnavailable)).data.reason).toBe('no ambulance is available');
    await k.stop();

    const k2 = await start({ ambulances: [{ id: 'a1', position: north(-500) }], hospitals: [hospital('h1', north(1000), 0)] }, straightLine);
    await incidentOpened(k2);
    expect((await k2.expectEvent(health.AmbulanceUnavailable)).data.reason).toBe('no hospital has a free emergency bed');
    expect(k2.deadLetters).toEqual([]);
  });

  it('takes in the hospitals’ own capacity reports', async () => {
    const k = await start({ ambulances: [{ id: 'a1', position: north(-500) }], hospitals: [hospital('h1', north(1000), 3)] }, straightLine);
    await k.publish(health.CapacityUpdated, { hospitalId: 'h1', emergencyBedsFree: 0, updatedAt: new Date(k.clock.now()).toISOString() });
    const incident = await incidentOpened(k);
    expect((await k.expectEvent(health.AmbulanceUnavailable)).data.reason).toBe('no hospital has a free emergency bed');

    await k.publish(health.CapacityUpdated, { hospitalId: 'h1', emergencyBedsFree: 2, updatedAt: new Date(k.clock.now()).toISOString() });
    await incidentUpdated(k, incident.data.incidentId, 1);
    expect((await k.expectEvent(health.AmbulanceDispatched)).data.hospitalId).toBe('h1');
    expect(k.deadLetters).toEqual([]);
  });

  it('counts a bed as taken from dispatch, so two ambulances never race for the last one', async () => {
    const k = await start(
      { ambulances: [{ id: 'a1', position: north(-500) }, { id: 'a2', position: north(-600) }], hospitals: [hospital('h1', north(1000), 1)] },
      straightLine,
    );
    await incidentOpened(k);
    await k.expectEvent(health.AmbulanceDispatched);
    const second = await incidentOpened(k, { position: north(200) });
    const none = await k.expectEvent(health.AmbulanceUnavailable);
    expect(none.data).toEqual({ incidentId: second.data.incidentId, reason: 'no hospital has a free emergency bed' });
  });

  it('reports an unreachable scene when no ambulance has a route to it', async () => {
    const k = await start({ ambulances: [{ id: 'a1', position: north(-500) }], hospitals: [hospital('h1', north(1000), 1)] }, (from, to) =>
      same(to, HERE) ? undefined : straightLine(from, to),
    );
    await incidentOpened(k);
    expect((await k.expectEvent(health.AmbulanceUnavailable)).data.reason).toBe('no available ambulance can reach the scene (1 without a route)');
  });

  it('keeps dispatching on straight-line ETAs when nobody answers route queries', async () => {
    const k = await start({ ...city, fallbackSpeedKph: 36 });
    await incidentOpened(k);
    const dispatched = await k.expectEvent(health.AmbulanceDispatched);
    // Straight line at 10 m/s: a-near is 500 m away (50 s); the full hospital is skipped, h-mid is 2 km (200 s).
    expect(dispatched.data).toMatchObject({ ambulanceId: 'a-near', hospitalId: 'h-mid', sceneEtaS: 50, hospitalEtaS: 200 });
    expect(k.logs.some((log) => log.level === 'warn' && log.message.includes('straight-line'))).toBe(true);
    await k.clock.advance((50 + 600 + 200) * S);
    await k.expectEvent(health.PatientArrived);
    expect(k.eventsOf(traffic.CorridorRequested)).toHaveLength(2);
    expect(k.deadLetters).toEqual([]);
  });

  it('logs a status from an unknown ambulance as a warning and carries on', async () => {
    const k = await start(city, cityRoutes);
    await k.publish(health.AmbulanceStatus, { ambulanceId: 'a-ghost', position: HERE, available: true });
    await incidentOpened(k);
    await k.expectEvent(health.AmbulanceDispatched);
    expect(k.logs.find((log) => log.level === 'warn')).toMatchObject({ message: 'status for an unknown ambulance ignored', fields: { ambulanceId: 'a-ghost' } });
    expect(k.deadLetters).toEqual([]);
  });

  it('cancels its pending timers when unplugged', async () => {
    const k = await start(city, cityRoutes);
    await incidentOpened(k);
    await k.expectEvent(health.AmbulanceDispatched);
    expect(k.clock.pendingTimers).toBe(1);
    await k.kernel.unload('healthcare');
    expect(k.clock.pendingTimers).toBe(0);
    await k.clock.advance(3600 * S);
    expect(k.eventsOf(health.AmbulanceOnScene)).toEqual([]);
    expect(k.logs.filter((log) => log.level === 'error')).toEqual([]);
  });

  it('refuses a configuration that names one ambulance twice', async () => {
    const twice = { id: 'a1', position: HERE };
    await expect(start({ ambulances: [twice, twice] })).rejects.toThrow(/ambulance id 'a1' appears twice/);
  });

  it('never sees an incident with an out-of-range position: the contract refuses it', async () => {
    const k = await start(city, cityRoutes);
    await expect(incidentOpened(k, { position: { lat: -91, lon: 0 } })).rejects.toThrow(/\/position\/lat must be >= -90/);
    await expect(k.publish(health.AmbulanceStatus, { ambulanceId: 'a-near', position: { lat: 0, lon: 200 }, available: true })).rejects.toThrow(
      /\/position\/lon must be <= 180/,
    );
    await k.expectNoEvent('health.>', { within: 50 });
    expect(k.deadLetters).toEqual([]);
  });
});
