import { describe, expect, it } from 'vitest';
import { StationPairDetector } from './station-pair-detector.js';
import type { StationPairEvidence } from './station-pair-detector.js';

const STEP_MS = 30_000;

/** Feeds [up flow, up occupancy, down flow, down occupancy] per 30 s interval; returns the indexes that reported. */
function run(detector: StationPairDetector, intervals: [number, number, number, number][]): { reported: number[]; evidence: StationPairEvidence[] } {
  const reported: number[] = [];
  const evidence: StationPairEvidence[] = [];
  intervals.forEach(([upFlow, upOcc, downFlow, downOcc], i) => {
    const timeMs = (i + 1) * STEP_MS;
    detector.observe('upstream', { timeMs, intervalS: 30, flowVph: upFlow, occupancyPct: upOcc, speedKph: 40 });
    const found = detector.observe('downstream', { timeMs: timeMs + 200, intervalS: 30, flowVph: downFlow, occupancyPct: downOcc, speedKph: 40 });
    if (found) {
      reported.push(i);
      evidence.push(found);
    }
  });
  return { reported, evidence };
}

const FREE: [number, number, number, number] = [600, 8, 580, 9];
// A red-phase queue sits over the stop-line station: downstream far more occupied than upstream.
const RED_QUEUE: [number, number, number, number] = [600, 8, 560, 45];
// Spill-back near capacity: both stations in the queue, both count the discharge.
const SPILLBACK: [number, number, number, number] = [700, 55, 700, 60];
// A blockage between the stations: a queue over the upstream one, nothing downstream in the lane.
const BLOCKED: [number, number, number, number] = [240, 60, 0, 0];
// The lane drained by lane changes before a blockage: vehicles still enter, none get past.
const STARVED: [number, number, number, number] = [480, 10, 0, 0];

describe('StationPairDetector', () => {
  it('reports a queue between the stations after two intervals, with both readings', () => {
    const { reported, evidence } = run(new StationPairDetector(), [FREE, FREE, BLOCKED, BLOCKED, BLOCKED]);
    expect(reported).toEqual([3]);
    expect(evidence[0]!.signature).toBe('occupancy-difference');
    expect(evidence[0]!.firstAnomalyAtMs).toBe(3 * STEP_MS + 200);
    expect(evidence[0]!.upstream.occupancyPct).toBe(60);
  });

  it('reports a lane starved downstream once the window has counted enough vehicles', () => {
    // 480 veh/h over 30 s = 4 vehicles an interval; windows of 3 intervals: free, free, starved
    // gives 12 up / 9.67 down (not starved); from the 3rd starved interval 12 up / 0 down.
    const { reported, evidence } = run(new StationPairDetector(), [FREE, FREE, STARVED, STARVED, STARVED, STARVED]);
    expect(reported).toEqual([5]);
    expect(evidence[0]!.signature).toBe('starved-downstream');
  });

  it('ignores red-phase queues and spill-back that a single station would flag', () => {
    expect(run(new StationPairDetector(), [FREE, RED_QUEUE, RED_QUEUE, RED_QUEUE, SPILLBACK, SPILLBACK, SPILLBACK, FREE]).reported).toEqual([]);
  });

  it('does not pair readings of different intervals', () => {
    const detector = new StationPairDetector({ confirmIntervals: 1 });
    expect(detector.observe('upstream', { timeMs: 30_000, intervalS: 30, flowVph: 240, occupancyPct: 60, speedKph: 5 })).toBeUndefined();
    expect(detector.observe('downstream', { timeMs: 60_000, intervalS: 30, flowVph: 0, occupancyPct: 0, speedKph: 0 })).toBeUndefined();
  });

  it('restarts the confirmation after a gap in the data', () => {
    const detector = new StationPairDetector();
    run(detector, [FREE, BLOCKED]);
    const late = 10 * 60_000;
    detector.observe('upstream', { timeMs: late, intervalS: 30, flowVph: 240, occupancyPct: 60, speedKph: 5 });
    expect(detector.observe('downstream', { timeMs: late, intervalS: 30, flowVph: 0, occupancyPct: 0, speedKph: 0 })).toBeUndefined();
  });

  it('stays silent during the cooldown after a report', () => {
    expect(run(new StationPairDetector(), [BLOCKED, BLOCKED, BLOCKED, FREE, BLOCKED, BLOCKED, BLOCKED]).reported).toEqual([1]);
  });

  it('refuses readings out of order or out of range', () => {
    const detector = new StationPairDetector();
    detector.observe('upstream', { timeMs: 60_000, intervalS: 30, flowVph: 1, occupancyPct: 1, speedKph: 1 });
    expect(() => detector.observe('upstream', { timeMs: 60_000, intervalS: 30, flowVph: 1, occupancyPct: 1, speedKph: 1 })).toThrow(/timeMs/);
    expect(() => detector.observe('downstream', { timeMs: 60_000, intervalS: 30, flowVph: 1, occupancyPct: 101, speedKph: 1 })).toThrow(/occupancyPct/);
  });
});
