import { smooth, fresh } from './algorithms/detector-smoothing.js';
import type { Smoothed } from './algorithms/detector-smoothing.js';
import { TrafficInputError } from './algorithms/errors.js';
import type { LatLon } from './algorithms/geo.js';
import { DEFAULT_INCIDENT_DETECTOR_OPTIONS, IncidentDetector } from './algorithms/incident-detector.js';
import type { DetectorReading, IncidentDetectorOptions, IncidentEvidence } from './algorithms/incident-detector.js';
import { laneDemandVph } from './algorithms/lane-demand.js';
import type { DetectorSpec, RoadNetwork } from './algorithms/road-network.js';
import { spaceMeanSpeedKph } from './algorithms/space-mean-speed.js';
import { StationPairDetector } from './algorithms/station-pair-detector.js';
import { DEFAULT_STATION_PAIR_OPTIONS } from './algorithms/station-pair-detector.js';
import type { StationPairEvidence, StationPairOptions, StationReading } from './algorithms/station-pair-detector.js';
import { StationTotals } from './algorithms/station-totals.js';

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

/** How readings are smoothed and when they go stale. */
export interface MeasurementOptions {
  /** Time constant of the exponential smoothing of flow and occupancy, ms. */
  readonly smoothingTimeConstantMs: number;
  /** A detector whose last reading is older than this no longer feeds signal timing, ms. */
  readonly maxReadingAgeMs: number;
}

interface DetectorState {
  flow: Smoothed | undefined;
  occupancy: Smoothed | undefined;
  latest: DetectorReading | undefined;
}

/** The two stations of a lane that incident detection compares, and the comparison's state. */
interface StationPair {
  readonly upstreamId: string;
  readonly downstreamId: string;
  readonly detector: StationPairDetector;
}

/** A link's carriageway compared as one pair: every lane's upstream station summed against every lane's downstream one. */
interface CarriagewayPair {
  readonly upstream: StationTotals;
  readonly downstream: StationTotals;
  readonly upstreamIds: ReadonlySet<string>;
  readonly detector: StationPairDetector;
}

const READING_FIELDS: ReadonlySet<string> = new Set<keyof DetectorReading>(['detectorId', 'timeMs', 'speedKph', 'occupancyPct', 'flowVph']);
const DEFAULT_INTERVAL_S = 30;
/**
 * Intervals (3 minutes of 30 s ones) a carriageway's totals are summed over. In SUMO's demo city
 * at medium demand a blocked 2-3-lane link gets 2-3 vehicles per 30 s, so the lane pairs' 90 s
 * window rarely reaches its 6 vehicles; 3 minutes of totals found 5 of 6 blockages with no false
 * alarm (docs/traffic-evaluation.md), where lengthening the lane pairs' window raised false alarms.
 */
export const DEFAULT_CARRIAGEWAY_WINDOW_INTERVALS = 6;

/**
 * The network's live state from detector readings: each link's space-mean speed (for routing,
 * dated so it expires), each lane's demand from smoothed, fresh flow and occupancy (for signal
 * timing) and incident detection, by station pairs where a lane has two detectors and by each
 * detector's own baseline elsewhere.
 */
export class LiveTraffic {
  readonly network: RoadNetwork;
  readonly #measurement: MeasurementOptions;
  readonly #detectors = new Map<string, DetectorSpec>();
  readonly #detectorsOnLink = new Map<string, DetectorSpec[]>();
  readonly #state = new Map<string, DetectorState>();
  readonly #single: IncidentDetector;
  readonly #pairOf = new Map<string, StationPair>();
  readonly #carriagewayOf = new Map<string, CarriagewayPair>();
  /** Until when each link's incident is already reported: its other lanes' detectors confirm it too. */
  readonly #linkReportedUntil = new Map<string, number>();
  readonly #cooldownMs: number;

  constructor(network: RoadNetwork, incidentOptions: Partial<IncidentDetectorOptions>, measurement: MeasurementOptions, pairOptions: Partial<StationPairOptions> & { readonly carriagewayWindowIntervals?: number } = {}) {
    const { carriagewayWindowIntervals = DEFAULT_CARRIAGEWAY_WINDOW_INTERVALS, ...lanePairOptions } = pairOptions;
    this.network = network;
    this.#measurement = measurement;
    this.#single = new IncidentDetector(incidentOptions);
    this.#cooldownMs = incidentOptions.cooldownMs ?? DEFAULT_INCIDENT_DETECTOR_OPTIONS.cooldownMs;
    const byLane = new Map<string, DetectorSpec[]>();
    for (const detector of network.detectors) {
      this.#detectors.set(detector.id, detector);
      this.#state.set(detector.id, { flow: undefined, occupancy: undefined, latest: undefined });
      const onLink = this.#detectorsOnLink.get(detector.link) ?? [];
      onLink.push(detector);
      this.#detectorsOnLink.set(detector.link, onLink);
      if (detector.positionM !== undefined) {
        const key = `${detector.link}#${detector.lane}`;
        byLane.set(key, [...(byLane.get(key) ?? []), detector]);
      }
    }
    const newPairDetector = () => new StationPairDetector({ cooldownMs: this.#cooldownMs, maxGapMs: incidentOptions.maxGapMs, ...lanePairOptions });
    const lanePairsOfLink = new Map<string, StationPair[]>();
    for (const stations of byLane.values()) {
      if (stations.length < 2) continue;
      const sorted = [...stations].sort((a, b) => a.positionM! - b.positionM!);
      const pair = { upstreamId: sorted[0]!.id, downstreamId: sorted.at(-1)!.id, detector: newPairDetector() };
      this.#pairOf.set(pair.upstreamId, pair);
      this.#pairOf.set(pair.downstreamId, pair);
      const link = sorted[0]!.link;
      lanePairsOfLink.set(link, [...(lanePairsOfLink.get(link) ?? []), pair]);
    }
    // A blockage of every lane starves the lane pairs one vehicle at a time; the carriageway's totals show it sooner.
    const toleranceMs = lanePairOptions.pairToleranceMs ?? DEFAULT_STATION_PAIR_OPTIONS.pairToleranceMs;
    for (const pairs of lanePairsOfLink.values()) {
      if (pairs.length < 2) continue;
      const upstreamIds = pairs.map((pair) => pair.upstreamId);
      const carriageway = {
        upstream: new StationTotals(upstreamIds, toleranceMs),
        downstream: new StationTotals(pairs.map((pair) => pair.downstreamId), toleranceMs),
        upstreamIds: new Set(upstreamIds),
        detector: new StationPairDetector({ cooldownMs: this.#cooldownMs, maxGapMs: incidentOptions.maxGapMs, ...lanePairOptions, windowIntervals: carriagewayWindowIntervals }),
      };
      for (const pair of pairs) {
        this.#carriagewayOf.set(pair.upstreamId, carriageway);
        this.#carriagewayOf.set(pair.downstreamId, carriageway);
      }
    }
  }

  /** Applies a reading whole, or not at all when it is refused. */
  ingest(reading: DetectorReading): ReadingOutcome {
    const detector = this.#detectors.get(reading.detectorId);
    if (detector === undefined) {
      return { accepted: false, field: 'detectorId', reason: `unknown detector ${JSON.stringify(reading.detectorId)}: not in the road network's detectors` };
    }
    const state = this.#state.get(detector.id)!;
    let evidence: IncidentEvidence | undefined;
    try {
      // First, because the incident detectors are what refuse readings (out of order, out of range).
      evidence = this.#detectIncident(detector, reading);
    } catch (error) {
      if (!(error instanceof TrafficInputError)) throw error;
      return { accepted: false, field: readingField(error.path), reason: error.message };
    }
    const { smoothingTimeConstantMs } = this.#measurement;
    state.flow = smooth(state.flow, reading.flowVph, reading.timeMs, smoothingTimeConstantMs);
    state.occupancy = smooth(state.occupancy, reading.occupancyPct, reading.timeMs, smoothingTimeConstantMs);
    state.latest = reading;
    this.#updateLinkSpeed(detector.link, reading.timeMs);
    if (evidence === undefined) return { accepted: true, incident: undefined };
    // One blockage queues every lane: report it once per link, not once per lane detector.
    if ((this.#linkReportedUntil.get(detector.link) ?? -Infinity) > reading.timeMs) return { accepted: true, incident: undefined };
    this.#linkReportedUntil.set(detector.link, reading.timeMs + this.#cooldownMs);
    const downstream = this.network.node(this.network.link(detector.link)!.to)!;
    return { accepted: true, incident: { evidence, linkId: detector.link, position: { lat: downstream.lat, lon: downstream.lon } } };
  }

  /**
   * Each lane's demand on these links, veh/h: the smoothed flow, or the saturation flow times the
   * smoothed occupancy when a queue stands over the detector (see `laneDemandVph`). A lane with
   * several stations is measured at its most upstream one: it counts arrivals, and a queue
   * reaches it only when the approach is oversaturated, whereas a stop-line station sits under
   * every red's queue. Detectors silent for longer than the reading age are left out; a lane
   * with none fresh has no measured demand.
   */
  laneDemandsVph(linkIds: readonly string[], nowMs: number, saturationFlowVph: number): number[] {
    const demands: number[] = [];
    for (const linkId of linkIds) {
      const lanes = new Map<number, { positionM: number; demand: number }>();
      for (const detector of this.#detectorsOnLink.get(linkId) ?? []) {
        const state = this.#state.get(detector.id)!;
        const flow = fresh(state.flow, nowMs, this.#measurement.maxReadingAgeMs);
        const occupancy = fresh(state.occupancy, nowMs, this.#measurement.maxReadingAgeMs);
        if (flow === undefined || occupancy === undefined) continue;
        const positionM = detector.positionM ?? 0;
        const current = lanes.get(detector.lane);
        if (current === undefined || positionM < current.positionM) lanes.set(detector.lane, { positionM, demand: laneDemandVph(flow, occupancy, saturationFlowVph) });
      }
      demands.push(...[...lanes.values()].map((lane) => lane.demand));
    }
    return demands;
  }

  #detectIncident(detector: DetectorSpec, reading: DetectorReading): IncidentEvidence | undefined {
    const pair = this.#pairOf.get(detector.id);
    if (pair === undefined) return this.#single.observe(reading);
    const role = pair.upstreamId === detector.id ? 'upstream' : 'downstream';
    const station: StationReading = { timeMs: reading.timeMs, intervalS: reading.intervalS ?? DEFAULT_INTERVAL_S, flowVph: reading.flowVph, occupancyPct: reading.occupancyPct, speedKph: reading.speedKph };
    const found = pair.detector.observe(role, station);
    const carriageway = this.#carriagewayOf.get(detector.id);
    const total = carriageway && (role === 'upstream' ? carriageway.upstream : carriageway.downstream).add(detector.id, station);
    const blocked = total && carriageway.detector.observe(role, total);
    if (found !== undefined) return pairEvidence(pair.upstreamId, found);
    // Named by the first lane's upstream detector: the event names one detector.
    return blocked === undefined ? undefined : pairEvidence([...carriageway!.upstreamIds][0]!, blocked);
  }

  /** The link's space-mean speed from its detectors' latest fresh readings, dated by the newest. */
  #updateLinkSpeed(linkId: string, atMs: number): void {
    const lanes = (this.#detectorsOnLink.get(linkId) ?? [])
      .map((detector) => this.#state.get(detector.id)!.latest)
      .filter((latest): latest is DetectorReading => latest !== undefined && atMs - latest.timeMs <= this.#measurement.maxReadingAgeMs);
    const speedKph = spaceMeanSpeedKph(lanes);
    // An empty road tells nothing about congestion: free flow.
    this.network.setLinkSpeed(linkId, speedKph ?? this.network.link(linkId)!.freeFlowSpeedKph, atMs);
  }
}

/** The reading field a TrafficInputError's path (`reading.speedKph`) names. */
function readingField(path: string): keyof DetectorReading {
  const field = path.replace(/^reading\./, '');
  return READING_FIELDS.has(field) ? (field as keyof DetectorReading) : 'detectorId';
}

/** A station pair's finding as incident evidence; its "baseline" is the downstream station, the reference the upstream one is compared with. */
function pairEvidence(detectorId: string, found: StationPairEvidence): IncidentEvidence {
  const { upstream, downstream } = found;
  return {
    detectorId,
    detectedAtMs: found.detectedAtMs,
    firstAnomalyAtMs: found.firstAnomalyAtMs,
    baselineSpeedKph: downstream.speedKph,
    baselineOccupancyPct: downstream.occupancyPct,
    speedKph: upstream.speedKph,
    occupancyPct: upstream.occupancyPct,
    flowVph: upstream.flowVph,
    speedDropRatio: downstream.speedKph > 0 ? Math.max(0, 1 - upstream.speedKph / downstream.speedKph) : 0,
    occupancyRisePct: upstream.occupancyPct - downstream.occupancyPct,
  };
}
