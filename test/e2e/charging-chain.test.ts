import { energy, health, safety, traffic } from '@polis/contracts';
import type { PluginEntry } from '@polis/kernel';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cyclesDone, waitUntil } from '../../plugins/mobility-energy/src/test-fixtures.js';
import { demoCityPlugins } from './demo-city.js';

// The demo city's charging, as city.yaml configures it, on the kernel's fake clock: the real
// central system and the demo's simulated charge points talk OCPP over loopback WebSockets (on a
// free port here), traffic and the emergency services run beside them.
describe('the demo city charging under its grid', () => {
  let kit: TestKernel;

  beforeAll(async () => {
    const entries = await demoCityPlugins(['traffic', 'public-safety', 'healthcare', 'mobility-energy', 'simulator', 'energy-simulator']);
    const plugins = entries.map((entry): PluginEntry => {
      if (entry.plugin.name !== 'mobility-energy') return entry;
      const config = entry.config as { centralSystem: Record<string, unknown> };
      return { ...entry, config: { ...config, centralSystem: { ...config.centralSystem, port: 0 } } };
    });
    kit = await startTestKernel({ plugins });
    // Seven simulated minutes, one allocation cycle (10 s) at a time, each given time to finish
    // its real WebSocket round trips.
    for (let cycle = 0; cycle < 42; cycle++) {
      const done = cyclesDone(kit);
      await kit.clock.advance(10_000);
      await waitUntil(() => cyclesDone(kit) > done, 10_000);
    }
  }, 180_000);
  afterAll(() => kit?.stop());

  it('charges every session within its feeder and transformer limits, at every cycle', () => {
    const allocations = kit.eventsOf(energy.AllocationChanged);
    expect(kit.eventsOf(energy.SessionStarted).length).toBeGreaterThan(10);
    expect(allocations.length).toBeGreaterThan(10);
    for (const { data } of allocations) {
      // Both are rounded to 10 W for the event.
      expect(data.allocatedKw, `${data.feederId} at cycle ${data.cycle}`).toBeLessThanOrEqual(data.capKw + 0.011);
      expect(data.capKw).toBeLessThanOrEqual(data.limitKw);
    }
    // T-FUTIAN (230 kW) carries F-CIVIC and F-LIANHUA: their latest allocations of each cycle add up under it.
    const byCycle = new Map<number, Map<string, number>>();
    for (const { data } of allocations) if (data.transformerId === 'T-FUTIAN') byCycle.set(data.cycle, (byCycle.get(data.cycle) ?? new Map()).set(data.feederId, data.allocatedKw));
    let latest = new Map<string, number>();
    for (const [, feeders] of [...byCycle].sort(([a], [b]) => a - b)) {
      latest = new Map([...latest, ...feeders]);
      expect([...latest.values()].reduce((sum, kw) => sum + kw, 0)).toBeLessThanOrEqual(230.01);
    }
  });

  it('sheds the afternoon demand-response request within one cycle, lowest priority first, and restores it', () => {
    const [requested] = kit.eventsOf(energy.DemandResponseRequested);
    expect(requested).toBeDefined();
    const reports = kit.eventsOf(energy.DemandResponseReported);
    expect(reports.map((report) => report.data.status)).toEqual(['curtailed', 'restored']);
    const [curtailed, restored] = reports;
    expect(curtailed!.correlationid).toBe(requested!.correlationid);
    expect(Date.parse(curtailed!.time) - Date.parse(requested!.time)).toBeLessThanOrEqual(10_000);
    // At least what was asked (if that much was drawn), and at most one charger more: a session
    // whose minimum no longer fits pauses whole.
    expect(curtailed!.data.achievedKw).toBeGreaterThanOrEqual(Math.min(60, curtailed!.data.baselineKw) - 0.01);
    expect(curtailed!.data.achievedKw).toBeLessThanOrEqual(60 + 22.08);
    expect(curtailed!.data.curtailedByClass.emergency).toBe(0);
    expect(restored!.correlationid).toBe(requested!.correlationid);
  });

  it('gives an ambulance back from a crash the emergency class, in the chain that began with the call', () => {
    const lifted = kit.eventsOf(energy.SessionPrioritized);
    expect(lifted.length).toBeGreaterThan(0);
    const [first] = lifted;
    const dispatched = kit.eventsOf(health.AmbulanceDispatched).find((event) => event.data.ambulanceId === first!.data.vehicleId)!;
    expect(first!.correlationid).toBe(dispatched.correlationid);
    const call = kit.eventsOf(safety.ReportReceived).find((event) => event.correlationid === dispatched.correlationid);
    expect(call).toBeDefined();
    expect(kit.eventsOf(energy.SessionStarted).find((event) => event.data.sessionId === first!.data.sessionId)!.data.class).toBe('emergency');
  });

  it('warns vehicles heading to the hub near the first crash, in the incident chain', () => {
    const disrupted = kit.eventsOf(energy.HubDisrupted);
    expect(disrupted.map((event) => event.data.hubId)).toContain('hub-civic');
    const detection = kit.eventsOf(traffic.IncidentDetected).find((event) => event.correlationid === disrupted[0]!.correlationid);
    expect(detection).toBeDefined();
    for (const warning of kit.eventsOf(energy.VehicleWarned)) expect(warning.correlationid).toBe(detection!.correlationid);
  });

  it('plans the depot so every bus leaves charged for its block, and keeps the city free of errors', () => {
    const [plan] = kit.eventsOf(energy.DepotSchedulePlanned);
    expect(plan!.data.buses).toHaveLength(4);
    expect(plan!.data.buses.flatMap((bus) => bus.departures).every((departure) => departure.met)).toBe(true);
    expect(plan!.data.peakKw).toBeLessThanOrEqual(plan!.data.limitKw);
    expect(kit.deadLetters).toEqual([]);
    expect(kit.logs.filter((record) => record.level === 'error')).toEqual([]);
  });
});
