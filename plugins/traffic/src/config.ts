import { Id, environment } from '@polis/contracts';
import { Type } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';
import { DEFAULT_CLEAR_TIME_S, DEFAULT_LEAD_TIME_S } from './algorithms/corridor-plan.js';
import { WorkOrdersConfig } from './signal-work-orders.js';
import { DEFAULT_EMERGENCY_SPEED_MODEL } from './algorithms/emergency-travel-time.js';
import { DEFAULT_INCIDENT_DETECTOR_OPTIONS } from './algorithms/incident-detector.js';
import { DEFAULT_CARRIAGEWAY_WINDOW_INTERVALS } from './live-traffic.js';
import { DEFAULT_STATION_PAIR_OPTIONS } from './algorithms/station-pair-detector.js';
import { DEFAULT_SATURATION_FLOW_VPH_PER_LANE } from './algorithms/road-network.js';
import { DEFAULT_GREEN_EXTENSION_S, DEFAULT_STARTUP_LOST_TIME_S } from './algorithms/webster.js';

// The schema checks shapes, types and single-value ranges, which an integrator's tools can check
// before anything starts; references, uniqueness and whether timings fit a cycle are checked at
// setup by validateRoadNetwork, which reports all of them at once.

const Node = Type.Object({
  id: Id,
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude, decimal degrees (WGS 84)' }),
  lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude, decimal degrees (WGS 84)' }),
});

const Link = Type.Object(
  {
    id: Id,
    from: Type.String({ description: 'Id of the upstream node' }),
    to: Type.String({ description: 'Id of the downstream node' }),
    lengthM: Type.Number({ exclusiveMinimum: 0, description: 'Length, metres' }),
    freeFlowSpeedKph: Type.Number({ exclusiveMinimum: 0, description: 'Speed on an empty road, km/h' }),
    lanes: Type.Integer({ minimum: 1, default: 1 }),
  },
  { description: 'A directed road segment; a two-way street is two links.' },
);

const Phase = Type.Object({
  id: Id,
  links: Type.Array(Type.String(), { description: 'Approach links (ending at the intersection) this phase gives green' }),
  minGreenS: Type.Number({ exclusiveMinimum: 0, description: 'Shortest green, seconds (pedestrian crossing time)' }),
  yellowS: Type.Number({ minimum: 0, description: 'Yellow, seconds; never shortened' }),
  allRedS: Type.Number({ minimum: 0, description: 'All-red clearance, seconds; never shortened' }),
  saturationFlowVphPerLane: Type.Optional(
    Type.Number({ exclusiveMinimum: 0, description: `Vehicles per hour of green per lane (default ${DEFAULT_SATURATION_FLOW_VPH_PER_LANE})` }),
  ),
  pedestrianClearanceS: Type.Optional(
    Type.Number({ minimum: 0, description: 'Flashing don\'t-walk at the end of the min green, seconds: a pre-emption may cut the walk but always serves this' }),
  ),
});

const Intersection = Type.Object(
  {
    id: Id,
    node: Type.String({ description: 'The node the signal controls' }),
    phases: Type.Array(Phase, { minItems: 1, description: 'Phases in the order the controller runs them' }),
    minCycleS: Type.Number({ exclusiveMinimum: 0 }),
    maxCycleS: Type.Number({ exclusiveMinimum: 0 }),
  },
  { description: 'A signalised intersection: Webster timing runs within [minCycleS, maxCycleS].' },
);

const Detector = Type.Object(
  {
    id: Id,
    link: Type.String(),
    lane: Type.Integer({ minimum: 1, description: 'Lane number, from 1 (the kerb lane)' }),
    positionM: Type.Optional(Type.Number({ minimum: 0, description: "Metres from the link's upstream end; two detectors on one lane form a station pair for incident detection" })),
  },
  { description: 'A loop or radar detector on one lane of a link.' },
);

/** The road network: the same shape as the algorithms' `RoadNetworkSpec`. */
const RoadNetworkConfig = Type.Object({
  nodes: Type.Array(Node),
  links: Type.Array(Link),
  intersections: Type.Array(Intersection, { default: [] }),
  detectors: Type.Array(Detector, { default: [] }),
});

const defaults = DEFAULT_INCIDENT_DETECTOR_OPTIONS;
const pairs = DEFAULT_STATION_PAIR_OPTIONS;
const ev = DEFAULT_EMERGENCY_SPEED_MODEL;

/** The traffic plugin's configuration. Everything but `network` has defaults. */
export const TrafficConfig = Type.Object({
  network: RoadNetworkConfig,
  fiwareDetectors: Type.Record(Type.String(), Id, {
    default: {},
    description:
      'FIWARE TrafficFlowObserved entity id -> detector id. An NGSI-LD id `urn:ngsi-ld:TrafficFlowObserved:<x>` also matches an entry for `<x>`.',
  }),
  incidentDetection: Type.Object(
    {
      speedDropRatio: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: defaults.speedDropRatio, description: 'Speed must fall below (1 - this) x baseline' }),
      occupancyRisePct: Type.Number({ minimum: 0, maximum: 100, default: defaults.occupancyRisePct, description: 'Occupancy must rise this many points above baseline' }),
      confirmReadings: Type.Integer({ minimum: 1, default: defaults.confirmReadings, description: 'Anomalous readings in a row before reporting' }),
      minBaselineReadings: Type.Integer({ minimum: 1, default: defaults.minBaselineReadings, description: 'Readings of warm-up per detector' }),
      baselineReadings: Type.Integer({ minimum: 1, default: defaults.baselineReadings, description: 'Normal readings in the rolling baseline' }),
      cooldownS: Type.Number({ minimum: 0, default: defaults.cooldownMs / 1000, description: 'Silence after a report, seconds' }),
      maxGapS: Type.Number({ exclusiveMinimum: 0, default: defaults.maxGapMs / 1000, description: 'Readings further apart are not consecutive, seconds' }),
      stationPair: Type.Object(
        {
          occupancyDifferencePct: Type.Number({ minimum: 0, maximum: 100, default: pairs.occupancyDifferencePct, description: 'Upstream occupancy above downstream, points' }),
          relativeDifference: Type.Number({ minimum: 0, maximum: 1, default: pairs.relativeDifference, description: '...and as a share of upstream occupancy' }),
          starvedFlowRatio: Type.Number({ minimum: 0, maximum: 1, default: pairs.starvedFlowRatio, description: 'Or: downstream passes at most this share of the upstream count' }),
          minUpstreamVehicles: Type.Number({ minimum: 1, default: pairs.minUpstreamVehicles, description: '...of at least this many vehicles in the window' }),
          windowIntervals: Type.Integer({ minimum: 1, default: pairs.windowIntervals, description: 'Intervals summed for the flow comparison' }),
          confirmIntervals: Type.Integer({ minimum: 1, default: pairs.confirmIntervals, description: 'Anomalous intervals in a row before reporting' }),
          carriagewayWindowIntervals: Type.Integer({
            minimum: 1,
            default: DEFAULT_CARRIAGEWAY_WINDOW_INTERVALS,
            description: "Intervals summed when a link's lanes are compared together (all lanes blocked); longer than one lane's window, as the totals balance better than one lane's counts",
          }),
        },
        { default: {}, description: 'Incident detection comparing the upstream and downstream stations of a lane (where a lane has two detectors)' },
      ),
    },
    { default: {} },
  ),
  signals: Type.Object(
    {
      mergeCompatiblePhases: Type.Boolean({
        default: false,
        description:
          "Run an intersection's phases whose movements never conflict (a grid's corner) as one phase, named by their ids joined with '+'. Off by default: the network cannot see a pedestrian crossing that needs its own phase",
      }),
      gapOutS: Type.Optional(
        Type.Number({
          exclusiveMinimum: 0,
          description:
            "Gap-out: a green that has served its min green ends early once every lane it serves has seen no vehicle at its stop-line detector for this many seconds (from traffic.detector.gaps); the plan's green is then the max green. Off when unset",
        }),
      ),
      startupLostTimeS: Type.Number({ minimum: 0, default: DEFAULT_STARTUP_LOST_TIME_S, description: "Webster's start-up lost time l1 per phase" }),
      greenExtensionS: Type.Number({ minimum: 0, default: DEFAULT_GREEN_EXTENSION_S, description: 'Effective green extending into the yellow, e' }),
      retimeThresholdS: Type.Number({
        minimum: 0,
        default: 1,
        description: "A Webster target within this many seconds of the running plan's cycle and greens is not pursued (0: any change)",
      }),
      maxCycleStepS: Type.Number({ minimum: 0, default: 4, description: 'The cycle moves by at most this much per cycle, seconds' }),
      maxGreenStepS: Type.Number({ minimum: 0, default: 4, description: 'Each green moves by at most this much per cycle, seconds' }),
      smoothingTimeConstantS: Type.Number({ exclusiveMinimum: 0, default: 90, description: 'Time constant of the exponential smoothing of detector flow and occupancy, seconds' }),
      maxReadingAgeS: Type.Number({ exclusiveMinimum: 0, default: 180, description: 'A detector silent for longer no longer feeds timing, seconds' }),
      announceIntervals: Type.Boolean({ default: true, description: 'Publish traffic.signal.changed at every interval (for field controllers and simulators)' }),
      arterials: Type.Array(
        Type.Object({ id: Id, intersections: Type.Array(Type.String(), { minItems: 2, description: 'Signals in driving order of the green wave' }) }),
        { default: [], description: 'Arterials whose signals share a cycle and are offset for a green wave' },
      ),
    },
    { default: {} },
  ),
  routing: Type.Object(
    {
      maxSnapDistanceM: Type.Number({ minimum: 0, default: 500, description: 'A point farther than this from every node is off the network' }),
      maxSpeedAgeS: Type.Number({ exclusiveMinimum: 0, default: 300, description: 'Measured link speeds older than this fall back to free flow, seconds' }),
      turnPenalties: Type.Boolean({ default: true, description: 'Charge turn penalties (OSRM car profile) at every node' }),
      signalDelay: Type.Boolean({ default: true, description: "Charge Webster's uniform delay at every signal passed" }),
    },
    { default: {} },
  ),
  /** Citizens' broken-signal work orders (see signal-work-orders.ts). */
  workOrders: WorkOrdersConfig,
  airQualityGating: Type.Object(
    {
      minSeverity: Type.Union(environment.ALERT_SEVERITIES.map((name) => Type.Literal(name)), {
        default: 'medium',
        description: 'Least air-quality alert severity that gates inflow at the signals on the edge of its area',
      }),
      greenFactor: Type.Number({ minimum: 0.1, maximum: 1, default: 0.6, description: "Share of Webster's green the phases serving roads into the area keep (1: no gating)" }),
    },
    { default: {} },
  ),
  corridor: Type.Object(
    {
      leadTimeS: Type.Number({ minimum: 0, default: DEFAULT_LEAD_TIME_S, description: 'Green shown this long before the vehicle arrives' }),
      clearTimeS: Type.Number({ minimum: 0, default: DEFAULT_CLEAR_TIME_S, description: 'Green held this long after the ETA' }),
      maxHoldS: Type.Number({ exclusiveMinimum: 0, default: 120, description: 'A hold never lasts longer, seconds (closed loop: the vehicle may stop reporting)' }),
      emergencySpeed: Type.Object(
        {
          speedFactor: Type.Number({ exclusiveMinimum: 0, default: ev.speedFactor, description: 'Multiple of free-flow speed on an empty road' }),
          congestionExponent: Type.Number({ minimum: 0, maximum: 1, default: ev.congestionExponent, description: '0: never slowed by traffic, 1: as slow as traffic' }),
          maxSpeedKph: Type.Number({ exclusiveMinimum: 0, default: ev.maxSpeedKph }),
        },
        { default: {}, description: "The emergency vehicle's speed model, for corridor routes and ETAs" },
      ),
    },
    { default: {} },
  ),
});

/** The traffic plugin's configuration, defaults applied. */
export type TrafficConfig = Static<typeof TrafficConfig>;
