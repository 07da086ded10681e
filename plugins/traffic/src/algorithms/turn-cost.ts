import { requireNumber } from './number-checks.js';

/** The turn penalty function's parameters (OSRM's car profile: 7.5 s, bias 1.075, U-turn 20 s). */
export interface TurnPenaltyOptions {
  /** The most a turn costs, seconds, approached by the sharpest turns. */
  readonly maxTurnS: number;
  /** > 1 makes right turns cheaper than left ones (right-hand traffic crosses no oncoming lane turning right). */
  readonly rightTurnBias: number;
  /** Added for a U-turn, seconds. */
  readonly uTurnS: number;
}

export const DEFAULT_TURN_PENALTY_OPTIONS: TurnPenaltyOptions = { maxTurnS: 7.5, rightTurnBias: 1.075, uTurnS: 20 };

/**
 * The turn angle from driving along bearing `inDeg` to driving along `outDeg`, degrees in
 * (-180, 180]: 0 straight on, positive to the right, negative to the left.
 */
export function turnAngleDeg(inDeg: number, outDeg: number): number {
  const angle = (((outDeg - inDeg) % 360) + 360) % 360;
  return angle > 180 ? angle - 360 : angle;
}

/**
 * Seconds a turn costs, as OSRM's car profile models it: a logistic curve in the turn angle,
 * near 0 straight on, about 2.1 s for a right-angle right turn and 5.4 s for a right-angle left
 * turn (right-hand traffic), approaching `maxTurnS`; plus `uTurnS` for a U-turn (|angle| > 170).
 * Routing with it prefers the straight route of two equally long ones, as drivers do.
 */
export function turnPenaltyS(angleDeg: number, options: TurnPenaltyOptions = DEFAULT_TURN_PENALTY_OPTIONS): number {
  requireNumber(angleDeg, 'angleDeg', { min: -180, max: 180 });
  const { maxTurnS, rightTurnBias: bias, uTurnS } = options;
  const logistic = angleDeg >= 0 ? maxTurnS / (1 + Math.exp(-((13 / bias) * (angleDeg / 180) - 6.5 * bias))) : maxTurnS / (1 + Math.exp(-((13 * bias) * (-angleDeg / 180) - 6.5 / bias)));
  return logistic + (Math.abs(angleDeg) > 170 ? uTurnS : 0);
}

/**
 * Webster's uniform delay at a signal, seconds per vehicle: d = C (1 - g/C)^2 / (2 (1 - y)),
 * with cycle C, effective green g of the approach's phase and its flow ratio y = q / s (the first
 * term of Webster's 1958 delay formula; the random and overflow terms matter only near capacity,
 * where the cap on y keeps it finite). Routing adds it at each signal a route passes through.
 *
 * Worked example: C = 60 s, g = 25 s, y = 0.3: 60 x (35/60)^2 / (2 x 0.7) = 14.58 s.
 */
export function uniformSignalDelayS(cycleS: number, greenS: number, flowRatio: number): number {
  requireNumber(cycleS, 'cycleS', { above: 0 });
  requireNumber(greenS, 'greenS', { min: 0, max: cycleS });
  requireNumber(flowRatio, 'flowRatio', { min: 0 });
  const redShare = 1 - greenS / cycleS;
  // Y near or over 1 makes the formula explode; 0.95 is where timing treats the approach as saturated.
  return (cycleS * redShare * redShare) / (2 * (1 - Math.min(flowRatio, 0.95)));
}
