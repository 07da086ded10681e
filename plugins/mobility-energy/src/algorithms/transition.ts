import type { GridLimits } from './allocate.js';
import { KW_EPSILON } from './allocate.js';
import { EnergyInputError } from './errors.js';

/** A session as the transition sees it: where it draws, and the least it can charge at. */
export interface TransitionSession {
  readonly feederId: string;
  readonly minKw: number;
  /** Priority rank (0 = emergency): when not every raise fits, higher ranks are raised first. */
  readonly rank: number;
}

/**
 * Which limits go down and which go up to move from the limits in force to a new allocation.
 * Lowering first, and raising only once the lowering is confirmed, means no feeder carries more
 * than its limit at any instant: while a charger has not confirmed its new limit, it may still
 * draw the old one.
 */
export function splitTransition(inForce: ArrayLike<number>, target: ArrayLike<number>): { readonly lower: number[]; readonly raise: number[] } {
  if (inForce.length !== target.length) throw new EnergyInputError('target', `has ${target.length} entries for ${inForce.length} sessions`);
  const lower: number[] = [];
  const raise: number[] = [];
  for (let i = 0; i < target.length; i++) {
    if (target[i]! < inForce[i]! - KW_EPSILON) lower.push(i);
    else if (target[i]! > inForce[i]! + KW_EPSILON) raise.push(i);
  }
  return { lower, raise };
}

/**
 * How far each raise may go now, given what the chargers have in force (each may draw up to its
 * limit): a raise gets its target if its feeder and transformer keep room for it, else what
 * room is left (if that reaches the session's minimum; otherwise it stays where it is). Raises
 * are granted highest priority first. After a confirmed lowering every raise fits, since the new
 * allocation does; a raise is cut only when a charger refused or missed its lower limit, and
 * then by exactly the excess that charger still draws.
 *
 * Returns the limit to send to each raised session, aligned with `raises`.
 */
export function fitRaises(limits: GridLimits, sessions: readonly TransitionSession[], inForce: ArrayLike<number>, target: ArrayLike<number>, raises: readonly number[]): Float64Array {
  const feederAt = new Map(limits.feeders.map((feeder, f) => [feeder.id, f]));
  const transformerAt = new Map(limits.transformers.map((transformer, t) => [transformer.id, t]));
  const feederRoom = Float64Array.from(limits.feeders, (feeder) => feeder.capKw);
  const transformerRoom = Float64Array.from(limits.transformers, (transformer) => transformer.capKw);
  const transformerOf = Int32Array.from(limits.feeders, (feeder, f) => {
    if (feeder.transformerId === undefined) return -1;
    const t = transformerAt.get(feeder.transformerId);
    if (t === undefined) throw new EnergyInputError(`feeders[${f}].transformerId`, `unknown transformer ${JSON.stringify(feeder.transformerId)}`);
    return t;
  });
  const feederOf = sessions.map((session, i) => {
    const f = feederAt.get(session.feederId);
    if (f === undefined) throw new EnergyInputError(`sessions[${i}].feederId`, `unknown feeder ${JSON.stringify(session.feederId)}`);
    return f;
  });
  for (let i = 0; i < sessions.length; i++) {
    const f = feederOf[i]!;
    // A charger over its target by no more than KW_EPSILON is settled (splitTransition does not
    // lower it): it counts at its target. Counted at what it draws, such rounding on a full feeder
    // left a raise a micro-watt short of its minimum, and the raise got nothing.
    const drawn = inForce[i]! - target[i]! <= KW_EPSILON ? Math.min(inForce[i]!, target[i]!) : inForce[i]!;
    feederRoom[f]! -= drawn;
    if (transformerOf[f]! >= 0) transformerRoom[transformerOf[f]!]! -= drawn;
  }
  const order = raises.map((_, k) => k).sort((a, b) => sessions[raises[a]!]!.rank - sessions[raises[b]!]!.rank || raises[a]! - raises[b]!);
  const granted = new Float64Array(raises.length);
  for (const k of order) {
    const i = raises[k]!;
    const f = feederOf[i]!;
    const t = transformerOf[f]!;
    const room = Math.max(0, t < 0 ? feederRoom[f]! : Math.min(feederRoom[f]!, transformerRoom[t]!));
    const wanted = target[i]! - inForce[i]!;
    let to = wanted <= room + KW_EPSILON ? target[i]! : inForce[i]! + room;
    if (to < sessions[i]!.minKw - KW_EPSILON) to = inForce[i]!; // a limit below the minimum charges nothing
    granted[k] = to;
    const extra = to - inForce[i]!;
    feederRoom[f]! -= extra;
    if (t >= 0) transformerRoom[t]! -= extra;
  }
  return granted;
}
