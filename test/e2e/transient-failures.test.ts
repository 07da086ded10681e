import { MemoryTransport } from '@polis/kernel';
import { health, safety, traffic } from '@polis/contracts';
import type { CloudEvent } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { CRASH_SITE, demoCityPlugins } from './demo-city.js';

/**
 * The memory transport, refusing the first publish of each of the given types (or
 * `source:type`), as a broker hiccup would.
 */
class HiccupTransport extends MemoryTransport {
  private readonly pending: Set<string>;

  constructor(types: readonly string[]) {
    super();
    this.pending = new Set(types);
  }

  override publish(event: CloudEvent): void {
    if (this.pending.delete(event.type) || this.pending.delete(`${event.source}:${event.type}`)) throw new Error(`broker hiccup on ${event.type}`);
    super.publish(event);
  }
}

describe('a transient publish failure inside the emergency chain', () => {
  it('is retried by the kernel without losing the incident or sending a second ambulance', async () => {
    const transport = new HiccupTransport(['safety.incident.opened', 'health.ambulance.dispatched', 'safety.unit.dispatched']);
    const kit = await startTestKernel({ plugins: await demoCityPlugins(), transport });
    await kit.publish(safety.ReportReceived, {
      reportId: 'call-1',
      kind: 'collision',
      position: CRASH_SITE,
      reportedAt: new Date(kit.clock.now()).toISOString(),
      casualties: 2,
      description: '',
      channel: 'call',
    });
    await kit.expectEvent(health.AmbulanceDispatched, { within: 3000 });
    await kit.expectEvent(safety.UnitDispatched, { within: 3000 });
    await transport.settled();
    expect(kit.eventsOf(safety.IncidentOpened)).toHaveLength(1);
    expect(kit.eventsOf(safety.UnitDispatched)).toHaveLength(1);
    expect(kit.eventsOf(health.AmbulanceDispatched)).toHaveLength(1);
    expect(kit.deadLetters).toEqual([]);
    await kit.stop();
  });

  it('sends one ambulance when its corridor request fails: a failed attempt sends nothing of what it published', async () => {
    const transport = new HiccupTransport(['healthcare:traffic.corridor.requested']);
    const kit = await startTestKernel({ plugins: await demoCityPlugins(), transport });
    await kit.publish(safety.ReportReceived, {
      reportId: 'call-1',
      kind: 'collision',
      position: CRASH_SITE,
      reportedAt: new Date(kit.clock.now()).toISOString(),
      casualties: 2,
      description: '',
      channel: 'call',
    });
    const fromHealthcare = { where: (event: CloudEvent) => event.source === 'healthcare', within: 3000 };
    await kit.expectEvent(traffic.CorridorRequested, fromHealthcare);
    // A second dispatch would follow the retry at once: the retries are 5 ms apart in the testkit.
    await kit.expectNoEvent(health.AmbulanceDispatched, { where: (event) => event.id !== kit.eventsOf(health.AmbulanceDispatched)[0]?.id, within: 300 });
    expect(kit.eventsOf(health.AmbulanceDispatched)).toHaveLength(1);
    expect(kit.eventsOf(traffic.CorridorRequested).filter((event) => event.source === 'healthcare')).toHaveLength(1);
    expect(kit.deadLetters).toEqual([]);
    await kit.stop();
  });
});
