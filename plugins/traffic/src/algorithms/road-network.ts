import { TrafficInputError } from './errors.js';
import { haversineM } from './geo.js';
import { numberProblem, requireNumber, type NumberRule } from './number-checks.js';

/**
 * Saturation flow per lane when a phase does not give one, in vehicles per hour of green: a
 * common planning value (the HCM's ideal 1900 pc/h/ln, less typical adjustments).
 */
export const DEFAULT_SATURATION_FLOW_VPH_PER_LANE = 1800;

/**
 * Live link speeds are never taken below this: detectors over a stopped queue report ~0 km/h,
 * yet the queue does discharge, and a zero speed would make the link's travel time infinite.
 */
export const MIN_LINK_SPEED_KPH = 3;

/** A point of the road graph (a junction or a shape point), in WGS 84 degrees. */
export interface NodeSpec {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
}

/** A directed road segment from one node to another; a two-way street is two links. */
export interface LinkSpec {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly lengthM: number;
  readonly freeFlowSpeedKph: number;
  readonly lanes: number;
}

/** One signal phase: the approach links it gives green to, and its timing constraints. */
export interface PhaseSpec {
  readonly id: string;
  /** Ids of the approach links (ending at the intersection's node) this phase serves. */
  readonly links: readonly string[];
  readonly minGreenS: number;
  readonly yellowS: number;
  readonly allRedS: number;
  /** Defaults to {@link DEFAULT_SATURATION_FLOW_VPH_PER_LANE}. */
  readonly saturationFlowVphPerLane?: number;
  /**
   * Pedestrian clearance (flashing don't-walk) at the end of the min green, seconds. With it a
   * pre-emption may cut the pedestrian walk short but always serves this clearance; without it a
   * pre-emption runs the green to its full min green.
   */
  readonly pedestrianClearanceS?: number;
}

/** A signalised intersection at one node. */
export interface IntersectionSpec {
  readonly id: string;
  readonly node: string;
  readonly phases: readonly PhaseSpec[];
  readonly minCycleS: number;
  readonly maxCycleS: number;
}

/** A lane detector (loop or radar) on one lane of a link; lanes are numbered from 1. */
export interface DetectorSpec {
  readonly id: string;
  readonly link: string;
  readonly lane: number;
  /**
   * Metres from the link's upstream end. Two detectors on one lane at different positions form a
   * station pair, which incident detection compares (upstream against downstream).
   */
  readonly positionM?: number;
}

/** A road network as plain JSON data, as it comes from configuration. */
export interface RoadNetworkSpec {
  readonly nodes: readonly NodeSpec[];
  readonly links: readonly LinkSpec[];
  readonly intersections: readonly IntersectionSpec[];
  readonly detectors: readonly DetectorSpec[];
}

/** One thing wrong with a {@link RoadNetworkSpec}. */
export interface RoadNetworkProblem {
  /** Where, for example `links[3].to`. */
  readonly path: string;
  readonly message: string;
}

/** Collects problems instead of throwing at the first. */
class Problems {
  readonly list: RoadNetworkProblem[] = [];

  report(path: string, message: string): void {
    this.list.push({ path, message });
  }

  checkNumber(value: unknown, path: string, rule: NumberRule): void {
    const message = numberProblem(value, rule);
    if (message !== undefined) this.report(path, message);
  }
}

/**
 * Checks a spec and returns every problem found (not just the first), so a whole
 * configuration can be fixed in one pass. An empty array means {@link RoadNetwork} accepts it.
 * The shape of the JSON is the config schema's concern; this checks what a schema cannot:
 * references, uniqueness, ranges and whether signal timings fit their cycle.
 */
export function validateRoadNetwork(spec: RoadNetworkSpec): RoadNetworkProblem[] {
  const problems = new Problems();
  const nodes = indexById(spec.nodes, 'nodes', problems);
  for (const [path, node] of entries(spec.nodes, 'nodes')) {
    problems.checkNumber(node.lat, `${path}.lat`, { min: -90, max: 90 });
    problems.checkNumber(node.lon, `${path}.lon`, { min: -180, max: 180 });
  }

  const links = indexById(spec.links, 'links', problems);
  for (const [path, link] of entries(spec.links, 'links')) {
    for (const end of ['from', 'to'] as const) {
      if (!nodes.has(link[end])) problems.report(`${path}.${end}`, `unknown node ${JSON.stringify(link[end])}`);
    }
    if (link.from === link.to) problems.report(`${path}.to`, 'a link must join two different nodes');
    problems.checkNumber(link.lengthM, `${path}.lengthM`, { above: 0 });
    problems.checkNumber(link.freeFlowSpeedKph, `${path}.freeFlowSpeedKph`, { above: 0 });
    problems.checkNumber(link.lanes, `${path}.lanes`, { integer: true, min: 1 });
  }

  indexById(spec.intersections, 'intersections', problems);
  const signalisedNodes = new Map<string, string>();
  for (const [path, intersection] of entries(spec.intersections, 'intersections')) {
    if (!nodes.has(intersection.node)) problems.report(`${path}.node`, `unknown node ${JSON.stringify(intersection.node)}`);
    const other = signalisedNodes.get(intersection.node);
    if (other !== undefined) problems.report(`${path}.node`, `node ${JSON.stringify(intersection.node)} already has intersection ${JSON.stringify(other)}`);
    signalisedNodes.set(intersection.node, intersection.id);
    problems.checkNumber(intersection.minCycleS, `${path}.minCycleS`, { above: 0 });
    problems.checkNumber(intersection.maxCycleS, `${path}.maxCycleS`, { min: Number.isFinite(intersection.minCycleS) ? intersection.minCycleS : 0 });
    validatePhases(intersection, path, links, problems);
  }

  indexById(spec.detectors, 'detectors', problems);
  for (const [path, detector] of entries(spec.detectors, 'detectors')) {
    const link = links.get(detector.link);
    if (link === undefined) problems.report(`${path}.link`, `unknown link ${JSON.stringify(detector.link)}`);
    problems.checkNumber(detector.lane, `${path}.lane`, { integer: true, min: 1, max: link?.lanes });
    if (detector.positionM !== undefined) problems.checkNumber(detector.positionM, `${path}.positionM`, { min: 0, max: link?.lengthM });
  }
  return problems.list;
}

function validatePhases(intersection: IntersectionSpec, path: string, links: ReadonlyMap<string, LinkSpec>, problems: Problems): void {
  if (Array.isArray(intersection.phases) && intersection.phases.length === 0) problems.report(`${path}.phases`, 'an intersection needs at least one phase');
  indexById(intersection.phases, `${path}.phases`, problems);
  let minimumCycleS = 0;
  for (const [phasePath, phase] of entries(intersection.phases, `${path}.phases`)) {
    if (!Array.isArray(phase.links)) problems.report(`${phasePath}.links`, 'must be an array of link ids');
    for (const [linkPath, linkId] of entries(phase.links, `${phasePath}.links`)) {
      const link = links.get(linkId);
      if (link === undefined) problems.report(linkPath, `unknown link ${JSON.stringify(linkId)}`);
      else if (link.to !== intersection.node) {
        problems.report(linkPath, `link ${JSON.stringify(linkId)} ends at node ${JSON.stringify(link.to)}, not at this intersection's node ${JSON.stringify(intersection.node)}`);
      }
    }
    problems.checkNumber(phase.minGreenS, `${phasePath}.minGreenS`, { above: 0 });
    problems.checkNumber(phase.yellowS, `${phasePath}.yellowS`, { min: 0 });
    problems.checkNumber(phase.allRedS, `${phasePath}.allRedS`, { min: 0 });
    if (phase.saturationFlowVphPerLane !== undefined) problems.checkNumber(phase.saturationFlowVphPerLane, `${phasePath}.saturationFlowVphPerLane`, { above: 0 });
    if (phase.pedestrianClearanceS !== undefined) problems.checkNumber(phase.pedestrianClearanceS, `${phasePath}.pedestrianClearanceS`, { min: 0, max: Number.isFinite(phase.minGreenS) ? phase.minGreenS : undefined });
    minimumCycleS += phase.minGreenS + phase.yellowS + phase.allRedS;
  }
  // A controller can never shorten min greens or clearances, so they must fit in the longest cycle.
  if (minimumCycleS > intersection.maxCycleS) {
    problems.report(`${path}.maxCycleS`, `the phases' min greens and clearances need ${minimumCycleS} s, more than maxCycleS ${intersection.maxCycleS} s`);
  }
}

/** `[path, item]` pairs of an array, or none when the value is not an array. */
function entries<T>(items: readonly T[] | undefined, path: string): [string, T][] {
  return Array.isArray(items) ? items.map((item, i) => [`${path}[${i}]`, item]) : [];
}

/** Maps ids to items, reporting a missing array, empty or non-string ids and duplicates. */
function indexById<T extends { readonly id: string }>(items: readonly T[] | undefined, path: string, problems: Problems): Map<string, T> {
  if (!Array.isArray(items)) problems.report(path, 'must be an array');
  const byId = new Map<string, T>();
  const firstPath = new Map<string, string>();
  for (const [itemPath, item] of entries(items, path)) {
    if (typeof item.id !== 'string' || item.id === '') problems.report(`${itemPath}.id`, 'must be a non-empty string');
    else if (firstPath.has(item.id)) problems.report(`${itemPath}.id`, `duplicate id ${JSON.stringify(item.id)} (first used at ${firstPath.get(item.id)})`);
    else {
      byId.set(item.id, item);
      firstPath.set(item.id, itemPath);
    }
  }
  return byId;
}

/**
 * A validated, immutable road graph with mutable live speeds. It answers lookups, adjacency and
 * each link's current travel time, which falls back to free flow until a speed is measured.
 */
export class RoadNetwork {
  readonly nodes: readonly NodeSpec[];
  readonly links: readonly LinkSpec[];
  readonly intersections: readonly IntersectionSpec[];
  readonly detectors: readonly DetectorSpec[];
  readonly #nodes = new Map<string, NodeSpec>();
  readonly #links = new Map<string, LinkSpec>();
  readonly #outgoing = new Map<string, LinkSpec[]>();
  readonly #intersectionAtNode = new Map<string, IntersectionSpec>();
  readonly #liveSpeedKph = new Map<string, number>();
  readonly #liveSpeedAtMs = new Map<string, number>();
  /** Fewest seconds any link needs per metre of straight line between its ends, at free flow. */
  readonly #minPaceSPerM: number;

  /**
   * @throws {TrafficInputError} listing every problem {@link validateRoadNetwork} finds, with
   * the first one's path.
   */
  constructor(spec: RoadNetworkSpec) {
    const problems = validateRoadNetwork(spec);
    const [first] = problems;
    if (first !== undefined) {
      const list = problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
      throw new TrafficInputError(first.path, `invalid road network (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${list}`);
    }
    // A private copy, so later edits to the caller's JSON cannot bypass validation.
    const own = structuredClone(spec);
    this.nodes = own.nodes;
    this.links = own.links;
    this.intersections = own.intersections;
    this.detectors = own.detectors;
    for (const node of own.nodes) {
      this.#nodes.set(node.id, node);
      this.#outgoing.set(node.id, []);
    }
    let minPaceSPerM = Number.POSITIVE_INFINITY;
    for (const link of own.links) {
      this.#links.set(link.id, link);
      this.#outgoing.get(link.from)!.push(link);
      const straightM = haversineM(this.#nodes.get(link.from)!, this.#nodes.get(link.to)!);
      if (straightM > 0) minPaceSPerM = Math.min(minPaceSPerM, freeFlowTimeS(link) / straightM);
    }
    // With no link of positive extent there is no distance to scale, and 0 keeps bounds finite.
    this.#minPaceSPerM = Number.isFinite(minPaceSPerM) ? minPaceSPerM : 0;
    for (const intersection of own.intersections) this.#intersectionAtNode.set(intersection.node, intersection);
  }

  /** The node with this id, or undefined. */
  node(id: string): NodeSpec | undefined {
    return this.#nodes.get(id);
  }

  /** The link with this id, or undefined. */
  link(id: string): LinkSpec | undefined {
    return this.#links.get(id);
  }

  /** Links leaving a node. @throws {TrafficInputError} for an unknown node. */
  outgoingLinks(nodeId: string): readonly LinkSpec[] {
    this.#requireNode(nodeId, 'nodeId');
    return this.#outgoing.get(nodeId)!;
  }

  /** The signalised intersection at a node, or undefined when the node has no signal. @throws {TrafficInputError} for an unknown node. */
  intersectionAtNode(nodeId: string): IntersectionSpec | undefined {
    this.#requireNode(nodeId, 'nodeId');
    return this.#intersectionAtNode.get(nodeId);
  }

  /**
   * Records a measured speed on a link. It is clamped to [{@link MIN_LINK_SPEED_KPH}, free-flow
   * speed]: free flow is by definition the speed of an empty road, so readings above it are
   * noise, and capping there keeps the routing heuristic a true lower bound.
   *
   * `observedAtMs` dates the measurement, so {@link travelTimeAtS} can let it expire.
   *
   * @throws {TrafficInputError} for an unknown link or a negative or non-finite speed.
   */
  setLinkSpeed(linkId: string, speedKph: number, observedAtMs = Number.POSITIVE_INFINITY): void {
    const link = this.#requireLink(linkId);
    requireNumber(speedKph, 'speedKph', { min: 0 });
    this.#liveSpeedKph.set(linkId, Math.min(link.freeFlowSpeedKph, Math.max(MIN_LINK_SPEED_KPH, speedKph)));
    this.#liveSpeedAtMs.set(linkId, observedAtMs);
  }

  /**
   * The speed for routing at `nowMs`: the measured one while it is at most `maxAgeMs` old, free
   * flow after that (a detector that stopped reporting must not keep a jam on the map forever).
   */
  linkSpeedAtKph(linkId: string, nowMs: number, maxAgeMs: number): number {
    const link = this.#requireLink(linkId);
    const atMs = this.#liveSpeedAtMs.get(linkId);
    if (atMs === undefined || (atMs !== Number.POSITIVE_INFINITY && nowMs - atMs > maxAgeMs)) return link.freeFlowSpeedKph;
    return this.#liveSpeedKph.get(linkId)!;
  }

  /** Seconds to drive a link at {@link linkSpeedAtKph}. */
  travelTimeAtS(linkId: string, nowMs: number, maxAgeMs: number): number {
    return this.#requireLink(linkId).lengthM / kphToMps(this.linkSpeedAtKph(linkId, nowMs, maxAgeMs));
  }

  /** Forgets a link's measured speed (say, when its detector goes stale): it is back to free flow. */
  clearLinkSpeed(linkId: string): void {
    this.#requireLink(linkId);
    this.#liveSpeedKph.delete(linkId);
    this.#liveSpeedAtMs.delete(linkId);
  }

  /** The speed used for routing: the last measured one, else free flow. */
  linkSpeedKph(linkId: string): number {
    return this.#liveSpeedKph.get(linkId) ?? this.#requireLink(linkId).freeFlowSpeedKph;
  }

  /** Seconds to drive a link at its current speed. @throws {TrafficInputError} for an unknown link. */
  travelTimeS(linkId: string): number {
    return this.#requireLink(linkId).lengthM / kphToMps(this.linkSpeedKph(linkId));
  }

  /**
   * A lower bound on the seconds any path between two nodes takes at free flow or slower: their
   * straight-line distance at the fastest pace (seconds per straight-line metre) any link of the
   * network achieves at free flow. Pace rather than top speed keeps the bound valid even when a
   * link's stated length is shorter than the straight line between its ends.
   *
   * @throws {TrafficInputError} for an unknown node.
   */
  travelTimeLowerBoundS(fromNodeId: string, toNodeId: string): number {
    return haversineM(this.#requireNode(fromNodeId, 'fromNodeId'), this.#requireNode(toNodeId, 'toNodeId')) * this.#minPaceSPerM;
  }

  /** The pace {@link travelTimeLowerBoundS} puts on each straight-line metre, for a search computing many bounds at once. */
  get minPaceSPerM(): number {
    return this.#minPaceSPerM;
  }

  #requireNode(id: string, path: string): NodeSpec {
    const node = this.#nodes.get(id);
    if (node === undefined) throw new TrafficInputError(path, `unknown node ${JSON.stringify(id)}`);
    return node;
  }

  #requireLink(id: string): LinkSpec {
    const link = this.#links.get(id);
    if (link === undefined) throw new TrafficInputError('linkId', `unknown link ${JSON.stringify(id)}`);
    return link;
  }
}

function kphToMps(speedKph: number): number {
  return speedKph / 3.6;
}

function freeFlowTimeS(link: LinkSpec): number {
  return link.lengthM / kphToMps(link.freeFlowSpeedKph);
}
