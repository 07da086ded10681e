import { traffic } from '@polis/contracts';
import { startTestKernel } from '@polis/testkit';
import { describe, expect, it } from 'vitest';
import trafficPlugin from './index.js';
import { at, gridConfig, gridNetwork, reading } from './test-fixtures.js';

describe('incident detection', () => {
  it('publishes traffic.incident.detected when a speed drop with an occupancy spike is confirmed, at the link downstream node', async () => {
    const config = gridConfig({ incidentDetection: { minBaselineReadings: 5, confirmReadings: 2 } });
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config }] });
    const detector = 'd-n01-n11-1';
    for (let i = 0; i < 5; i++) await kit.publish(traffic.DetectorReported, reading(detector, i * 30, { speedKph: 34 + i % 3, occupancyPct: 9 + i % 3 }));
    await kit.publish(traffic.DetectorReported, reading(detector, 150, { speedKph: 6, occupancyPct: 55 }));
    const confirming = await kit.publish(traffic.DetectorReported, reading(detector, 180, { speedKph: 4, occupancyPct: 62 }));

    const incident = await kit.expectEvent(traffic.IncidentDetected);
    expect(incident.data).toEqual({
      detectionId: confirming.id,
      detectorId: detector,
      linkId: 'n01-n11',
      position: at('n11'),
      detectedAt: reading(detector, 180).observedAt,
      // Medians of 34, 35, 36, 34, 35 km/h and 9, 10, 11, 9, 10 %.
      baselineSpeedKph: 35,
      speedKph: 4,
      baselineOccupancyPct: 10,
      occupancyPct: 62,
    });
    expect(incident.causationid).toBe(confirming.id);
    expect(incident.subject).toBe('n01-n11');
    expect(kit.eventsOf(traffic.IncidentDetected)).toHaveLength(1);
    await kit.stop();
  });

  it('does not report a single anomalous reading, and does report the confirmed one after it', async () => {
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig({ incidentDetection: { minBaselineReadings: 3, confirmReadings: 2 } }) }] });
    const detector = 'd-n10-n11-2';
    for (let i = 0; i < 3; i++) await kit.publish(traffic.DetectorReported, reading(detector, i * 30));
    await kit.publish(traffic.DetectorReported, reading(detector, 90, { speedKph: 5, occupancyPct: 70 }));
    await kit.publish(traffic.DetectorReported, reading(detector, 120));
    // The same anomaly twice in a row is confirmed. The detector's readings are handled in order,
    // so when its incident arrives the lone anomaly before it was handled too: the one incident
    // there is must be this one, with no waiting for an absence.
    await kit.publish(traffic.DetectorReported, reading(detector, 150, { speedKph: 5, occupancyPct: 70 }));
    const confirming = await kit.publish(traffic.DetectorReported, reading(detector, 180, { speedKph: 4, occupancyPct: 72 }));
    const incident = await kit.expectEvent(traffic.IncidentDetected);
    expect(incident.data).toMatchObject({ detectionId: confirming.id, detectorId: detector, speedKph: 4 });
    expect(kit.eventsOf(traffic.IncidentDetected)).toHaveLength(1);
    await kit.stop();
  });

  it('reports a blockage once per link, however many of its lane detectors confirm it', async () => {
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig({ incidentDetection: { minBaselineReadings: 3, confirmReadings: 2 } }) }] });
    for (const detector of ['d-n10-n11-1', 'd-n10-n11-2']) {
      for (let i = 0; i < 3; i++) await kit.publish(traffic.DetectorReported, reading(detector, i * 30));
      await kit.publish(traffic.DetectorReported, reading(detector, 90, { speedKph: 5, occupancyPct: 70 }));
      await kit.publish(traffic.DetectorReported, reading(detector, 120, { speedKph: 4, occupancyPct: 72 }));
    }
    await kit.expectEvent(traffic.IncidentDetected);
    await kit.expectNoEvent(traffic.IncidentDetected, { within: 50, where: (e) => e.data.detectorId === 'd-n10-n11-2' });
    expect(kit.eventsOf(traffic.IncidentDetected)).toHaveLength(1);
    await kit.stop();
  });

  it('reports a blockage of every lane on a lightly used link from the carriageway totals, which no single lane counts enough to show', async () => {
    // Each lane of n01 -> n11 gets a station 50 m in and one 25 m before the stop line.
    const network = gridNetwork();
    const detectors = network.detectors.flatMap((detector) =>
      detector.link === 'n01-n11' ? [{ ...detector, positionM: 50 }, { ...detector, id: `${detector.id}-stop`, positionM: 475 }] : [detector],
    );
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig({ network: { ...network, detectors } }) }] });
    const lanes = ['d-n01-n11-1', 'd-n01-n11-2'];
    // Free flow, then one vehicle per lane per 30 s enters and none reaches the stop line: 3 per lane in
    // a lane pair's 90 s window (under the 6 it needs), 12 in the carriageway's 3 minutes.
    for (let i = 1; i <= 12; i++) {
      const blocked = i > 3;
      for (const lane of lanes) {
        await kit.publish(traffic.DetectorReported, reading(lane, i * 30, { flowVph: 120, occupancyPct: 1 }));
        await kit.publish(traffic.DetectorReported, reading(`${lane}-stop`, i * 30, blocked ? { flowVph: 0, occupancyPct: 0 } : { flowVph: 120, occupancyPct: 1 }));
      }
    }
    const incident = await kit.expectEvent(traffic.IncidentDetected);
    expect(incident.data.linkId).toBe('n01-n11');
    expect(incident.data.detectorId).toBe('d-n01-n11-1');
    // The carriageway's window is all starved intervals at 270 s (intervals 4-9), confirmed by the next one.
    expect(incident.data.detectedAt).toBe(reading('x', 300).observedAt);
    expect(kit.eventsOf(traffic.IncidentDetected)).toHaveLength(1);
    await kit.stop();
  });

  it('does not report light traffic flowing through both stations of every lane', async () => {
    const network = gridNetwork();
    const detectors = network.detectors.flatMap((detector) =>
      detector.link === 'n01-n11' ? [{ ...detector, positionM: 50 }, { ...detector, id: `${detector.id}-stop`, positionM: 475 }] : [detector],
    );
    const kit = await startTestKernel({ plugins: [{ plugin: trafficPlugin, config: gridConfig({ network: { ...network, detectors } }) }] });
    for (let i = 1; i <= 8; i++) {
      // Vehicles move from lane 1 to lane 2 between the stations: lane 1 alone looks starved, the carriageway balances.
      await kit.publish(traffic.DetectorReported, reading('d-n01-n11-1', i * 30, { flowVph: 240, occupancyPct: 2 }));
      await kit.publish(traffic.DetectorReported, reading('d-n01-n11-1-stop', i * 30, { flowVph: 120, occupancyPct: 1 }));
      await kit.publish(traffic.DetectorReported, reading('d-n01-n11-2', i * 30, { flowVph: 120, occupancyPct: 1 }));
      await kit.publish(traffic.DetectorReported, reading('d-n01-n11-2-stop', i * 30, { flowVph: 240, occupancyPct: 2 }));
    }
    await kit.expectNoEvent(traffic.IncidentDetected, { within: 50 });
    await kit.stop();
  });
});
