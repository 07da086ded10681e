import { requireNumber } from './number-checks.js';

/** How an emergency vehicle's speed on a link follows the link's traffic. */
export interface EmergencySpeedModel {
  /** On an empty road the vehicle drives this multiple of the free-flow speed (sirens may exceed the limit). */
  readonly speedFactor: number;
  /**
   * In congestion traffic makes way, so the vehicle slows less than the traffic: its speed scales
   * with (traffic speed / free flow) to this power (0: never slowed, 1: as slow as the traffic).
   */
  readonly congestionExponent: number;
  /** Never faster than this, km/h. */
  readonly maxSpeedKph: number;
}

/**
 * Defaults matched to the SUMO evaluation's emergency vehicle type (speed factor 1.2 of the
 * limit, and traffic that moves aside when it can): see docs/traffic-evaluation.md for how close
 * the model's ETAs come to the simulated trips.
 */
export const DEFAULT_EMERGENCY_SPEED_MODEL: EmergencySpeedModel = { speedFactor: 1.2, congestionExponent: 0.5, maxSpeedKph: 100 };

/**
 * An emergency vehicle's speed on a link, km/h: speedFactor x free flow x (traffic / free flow)
 * ^ congestionExponent, capped at maxSpeedKph. Worked example (defaults): a 50 km/h street
 * flowing freely gives 60 km/h; at 12.5 km/h (a quarter of free flow) 60 x 0.5 = 30 km/h.
 *
 * Planning a corridor with general traffic's ETAs would open every window too late on a free
 * road and too early in a jam; this model is what the corridor planner uses.
 *
 * @throws {TrafficInputError} for speeds <= 0 or a model out of range.
 */
export function emergencySpeedKph(freeFlowSpeedKph: number, trafficSpeedKph: number, model: EmergencySpeedModel = DEFAULT_EMERGENCY_SPEED_MODEL): number {
  requireNumber(freeFlowSpeedKph, 'freeFlowSpeedKph', { above: 0 });
  requireNumber(trafficSpeedKph, 'trafficSpeedKph', { above: 0 });
  requireNumber(model.speedFactor, 'model.speedFactor', { above: 0 });
  requireNumber(model.congestionExponent, 'model.congestionExponent', { min: 0, max: 1 });
  requireNumber(model.maxSpeedKph, 'model.maxSpeedKph', { above: 0 });
  const ratio = Math.min(1, trafficSpeedKph / freeFlowSpeedKph);
  return Math.min(model.maxSpeedKph, model.speedFactor * freeFlowSpeedKph * ratio ** model.congestionExponent);
}
