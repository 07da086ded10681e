import { traffic } from '@polis/contracts';
import { startTestKernel } from '@polis/testkit';
import type { TestKernel } from '@polis/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import trafficPlugin from './index.js';
import { at, gridConfig, reading } from './test-fixtures.js';

describe('traffic.travel-times.find', () => {
  let kit: TestKernel;
  beforeEach(async () => {
    kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig() }] });
  });
  afterEach(() => kit.stop());

  it('answers the live travel time and length between every origin and destination, null where no road leads', async () => {
    // About 55 m south of n00: it snaps to n00, and says how far off the road it is.
    const nearN00 = { lat: at('n00').lat - 0.0005, lon: at('n00').lon };
    const answer = await kit.request(traffic.TravelTimesFind, { origins: [nearN00, at('n22')], destinations: [at('n00'), at('n12'), at('island')] });
    expect(answer.found).toBe(true);
    expect(answer.travelTimesS).toEqual([
      [0, 150, null],
      [200, 50, null],
    ]);
    expect(answer.lengthsM).toEqual([
      [0, 1500, null],
      [2000, 500, null],
    ]);
    expect(answer.originSnapM[0]).toBeCloseTo(55.6, 0);
    expect(answer.destinationSnapM).toEqual([0, 0, 0]);
  });

  it('follows live readings: a slow street lengthens the times that used it', async () => {
    await kit.publish(traffic.DetectorReported, reading('d-n01-n11-1', 0, { speedKph: 5, occupancyPct: 80 }));
    await kit.expectNoEvent(traffic.ReadingRejected, { within: 20 });
    const answer = await kit.request(traffic.TravelTimesFind, { origins: [at('n01')], destinations: [at('n21'), at('n11')] });
    // n01 -> n11 takes 360 s at 5 km/h; the detour n01 -> n00 -> n10 -> n11 takes 150 s.
    expect(answer.travelTimesS).toEqual([[200, 150]]);
    expect(answer.lengthsM).toEqual([[2000, 1500]]);
  });

  it('marks points farther than the snap distance from every node as off the network', async () => {
    const answer = await kit.request(traffic.TravelTimesFind, { origins: [{ lat: 0.1, lon: 0.1 }, at('n00')], destinations: [at('n01'), { lat: 0.1, lon: 0.1 }] });
    expect(answer.originSnapM).toEqual([null, 0]);
    expect(answer.destinationSnapM).toEqual([0, null]);
    expect(answer.travelTimesS).toEqual([
      [null, null],
      [50, null],
    ]);
  });

  it('refuses a matrix larger than the bus should carry, saying how to ask instead', async () => {
    const points = Array.from({ length: 201 }, (_, i) => ({ lat: at('n00').lat, lon: at('n00').lon + i * 1e-6 }));
    const answer = await kit.request(traffic.TravelTimesFind, { origins: points, destinations: points });
    expect(answer).toMatchObject({ found: false, travelTimesS: [], reason: '201 origins x 201 destinations is 40401 entries, more than 40000: ask in blocks of origins' });
  });
});
