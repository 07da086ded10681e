import { health, safety, traffic } from '@polis/contracts';
import type { CloudEvent } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { CRASH_SITE, demoCityPlugins } from './demo-city.js';

const report = (reportId: string, casualties: number, at: number) => ({
  reportId,
  kind: 'collision' as const,
  position: CRASH_SITE,
  reportedAt: new Date(at).toISOString(),
  casualties,
  description: 'two cars, driver trapped',
  channel: 'call',
});

describe('the emergency response chain across traffic, public safety and healthcare', () => {
  it('turns one reported crash into a green corridor for the ambulance: every signal on its route pre-empted, in causal order, one correlation id', async () => {
    const kit = await startTestKernel({ plugins: await demoCityPlugins() });
    const call = await kit.publish(safety.ReportReceived, report('call-1', 2, kit.clock.now()));

    const dispatched = await kit.expectEvent(health.AmbulanceDispatched, { within: 2000 });
    const legToScene = await kit.expectEvent(traffic.CorridorPlanned, { within: 2000, where: (e) => e.data.corridorId === dispatched.data.corridorId });
    expect(legToScene.data.signals.length).toBeGreaterThan(0);

    // Let the ambulance drive to the scene, work there, and drive to the hospital.
    await kit.clock.advance((dispatched.data.sceneEtaS + 600 + dispatched.data.hospitalEtaS + 120) * 1000);
    const arrived = await kit.expectEvent(health.PatientArrived, { within: 2000 });
    expect(arrived.data).toMatchObject({ incidentId: dispatched.data.incidentId, hospitalId: dispatched.data.hospitalId });

    const corridors = kit.eventsOf(traffic.CorridorPlanned).filter((e) => e.data.vehicleId === dispatched.data.ambulanceId);
    expect(corridors.map((c) => c.data.corridorId)).toEqual([`${dispatched.data.corridorId}`, expect.stringMatching(/-hospital$/)]);
    for (const corridor of corridors) {
      const preempted = kit.eventsOf(traffic.SignalPreempted).filter((e) => e.data.corridorId === corridor.data.corridorId);
      expect(preempted.map((e) => e.data.intersectionId)).toEqual(corridor.data.signals.map((s) => s.intersectionId));
      const restored = kit.eventsOf(traffic.SignalRestored).filter((e) => e.data.corridorId === corridor.data.corridorId);
      expect(new Set(restored.map((e) => e.data.intersectionId))).toEqual(new Set(corridor.data.signals.map((s) => s.intersectionId)));
    }

    // One chain: everything that followed from the call shares its correlation id, and each
    // event's cause was recorded before it.
    const chain = kit.events.filter((e) => e.correlationid === call.correlationid);
    const position = new Map(kit.events.map((e, i) => [e.id, i] as const));
    for (const event of chain.slice(1)) {
      expect(position.get(event.causationid!), `${event.type} caused by an earlier event`).toBeLessThan(position.get(event.id)!);
    }
    const types = chain.map((e) => e.type);
    for (const type of ['safety.incident.opened', 'health.ambulance.dispatched', 'traffic.corridor.requested', 'traffic.corridor.planned', 'traffic.signal.preempted', 'health.ambulance.onscene', 'health.patient.arrived']) {
      expect(types, `${type} is part of the chain`).toContain(type);
    }
    expect(types.indexOf('traffic.signal.preempted')).toBeGreaterThan(types.indexOf('health.ambulance.dispatched'));
    expect(types.lastIndexOf('health.patient.arrived')).toBeGreaterThan(types.lastIndexOf('traffic.signal.preempted'));
    expect(kit.deadLetters).toEqual([]);
    await kit.stop();
  });

  it('keeps traffic and safety working when healthcare is unplugged, and gives the next incident an ambulance once it is plugged back', async () => {
    const [trafficEntry, safetyEntry, healthEntry] = await demoCityPlugins();
    const kit = await startTestKernel({ plugins: [trafficEntry!, safetyEntry!, healthEntry!] });
    await kit.kernel.unload('healthcare');

    await kit.publish(safety.ReportReceived, report('call-1', 3, kit.clock.now()));
    const opened = await kit.expectEvent(safety.IncidentOpened, { within: 2000 });
    const unit = await kit.expectEvent(safety.UnitDispatched, { within: 2000 });
    await kit.expectEvent(traffic.CorridorPlanned, { within: 2000, where: (e) => e.data.corridorId === unit.data.corridorId });
    await kit.expectNoEvent(health.AmbulanceDispatched, { within: 100 });
    const errors = kit.logs.filter((record) => record.level === 'error');
    expect(errors).toEqual([]);
    expect(kit.deadLetters).toEqual([]);

    expect((await kit.kernel.load(healthEntry!)).started).toEqual(['healthcare']);
    await kit.clock.advance(3600_000);
    const later = report('call-2', 1, kit.clock.now());
    await kit.publish(safety.ReportReceived, { ...later, position: { lat: 22.5438, lon: 114.0567 } });
    const next = await kit.expectEvent(safety.IncidentOpened, { within: 2000, where: (e) => e.data.incidentId !== opened.data.incidentId });
    const ambulance = await kit.expectEvent(health.AmbulanceDispatched, { within: 2000 });
    expect(ambulance.data.incidentId).toBe(next.data.incidentId);
    expect(kit.logs.filter((record) => record.level === 'error')).toEqual([]);
    await kit.stop();
  });

  it('still plans a corridor for the ambulance when the crash is first seen by road sensors', async () => {
    const kit = await startTestKernel({ plugins: await demoCityPlugins() });
    const detection: CloudEvent = await kit.publish(traffic.IncidentDetected, {
      detectionId: 'det-1',
      detectorId: 'd-n10-n11-1',
      linkId: 'n10-n11',
      position: CRASH_SITE,
      detectedAt: new Date(kit.clock.now()).toISOString(),
      baselineSpeedKph: 45,
      speedKph: 5,
      baselineOccupancyPct: 8,
      occupancyPct: 70,
    });
    const opened = await kit.expectEvent(safety.IncidentOpened, { within: 2000 });
    expect(opened.correlationid).toBe(detection.correlationid);
    await kit.expectNoEvent(health.AmbulanceDispatched, { within: 100 });
    await kit.publish(safety.ReportReceived, report('call-7', 1, kit.clock.now()));
    const updated = await kit.expectEvent(safety.IncidentUpdated, { within: 2000 });
    expect(updated.data).toMatchObject({ incidentId: opened.data.incidentId, casualties: 1, mergedReportId: 'call-7' });
    const dispatched = await kit.expectEvent(health.AmbulanceDispatched, { within: 2000 });
    await kit.expectEvent(traffic.CorridorPlanned, { within: 2000, where: (e) => e.data.corridorId === dispatched.data.corridorId });
    await kit.stop();
  });
});
