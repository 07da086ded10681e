import { TrafficInputError } from './errors.js';
import { requireNumber } from './number-checks.js';
import type { IntersectionSpec, PhaseSpec, RoadNetwork } from './road-network.js';
import type { Route } from './shortest-path.js';

/** Seconds of green shown before the vehicle reaches the stop line, so the queue ahead can clear. */
export const DEFAULT_LEAD_TIME_S = 15;
/** Seconds of green held after the ETA, for the vehicle to cross the junction and for ETA error. */
export const DEFAULT_CLEAR_TIME_S = 5;

/** The interval a signal phase is showing. */
export type SignalInterval = 'green' | 'yellow' | 'all-red';

/** What an intersection's controller is showing at departure. */
export interface SignalState {
  readonly intersectionId: string;
  /** The phase showing green, or whose yellow or all-red clearance is running. */
  readonly phaseId: string;
  readonly interval: SignalInterval;
  /** Seconds since the interval began. */
  readonly elapsedS: number;
}

export interface GreenCorridorInput {
  readonly network: RoadNetwork;
  /** From `fastestRoute`: its arrival times give the ETAs. */
  readonly route: Route;
  /** Epoch ms at which the vehicle leaves the route's first node. */
  readonly departureMs: number;
  /** Defaults to {@link DEFAULT_LEAD_TIME_S}. */
  readonly leadTimeS?: number;
  /** Defaults to {@link DEFAULT_CLEAR_TIME_S}. */
  readonly clearTimeS?: number;
  /** Controller states at departure; an intersection without one is assumed to be in its worst state. */
  readonly signals?: readonly SignalState[];
}

/** Pre-emption of one signalised intersection on the route. */
export interface PreemptionWindow {
  readonly intersectionId: string;
  readonly nodeId: string;
  readonly approachLinkId: string;
  /** The phase serving the approach link, held green for the vehicle. */
  readonly phaseId: string;
  /** When the vehicle reaches the stop line, including any earlier wait for green. */
  readonly etaMs: number;
  /**
   * When the controller must enter pre-emption. From then it lets a conflicting phase finish
   * its min green, then its full yellow and all-red (clearances are never shortened).
   */
  readonly windowStartMs: number;
  /**
   * Green is showing by this time at the latest: ETA minus the lead time, or later when the
   * vehicle left too soon for that. After `etaMs` means the vehicle meets red and waits.
   */
  readonly greenFromMs: number;
  /** Green held until the vehicle has passed: ETA (or green, if later) plus the clear time. */
  readonly windowEndMs: number;
  /** Normal operation resumes after the held phase's yellow and all-red. */
  readonly restoreAtMs: number;
}

/** A signalised intersection on the route whose approach link no phase serves. */
export interface UnservedApproach {
  readonly intersectionId: string;
  readonly nodeId: string;
  readonly approachLinkId: string;
  readonly etaMs: number;
  readonly reason: string;
}

export interface GreenCorridorPlan {
  /** In route order. */
  readonly windows: readonly PreemptionWindow[];
  readonly unserved: readonly UnservedApproach[];
}

/**
 * Plans a green corridor: for each signalised intersection the route enters (its first node is
 * where the vehicle starts, so it is not one), a window in which the approach's phase is held
 * green for the vehicle.
 *
 * A window far enough ahead opens early enough for the worst case, a conflicting phase that has
 * just turned green: its min green, yellow and all-red. A window that would have to open before
 * departure opens at departure instead, and the controller's actual state tells when the green
 * can come. If that is after the ETA the vehicle waits, and later ETAs move by the wait.
 *
 * @throws {TrafficInputError} for a route that does not match the network, unknown signal
 * states, or negative times.
 */
export function planGreenCorridor(input: GreenCorridorInput): GreenCorridorPlan {
  const { network, route, departureMs, leadTimeS = DEFAULT_LEAD_TIME_S, clearTimeS = DEFAULT_CLEAR_TIME_S } = input;
  requireNumber(departureMs, 'departureMs', {});
  requireNumber(leadTimeS, 'leadTimeS', { min: 0 });
  requireNumber(clearTimeS, 'clearTimeS', { min: 0 });
  validateRoute(network, route);
  const states = indexSignalStates(network, input.signals ?? []);

  const windows: PreemptionWindow[] = [];
  const unserved: UnservedApproach[] = [];
  let waitMs = 0;
  for (let i = 1; i < route.nodes.length; i++) {
    const nodeId = route.nodes[i]!;
    const intersection = network.intersectionAtNode(nodeId);
    if (intersection === undefined) continue;
    const approachLinkId = route.links[i - 1]!;
    const etaMs = departureMs + route.arrivalsS[i]! * 1000 + waitMs;
    const phase = intersection.phases.find((candidate) => candidate.links.includes(approachLinkId));
    if (phase === undefined) {
      const reason = `no phase of intersection ${JSON.stringify(intersection.id)} serves approach link ${JSON.stringify(approachLinkId)}`;
      unserved.push({ intersectionId: intersection.id, nodeId, approachLinkId, etaMs, reason });
      continue;
    }
    const worstS = worstSwitchS(intersection, phase);
    const state = states.get(intersection.id);
    const latestStartMs = etaMs - (leadTimeS + worstS) * 1000;
    const windowStartMs = Math.max(departureMs, latestStartMs);
    const greenFromMs = latestStartMs >= departureMs ? etaMs - leadTimeS * 1000 : departureMs + (state ? switchS(intersection, phase, state) : worstS) * 1000;
    waitMs += Math.max(0, greenFromMs - etaMs);
    const windowEndMs = Math.max(etaMs, greenFromMs) + clearTimeS * 1000;
    const restoreAtMs = windowEndMs + (phase.yellowS + phase.allRedS) * 1000;
    windows.push({ intersectionId: intersection.id, nodeId, approachLinkId, phaseId: phase.id, etaMs, windowStartMs, greenFromMs, windowEndMs, restoreAtMs });
  }
  return { windows, unserved };
}

/**
 * Longest time from an unknown controller state to green for `target`: a conflicting phase
 * that has just turned green (its min green, yellow and all-red), or the target's own
 * clearance, if the call catches it just after it ended its green.
 */
export function worstSwitchS(intersection: IntersectionSpec, target: PhaseSpec): number {
  const conflicting = intersection.phases.filter((phase) => phase !== target).map((phase) => preemptedGreenS(phase, 0) + phase.yellowS + phase.allRedS);
  return Math.max(target.yellowS + target.allRedS, ...conflicting);
}

/** Time from a known controller state to green for `target`, never cutting a min green or a clearance. */
function switchS(intersection: IntersectionSpec, target: PhaseSpec, state: SignalState): number {
  const phase = intersection.phases.find((candidate) => candidate.id === state.phaseId)!;
  switch (state.interval) {
    case 'green':
      return phase === target ? 0 : Math.max(0, preemptedGreenS(phase, state.elapsedS) - state.elapsedS) + phase.yellowS + phase.allRedS;
    case 'yellow':
      return Math.max(0, phase.yellowS - state.elapsedS) + phase.allRedS;
    case 'all-red':
      return Math.max(0, phase.allRedS - state.elapsedS);
  }
}

/**
 * How long a running green must last, seconds from its start, when a pre-emption ends it
 * `elapsedS` in. Without pedestrian signals it runs to its min green. With a pedestrian
 * clearance, pedestrians walk during the first min green less the clearance: a pre-emption may
 * cut the walk short (as MUTCD 4D.27 allows for pre-emption), but the clearance (flashing
 * don't-walk) always runs in full, so nobody is caught mid-crossing by the yellow.
 */
export function preemptedGreenS(phase: PhaseSpec, elapsedS: number): number {
  if (phase.pedestrianClearanceS === undefined) return phase.minGreenS;
  const walkEndS = phase.minGreenS - phase.pedestrianClearanceS;
  return elapsedS < walkEndS ? elapsedS + phase.pedestrianClearanceS : phase.minGreenS;
}

function validateRoute(network: RoadNetwork, route: Route): void {
  if (route.nodes.length === 0 || route.links.length !== route.nodes.length - 1 || route.arrivalsS.length !== route.nodes.length) {
    throw new TrafficInputError('route', `needs n nodes, n - 1 links and n arrival times, got ${route.nodes.length}, ${route.links.length} and ${route.arrivalsS.length}`);
  }
  route.links.forEach((linkId, i) => {
    const link = network.link(linkId);
    if (link === undefined) throw new TrafficInputError(`route.links[${i}]`, `unknown link ${JSON.stringify(linkId)}`);
    if (link.from !== route.nodes[i] || link.to !== route.nodes[i + 1]) {
      throw new TrafficInputError(`route.links[${i}]`, `link ${JSON.stringify(linkId)} goes ${link.from} → ${link.to}, not ${route.nodes[i]} → ${route.nodes[i + 1]}`);
    }
  });
  route.arrivalsS.forEach((arrivalS, i) => requireNumber(arrivalS, `route.arrivalsS[${i}]`, { min: i === 0 ? 0 : route.arrivalsS[i - 1]! }));
}

function indexSignalStates(network: RoadNetwork, signals: readonly SignalState[]): Map<string, SignalState> {
  const byId = new Map<string, SignalState>();
  signals.forEach((state, i) => {
    const path = `signals[${i}]`;
    const intersection = network.intersections.find((candidate) => candidate.id === state.intersectionId);
    if (intersection === undefined) throw new TrafficInputError(`${path}.intersectionId`, `unknown intersection ${JSON.stringify(state.intersectionId)}`);
    if (byId.has(state.intersectionId)) throw new TrafficInputError(`${path}.intersectionId`, `a second state for intersection ${JSON.stringify(state.intersectionId)}`);
    if (!intersection.phases.some((phase) => phase.id === state.phaseId)) {
      throw new TrafficInputError(`${path}.phaseId`, `intersection ${JSON.stringify(state.intersectionId)} has no phase ${JSON.stringify(state.phaseId)}`);
    }
    if (!['green', 'yellow', 'all-red'].includes(state.interval)) throw new TrafficInputError(`${path}.interval`, `must be green, yellow or all-red, got ${JSON.stringify(state.interval)}`);
    requireNumber(state.elapsedS, `${path}.elapsedS`, { min: 0 });
    byId.set(state.intersectionId, state);
  });
  return byId;
}
