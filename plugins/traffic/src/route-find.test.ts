import { traffic } from '@polis/contracts';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import trafficPlugin from './index.js';
import { at, gridConfig, reading } from './test-fixtures.js';

describe('traffic.route.find', () => {
  let kit: TestKernel;
  beforeEach(async () => {
    kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig() }] });
  });
  afterEach(() => kit.stop());

  it('answers the fastest route between the nodes nearest to two points', async () => {
    // About 55 m off n00 and 30 m off n22: both snap.
    const from = { lat: at('n00').lat - 0.0005, lon: at('n00').lon };
    const to = { lat: at('n22').lat, lon: at('n22').lon + 0.0003 };
    const answer = await kit.request(traffic.RouteFind, { from, to });
    expect(answer).toMatchObject({ found: true, lengthM: 2000, travelTimeS: 200 });
    expect(answer.nodes).toHaveLength(5);
    expect([answer.nodes[0], answer.nodes.at(-1)]).toEqual(['n00', 'n22']);
  });

  it('routes around a link that live readings show is slow', async () => {
    const straight = await kit.request(traffic.RouteFind, { from: at('n01'), to: at('n21') });
    expect(straight).toMatchObject({ found: true, nodes: ['n01', 'n11', 'n21'], travelTimeS: 100 });

    // 5 km/h on n01 -> n11 makes its 500 m take 360 s: any 4-link detour (200 s) is faster.
    await kit.publish(traffic.DetectorReported, reading('d-n01-n11-1', 0, { speedKph: 5, occupancyPct: 80 }));
    await kit.expectNoEvent(traffic.ReadingRejected, { within: 20 });
    const detour = await kit.request(traffic.RouteFind, { from: at('n01'), to: at('n21') });
    expect(detour).toMatchObject({ found: true, lengthM: 2000, travelTimeS: 200 });
    expect(detour.nodes).not.toContain('n11');
  });

  it('answers found false, with the reason, for a destination no road leads to', async () => {
    const answer = await kit.request(traffic.RouteFind, { from: at('n00'), to: at('island') });
    expect(answer).toEqual({ found: false, nodes: [], lengthM: 0, travelTimeS: 0, reason: 'no road leads from node "n00" to node "island"' });
  });

  it('answers found false for a point farther than the snap distance from every node', async () => {
    const answer = await kit.request(traffic.RouteFind, { from: at('n00'), to: { lat: 0.1, lon: 0.1 } });
    expect(answer.found).toBe(false);
    expect(answer.reason).toMatch(/^to \(0\.1, 0\.1\) is \d+ m from the nearest node "n22", farther than maxSnapDistanceM 500 m$/);
  });
});
