import { traffic } from '@polis/contracts';
import { ErrorCodes } from '@polis/plugin-api';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import trafficPlugin from './index.js';
import { FIWARE_EXAMPLE_ID, at, fiwareExample, gridConfig, gridNetwork, reading } from './test-fixtures.js';

describe('bad input', () => {
  let kit: TestKernel;
  beforeEach(async () => {
    kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig() }] });
  });
  afterEach(async () => {
    // Whatever came in, nothing crashed: no handler failed, and the plugin is still running.
    expect(kit.deadLetters).toEqual([]);
    expect(kit.kernel.plugin('traffic')?.state).toBe('running');
    await kit.stop();
  });

  it('rejects a reading from an unknown detector with a traffic.reading.rejected event, and carries on', async () => {
    const bad = await kit.publish(traffic.DetectorReported, reading('d-nowhere', 0));
    const rejected = await kit.expectEvent(traffic.ReadingRejected);
    expect(rejected.data).toEqual({ source: 'traffic.detector.reported', ref: 'd-nowhere', path: '/detectorId', reason: `unknown detector "d-nowhere": not in the road network's detectors` });
    expect(rejected.causationid).toBe(bad.id);

    await kit.publish(traffic.DetectorReported, reading('d-n01-n11-1', 0, { speedKph: 5 }));
    const route = await kit.request(traffic.RouteFind, { from: at('n01'), to: at('n21') });
    expect(route.nodes).not.toContain('n11');
    expect(kit.eventsOf(traffic.ReadingRejected)).toHaveLength(1);
  });

  it('rejects a reading older than the detector\'s previous one, naming its time', async () => {
    await kit.publish(traffic.DetectorReported, reading('d-n01-n11-1', 60));
    await kit.publish(traffic.DetectorReported, reading('d-n01-n11-1', 30));
    const rejected = await kit.expectEvent(traffic.ReadingRejected);
    expect(rejected.data).toMatchObject({ ref: 'd-n01-n11-1', path: '/observedAt', reason: expect.stringMatching(/must be after the previous reading/) });
  });

  it('never lets a negative flow reach the plugin: the contract refuses it at publish', async () => {
    await expect(kit.publish(traffic.DetectorReported, reading('d-n01-n11-1', 0, { flowVph: -120 }))).rejects.toMatchObject({
      code: ErrorCodes.EVENT_INVALID,
      message: expect.stringMatching(/\/flowVph must be >= 0/),
    });
    await kit.expectNoEvent('traffic.>', { within: 20, where: (event) => event.source === 'traffic' });
  });

  it('rejects a FIWARE entity that breaks the FIWARE schema, naming the path', async () => {
    const laneZero = { ...fiwareExample('example-normalized.json'), laneId: { type: 'Number', value: 0 } };
    await kit.publish(traffic.TrafficFlowObserved, { entity: laneZero });
    const rejected = await kit.expectEvent(traffic.ReadingRejected);
    expect(rejected.data).toEqual({ source: 'traffic.flow.observed', ref: FIWARE_EXAMPLE_ID, path: '/entity/laneId', reason: 'not a valid FIWARE TrafficFlowObserved: /laneId must be >= 1' });

    const overfull = { ...fiwareExample('example-normalized.jsonld'), occupancy: { type: 'Property', value: 1.5 } };
    await kit.publish(traffic.TrafficFlowObserved, { entity: overfull });
    const second = await kit.expectEvent(traffic.ReadingRejected, { where: (event) => event.data.path === '/entity/occupancy' });
    expect(second.data.reason).toBe('not a valid FIWARE TrafficFlowObserved: /occupancy must be <= 1');
    // In key-values form the contract itself checks the FIWARE schema, at publish.
    await expect(kit.publish(traffic.TrafficFlowObserved, { entity: { ...fiwareExample('example.json'), laneId: 0 } })).rejects.toThrow(/laneId must be >= 1/);
  });

  it('rejects a FIWARE entity no detector is mapped to', async () => {
    await kit.publish(traffic.TrafficFlowObserved, { entity: { ...fiwareExample('example.json'), id: 'TrafficFlowObserved-elsewhere' } });
    const rejected = await kit.expectEvent(traffic.ReadingRejected);
    expect(rejected.data).toMatchObject({ source: 'traffic.flow.observed', ref: 'TrafficFlowObserved-elsewhere', path: '/entity/id' });
  });

  it('answers a corridor request with no possible route with traffic.corridor.failed and the reason', async () => {
    const request = await kit.publish(traffic.CorridorRequested, { corridorId: 'cor-x', vehicleId: 'amb-2', vehicleKind: 'ambulance', from: at('n00'), to: at('island') });
    const failed = await kit.expectEvent(traffic.CorridorFailed);
    expect(failed.data).toEqual({ corridorId: 'cor-x', vehicleId: 'amb-2', reason: 'no road leads from node "n00" to node "island"' });
    expect(failed.correlationid).toBe(request.id);
    expect(failed.priority).toBe('emergency');

    await kit.publish(traffic.CorridorRequested, { corridorId: 'cor-y', vehicleId: 'amb-2', vehicleKind: 'ambulance', from: { lat: 10, lon: 10 }, to: at('n22') });
    const offNetwork = await kit.expectEvent(traffic.CorridorFailed, { where: (event) => event.data.corridorId === 'cor-y' });
    expect(offNetwork.data.reason).toMatch(/^from \(10, 10\) is \d+ m from the nearest node "n22", farther than maxSnapDistanceM 500 m$/);
    await kit.clock.advance(300_000);
    expect(kit.eventsOf(traffic.CorridorPlanned)).toEqual([]);
    expect(kit.eventsOf(traffic.SignalPreempted)).toEqual([]);
  });
});

describe('configuration', () => {
  it('fails the plugin at setup with one error listing every problem of the road network', async () => {
    const network = gridNetwork();
    const broken = {
      ...network,
      links: [...network.links, { id: 'n00-n01', from: 'n00', to: 'nowhere', lengthM: 10, freeFlowSpeedKph: 50, lanes: 1 }],
      detectors: [...network.detectors, { id: 'd-extra', link: 'n00-n01', lane: 3 }],
    };
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig({ network: broken }) }], allowFailures: true });
    const [failure] = kit.report.failed;
    expect(failure).toMatchObject({ code: ErrorCodes.CONFIG_INVALID, plugin: 'traffic' });
    expect(failure?.message).toContain('invalid road network (3 problems)');
    for (const path of [`network.links[${network.links.length}].id`, `network.links[${network.links.length}].to`, `network.detectors[${network.detectors.length}].lane`]) {
      expect(failure?.message).toContain(path);
    }
    await kit.stop();
  });

  it('fails the plugin when option values contradict each other', async () => {
    const config = gridConfig({ incidentDetection: { minBaselineReadings: 20, baselineReadings: 10 } });
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config }], allowFailures: true });
    expect(kit.report.failed[0]).toMatchObject({ code: ErrorCodes.CONFIG_INVALID, message: expect.stringMatching(/options\.baselineReadings: must be an integer >= 20, got 10/) });
    await kit.stop();
  });
});
