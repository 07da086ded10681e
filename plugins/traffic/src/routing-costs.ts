import { emergencySpeedKph } from './algorithms/emergency-travel-time.js';
import type { EmergencySpeedModel } from './algorithms/emergency-travel-time.js';
import { bearingDeg } from './algorithms/geo.js';
import { MIN_LINK_SPEED_KPH } from './algorithms/road-network.js';
import type { LinkSpec, RoadNetwork } from './algorithms/road-network.js';
import type { RouteOptions } from './algorithms/shortest-path.js';
import { turnAngleDeg, turnPenaltyS } from './algorithms/turn-cost.js';

/** What routing charges for. */
export interface RoutingCostOptions {
  /** Measured link speeds older than this fall back to free flow, seconds. */
  readonly maxSpeedAgeS: number;
  /** Charge OSRM-style turn penalties at every node. */
  readonly turnPenalties: boolean;
  /** Charge Webster's uniform delay at every signal passed. */
  readonly signalDelay: boolean;
}

/** Expected seconds of waiting at a signal for a vehicle on an approach (the coordinator's `expectedDelayS`). */
export type SignalDelay = (intersectionId: string, approachLinkId: string) => number;

/** General traffic's costs: live (expiring) link times, turn penalties and signal delays. */
export function trafficRouteOptions(network: RoadNetwork, nowMs: number, options: RoutingCostOptions, signalDelay: SignalDelay): RouteOptions {
  const maxAgeMs = options.maxSpeedAgeS * 1000;
  return {
    travelTimeS: (link) => network.travelTimeAtS(link.id, nowMs, maxAgeMs),
    turnCostS: options.turnPenalties || options.signalDelay ? (from, to) => turnCost(network, from, to, options.turnPenalties) + (options.signalDelay ? delayAt(network, from, signalDelay) : 0) : undefined,
  };
}

/**
 * An emergency vehicle's costs: its own speed model on each link's live speed, and turn
 * penalties, but no signal delay: its corridor turns the signals green. Dijkstra, because the
 * vehicle may beat free flow, which A*'s bound assumes nobody does.
 */
export function emergencyRouteOptions(network: RoadNetwork, nowMs: number, options: RoutingCostOptions, model: EmergencySpeedModel): RouteOptions {
  const maxAgeMs = options.maxSpeedAgeS * 1000;
  return {
    algorithm: 'dijkstra',
    travelTimeS: (link) => emergencyLinkTimeS(network, link, nowMs, maxAgeMs, model),
    turnCostS: options.turnPenalties ? (from, to) => turnCost(network, from, to, true) : undefined,
  };
}

/** Seconds an emergency vehicle needs for a link, from the link's live speed. */
export function emergencyLinkTimeS(network: RoadNetwork, link: LinkSpec, nowMs: number, maxAgeMs: number, model: EmergencySpeedModel): number {
  const trafficKph = Math.max(MIN_LINK_SPEED_KPH, network.linkSpeedAtKph(link.id, nowMs, maxAgeMs));
  return link.lengthM / (emergencySpeedKph(link.freeFlowSpeedKph, trafficKph, model) / 3.6);
}

/** The turn penalty for going from one link onto the next. */
export function turnCost(network: RoadNetwork, from: LinkSpec, to: LinkSpec, enabled: boolean): number {
  if (!enabled) return 0;
  const a = network.node(from.from)!;
  const b = network.node(from.to)!;
  const c = network.node(to.to)!;
  return turnPenaltyS(turnAngleDeg(bearingDeg(a, b), bearingDeg(b, c)));
}

function delayAt(network: RoadNetwork, approach: LinkSpec, signalDelay: SignalDelay): number {
  const intersection = network.intersectionAtNode(approach.to);
  return intersection === undefined ? 0 : signalDelay(intersection.id, approach.id);
}
