import { traffic } from '@polis/contracts';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import { RoadNetwork } from './algorithms/road-network.js';
import { GapOut } from './gap-out.js';
import trafficPlugin from './index.js';
import { T0, gridConfig, gridNetwork, reading } from './test-fixtures.js';

// x11's NS phase serves n01-n11 and n21-n11, two lanes each, one detector per lane (at the stop line).
const NS_LANES = ['d-n01-n11-1', 'd-n01-n11-2', 'd-n21-n11-1', 'd-n21-n11-2'];
const gaps = (seconds: number, gapS: (detectorId: string) => number) => ({ observedAt: new Date(T0 + seconds * 1000).toISOString(), gaps: NS_LANES.map((detectorId) => ({ detectorId, gapS: gapS(detectorId) })) });

describe('gap-out (signals.gapOutS)', () => {
  async function startRetimed(signals: Record<string, unknown>) {
    // Unbounded steps: from 30 s x11 runs 40 s cycles, NS green 30-48 (see signal-timing.test.ts).
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig({ signals: { maxCycleStepS: 500, maxGreenStepS: 500, ...signals } }) }] });
    for (const [detector, flowVph] of [['d-n01-n11-1', 540], ['d-n21-n11-1', 360], ['d-n10-n11-1', 360], ['d-n12-n11-2', 180]] as const) {
      await kit.publish(traffic.DetectorReported, reading(detector, 0, { flowVph }));
    }
    await kit.clock.advance(30_000);
    await kit.expectEvent(traffic.SignalRetimed);
    return kit;
  }
  const x11 = (kit: Awaited<ReturnType<typeof startTestKernel>>) => kit.eventsOf(traffic.SignalChanged).filter((event) => event.data.intersectionId === 'x11').map((event) => `${event.data.phaseId} ${event.data.interval} ${(Date.parse(event.data.at) - T0) / 1000}`);

  it('ends a green early once every lane it serves shows a gap, but not before its min green nor while one lane is busy', async () => {
    const kit = await startRetimed({ gapOutS: 3 });
    // 5 s into NS's green (min green 10 s): no gap-out.
    await kit.clock.advance(5_000);
    await kit.publish(traffic.DetectorGaps, gaps(35, () => 5));
    // 12 s in, one lane still has traffic.
    await kit.clock.advance(7_000);
    await kit.publish(traffic.DetectorGaps, gaps(42, (id) => (id === 'd-n21-n11-2' ? 1 : 5)));
    expect(x11(kit)).not.toContain('NS yellow 42');
    await kit.clock.advance(1_000);
    await kit.publish(traffic.DetectorGaps, gaps(43, () => 3));
    await kit.clock.advance(10_000);
    // Yellow at 43 instead of 48: EW's green starts 5 s earlier, and the next cycle too.
    expect(x11(kit)).toEqual(expect.arrayContaining(['NS yellow 43', 'NS all-red 46', 'EW green 48']));
    await kit.clock.advance(20_000);
    expect(x11(kit)).toContain('NS green 65');
    await kit.stop();
  });

  it('is off unless configured: the same gaps change nothing', async () => {
    const kit = await startRetimed({});
    await kit.clock.advance(13_000);
    await kit.publish(traffic.DetectorGaps, gaps(43, () => 10));
    await kit.clock.advance(10_000);
    expect(x11(kit)).toEqual(expect.arrayContaining(['NS yellow 48', 'EW green 53']));
    await kit.stop();
  });

  it("judges each lane by its detector nearest the stop line, and never gaps out a lane no detector covers", () => {
    const spec = gridNetwork();
    const stopLines = spec.detectors.map((detector) => ({ ...detector, positionM: 475 }));
    const upstream = spec.detectors.map((detector) => ({ ...detector, id: `${detector.id}-up`, positionM: 50 }));
    const gapOut = new GapOut(new RoadNetwork({ ...spec, detectors: [...upstream, ...stopLines] }), 3);
    const gapsOf = (stopLineS: number, upstreamS: number) => new Map(NS_LANES.flatMap((id) => [[id, stopLineS], [`${id}-up`, upstreamS]] as const));
    // x11's phase 0 is NS.
    expect(gapOut.gapped('x11', 0, gapsOf(5, 0))).toBe(true);
    expect(gapOut.gapped('x11', 0, gapsOf(0, 5))).toBe(false);
    const uncovered = new GapOut(new RoadNetwork({ ...spec, detectors: stopLines.filter((detector) => detector.id !== 'd-n21-n11-2') }), 3);
    expect(uncovered.gapped('x11', 0, gapsOf(5, 5))).toBe(false);
  });
});
