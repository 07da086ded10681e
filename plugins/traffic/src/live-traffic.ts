import { TrafficInputError } from './algorithms/errors.js';
import type { LatLon } from './algorithms/geo.js';
import { DEFAULT_INCIDENT_DETECTOR_OPTIONS, IncidentDetector } from './algorithms/incident-detector.js';
import type { DetectorReading, IncidentDetectorOptions, IncidentEvidence } from './algorithms/incident-detector.js';
import type { DetectorSpec, RoadNetwork } from './algorithms/road-network.js';

/** An incident found by a reading, placed on the road network. */
export interface LocatedIncident {
  readonly evidence: IncidentEvidence;
  readonly linkId: string;
  /**
   * The link's downstream node. A detector sees the queue upstream of a blockage, so the
   * blockage lies between the detector and the link's downstream end; detectors carry no
   * offset along their link, so that end is the best position the network can give.
   */
  readonly position: LatLon;
}

/** What became of a reading: used (maybe confirming an incident), or refused and why. */
export type ReadingOutcome =
  | { readonly accepted: true; readonly incident: LocatedIncident | undefined }
  | { readonly accepted: false; readonly field: keyof DetectorReading; readonly reason: string };

interface LatestReading {
  readonly speedKph: number;
  readonly flowVph: number;
}

const READING_FIELDS: ReadonlySet<string> = new Set<keyof DetectorReading>(['detectorId', 'timeMs', 'speedKph', 'occupancyPct', 'flowVph']);

/**
 * The network's live state from detector readings: each link's speed (for routing), each
 * detector's latest flow (for signal timing) and incident detection. Every reading costs a few
 * map lookups and the incident detector's small median, so thousands per second are fine.
 */
export class LiveTraffic {
  readonly network: RoadNetwork;
  readonly #detectors = new Map<string, DetectorSpec>();
  readonly #detectorsOnLink = new Map<string, DetectorSpec[]>();
  readonly #latest = new Map<string, LatestReading>();
  readonly #incidents: IncidentDetector;
  /** Until when each link's incident is already reported: its other lanes' detectors confirm it too. */
  readonly #linkReportedUntil = new Map<string, number>();
  readonly #cooldownMs: number;

  constructor(network: RoadNetwork, incidentOptions: Partial<IncidentDetectorOptions>) {
    this.network = network;
    this.#incidents = new IncidentDetector(incidentOptions);
    this.#cooldownMs = incidentOptions.cooldownMs ?? DEFAULT_INCIDENT_DETECTOR_OPTIONS.cooldownMs;
    for (const detector of network.detectors) {
      this.#detectors.set(detector.id, detector);
      const onLink = this.#detectorsOnLink.get(detector.link) ?? [];
      onLink.push(detector);
      this.#detectorsOnLink.set(detector.link, onLink);
    }
  }

  /** Applies a reading whole, or not at all when it is refused. */
  ingest(reading: DetectorReading): ReadingOutcome {
    const detector = this.#detectors.get(reading.detectorId);
    if (detector === undefined) {
      return { accepted: false, field: 'detectorId', reason: `unknown detector ${JSON.stringify(reading.detectorId)}: not in the road network's detectors` };
    }
    let evidence: IncidentEvidence | undefined;
    try {
      // First, because it is the one that refuses readings (out of order, out of range).
      evidence = this.#incidents.observe(reading);
    } catch (error) {
      if (!(error instanceof TrafficInputError)) throw error;
      return { accepted: false, field: readingField(error.path), reason: error.message };
    }
    this.#latest.set(detector.id, { speedKph: reading.speedKph, flowVph: reading.flowVph });
    this.network.setLinkSpeed(detector.link, this.#meanSpeedKph(detector.link));
    if (evidence === undefined) return { accepted: true, incident: undefined };
    // One blockage queues every lane: report it once per link, not once per lane detector.
    if ((this.#linkReportedUntil.get(detector.link) ?? -Infinity) > reading.timeMs) return { accepted: true, incident: undefined };
    this.#linkReportedUntil.set(detector.link, reading.timeMs + this.#cooldownMs);
    const downstream = this.network.node(this.network.link(detector.link)!.to)!;
    return { accepted: true, incident: { evidence, linkId: detector.link, position: { lat: downstream.lat, lon: downstream.lon } } };
  }

  /** The latest flow of every detector on these links that has reported, veh/h per lane. */
  laneFlowsVph(linkIds: readonly string[]): number[] {
    const flows: number[] = [];
    for (const linkId of linkIds) {
      for (const detector of this.#detectorsOnLink.get(linkId) ?? []) {
        const latest = this.#latest.get(detector.id);
        if (latest !== undefined) flows.push(latest.flowVph);
      }
    }
    return flows;
  }

  /**
   * The plain mean of the link's lanes' latest speeds: a flow-weighted mean would ignore a
   * stopped lane (no flow), which is exactly the lane routing must see.
   */
  #meanSpeedKph(linkId: string): number {
    let total = 0;
    let count = 0;
    for (const detector of this.#detectorsOnLink.get(linkId)!) {
      const latest = this.#latest.get(detector.id);
      if (latest === undefined) continue;
      total += latest.speedKph;
      count += 1;
    }
    return total / count;
  }
}

/** The reading field a TrafficInputError's path (`reading.speedKph`) names. */
function readingField(path: string): keyof DetectorReading {
  const field = path.replace(/^reading\./, '');
  return READING_FIELDS.has(field) ? (field as keyof DetectorReading) : 'detectorId';
}
