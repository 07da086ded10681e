import { describe, expect, it } from 'vitest';
import { IncidentDetector, type IncidentDetectorOptions, type IncidentEvidence } from './incident-detector.js';

// Small numbers so sequences stay readable: judge after 3 readings, confirm on 2, baseline of 5.
// Anomalous means speed < 0.5 × baseline and occupancy > baseline + 10 points.
const options: Partial<IncidentDetectorOptions> = {
  speedDropRatio: 0.5,
  occupancyRisePct: 10,
  confirmReadings: 2,
  minBaselineReadings: 3,
  baselineReadings: 5,
  cooldownMs: 60_000,
};

const STEP_MS = 20_000;

/** Feeds `[speedKph, occupancyPct]` readings 20 s apart from `startMs`; returns what each one reported. */
function feed(detector: IncidentDetector, readings: [number, number][], startMs = 0, detectorId = 'det-1'): (IncidentEvidence | undefined)[] {
  return readings.map(([speedKph, occupancyPct], i) => detector.observe({ detectorId, timeMs: startMs + i * STEP_MS, speedKph, occupancyPct, flowVph: 600 }));
}

/** Indexes of the readings that reported an incident. */
function reportedAt(results: (IncidentEvidence | undefined)[]): number[] {
  return results.flatMap((evidence, i) => (evidence === undefined ? [] : [i]));
}

// Medians 60 km/h and 10 %: the thresholds become speed < 30 km/h and occupancy > 20 %.
const WARM_UP: [number, number][] = [
  [60, 10],
  [62, 12],
  [58, 8],
];
const CRASH: [number, number] = [20, 35];
const NORMAL: [number, number] = [61, 11];

describe('IncidentDetector', () => {
  it('judges nothing during the warm-up, however odd the readings', () => {
    const detector = new IncidentDetector(options);
    expect(reportedAt(feed(detector, [[60, 10], CRASH, CRASH]))).toEqual([]);
  });

  it('reports when speed drops and occupancy rises for confirmReadings readings in a row, with the evidence', () => {
    const detector = new IncidentDetector(options);
    const results = feed(detector, [...WARM_UP, [25, 30], CRASH]);
    expect(reportedAt(results)).toEqual([4]);
    expect(results[4]).toEqual({
      detectorId: 'det-1',
      detectedAtMs: 4 * STEP_MS,
      firstAnomalyAtMs: 3 * STEP_MS,
      baselineSpeedKph: 60,
      baselineOccupancyPct: 10,
      speedKph: 20,
      occupancyPct: 35,
      flowVph: 600,
      speedDropRatio: 1 - 20 / 60,
      occupancyRisePct: 25,
    });
  });

  it('restarts the confirmation count after a normal reading', () => {
    const detector = new IncidentDetector(options);
    expect(reportedAt(feed(detector, [...WARM_UP, CRASH, NORMAL, CRASH, CRASH]))).toEqual([6]);
  });

  it('does not count anomalous readings across a gap in the data as consecutive', () => {
    const detector = new IncidentDetector({ ...options, maxGapMs: 60_000 });
    feed(detector, WARM_UP);
    // One anomalous reading, the detector goes quiet for 5 minutes, then one more: not two in a row.
    expect(detector.observe({ detectorId: 'det-1', timeMs: 3 * STEP_MS, speedKph: CRASH[0], occupancyPct: CRASH[1], flowVph: 600 })).toBeUndefined();
    expect(detector.observe({ detectorId: 'det-1', timeMs: 3 * STEP_MS + 300_000, speedKph: CRASH[0], occupancyPct: CRASH[1], flowVph: 600 })).toBeUndefined();
    // The next one 20 s later confirms: the run restarted after the gap.
    expect(detector.observe({ detectorId: 'det-1', timeMs: 4 * STEP_MS + 300_000, speedKph: CRASH[0], occupancyPct: CRASH[1], flowVph: 600 })).toBeDefined();
  });

  it('needs the speed drop and the occupancy rise together', () => {
    // Slow but sparse (say, rain) and dense but moving (heavy traffic) are not incidents.
    expect(reportedAt(feed(new IncidentDetector(options), [...WARM_UP, [20, 12], [20, 12], [20, 12]]))).toEqual([]);
    expect(reportedAt(feed(new IncidentDetector(options), [...WARM_UP, [55, 40], [55, 40], [55, 40]]))).toEqual([]);
  });

  it('flags only readings strictly beyond both thresholds', () => {
    const judge = (reading: [number, number]) => reportedAt(feed(new IncidentDetector({ ...options, confirmReadings: 1 }), [...WARM_UP, reading]));
    expect(judge([30, 35])).toEqual([]);
    expect(judge([20, 20])).toEqual([]);
    expect(judge([29.9, 20.1])).toEqual([3]);
  });

  it('reports a persisting incident once', () => {
    const detector = new IncidentDetector(options);
    expect(reportedAt(feed(detector, [...WARM_UP, ...Array<[number, number]>(20).fill(CRASH)]))).toEqual([4]);
  });

  it('stays silent when an incident flaps within the cooldown', () => {
    const detector = new IncidentDetector(options);
    // Reported at 80 s; the road clears at 100 s and jams again at 120-140 s, inside the 60 s cooldown.
    expect(reportedAt(feed(detector, [...WARM_UP, CRASH, CRASH, NORMAL, CRASH, CRASH]))).toEqual([4]);
  });

  it('reports a new incident once the cooldown has passed and traffic has recovered in between', () => {
    const detector = new IncidentDetector(options);
    // Reported at 80 s; still jammed at 180 s, past the cooldown's end at 140 s, but never recovered: silent.
    const first = feed(detector, [...WARM_UP, ...Array<[number, number]>(7).fill(CRASH)]);
    expect(reportedAt(first)).toEqual([4]);
    // Recovery at 200 s re-arms; a new jam at 220-240 s is a new incident.
    const second = feed(detector, [NORMAL, CRASH, CRASH], 200_000);
    expect(reportedAt(second)).toEqual([2]);
    expect(second[2]?.firstAnomalyAtMs).toBe(220_000);
  });

  it('keeps incident readings out of the baseline, so a long incident cannot hide the next one', () => {
    const detector = new IncidentDetector({ ...options, cooldownMs: 0 });
    // Ten incident readings, twice the baseline window: had they entered it, its median would be 20 km/h.
    feed(detector, [...WARM_UP, ...Array<[number, number]>(10).fill(CRASH)]);
    const next = feed(detector, [NORMAL, CRASH, CRASH], 1_000_000);
    expect(reportedAt(next)).toEqual([2]);
    // Baseline now 58, 60, 61, 62 → medians 60.5 km/h and 10.5 %.
    expect(next[2]?.baselineSpeedKph).toBe(60.5);
    expect(next[2]?.baselineOccupancyPct).toBe(10.5);
  });

  it('follows gradual change, because normal readings keep refreshing the baseline', () => {
    const detector = new IncidentDetector(options);
    // Speed eases from 60 to 35 km/h while occupancy climbs to 25 %, never far from the recent median.
    const easing: [number, number][] = [[55, 14], [50, 17], [45, 20], [40, 23], [35, 25], [35, 25], [35, 25]];
    expect(reportedAt(feed(detector, [...WARM_UP, ...easing]))).toEqual([]);
    // Against a 35 km/h / 25 % baseline, 20 km/h at 35 % is no incident; 15 km/h at 40 % is.
    expect(reportedAt(feed(detector, [CRASH, CRASH, [15, 40], [15, 40]], 1_000_000))).toEqual([3]);
  });

  it('keeps a separate baseline and state for each detector', () => {
    const detector = new IncidentDetector(options);
    feed(detector, WARM_UP, 0, 'det-1');
    // det-2 is still warming up, so the same crash readings mean nothing there yet.
    expect(reportedAt(feed(detector, [CRASH, CRASH], 100_000, 'det-2'))).toEqual([]);
    expect(reportedAt(feed(detector, [CRASH, CRASH], 100_000, 'det-1'))).toEqual([1]);
  });

  it('rejects invalid readings, naming the field and the detector', () => {
    const detector = new IncidentDetector(options);
    const valid = { detectorId: 'det-9', timeMs: 1000, speedKph: 50, occupancyPct: 10, flowVph: 600 };
    expect(() => detector.observe({ ...valid, flowVph: -1 })).toThrow('reading.flowVph: must be a finite number >= 0, got -1 (detector "det-9")');
    expect(() => detector.observe({ ...valid, occupancyPct: 101 })).toThrow('reading.occupancyPct: must be a finite number >= 0 and <= 100, got 101 (detector "det-9")');
    expect(() => detector.observe({ ...valid, occupancyPct: -0.5 })).toThrow('reading.occupancyPct:');
    expect(() => detector.observe({ ...valid, speedKph: -3 })).toThrow('reading.speedKph: must be a finite number >= 0, got -3');
    expect(() => detector.observe({ ...valid, speedKph: Number.NaN })).toThrow('reading.speedKph: must be a finite number >= 0, got NaN');
    expect(() => detector.observe({ ...valid, timeMs: Number.NaN })).toThrow('reading.timeMs:');
    expect(() => detector.observe({ ...valid, detectorId: '' })).toThrow('reading.detectorId: must be a non-empty string');
  });

  it('rejects a reading that is not later than the previous one of its detector', () => {
    const detector = new IncidentDetector(options);
    detector.observe({ detectorId: 'det-1', timeMs: 5000, speedKph: 50, occupancyPct: 10, flowVph: 600 });
    expect(() => detector.observe({ detectorId: 'det-1', timeMs: 5000, speedKph: 50, occupancyPct: 10, flowVph: 600 })).toThrow(
      'reading.timeMs: must be after the previous reading of detector "det-1" at 5000, got 5000',
    );
    // Another detector has its own clock.
    expect(() => detector.observe({ detectorId: 'det-2', timeMs: 1000, speedKph: 50, occupancyPct: 10, flowVph: 600 })).not.toThrow();
  });

  it('rejects out-of-range options', () => {
    expect(() => new IncidentDetector({ speedDropRatio: 0 })).toThrow('options.speedDropRatio: must be a finite number > 0 and <= 1, got 0');
    expect(() => new IncidentDetector({ confirmReadings: 0 })).toThrow('options.confirmReadings: must be an integer >= 1, got 0');
    expect(() => new IncidentDetector({ minBaselineReadings: 10, baselineReadings: 5 })).toThrow('options.baselineReadings: must be an integer >= 10, got 5');
  });
});
