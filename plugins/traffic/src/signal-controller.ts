import { preemptedGreenS } from './algorithms/corridor-plan.js';
import type { SignalInterval, SignalState } from './algorithms/corridor-plan.js';
import { TrafficInputError } from './algorithms/errors.js';
import type { IntersectionSpec } from './algorithms/road-network.js';
import type { SignalPlan } from './signal-plan.js';

/** One interval the controller shows, in epoch ms; never empty. */
interface Segment {
  readonly phaseIndex: number;
  readonly interval: SignalInterval;
  readonly startMs: number;
  readonly endMs: number;
}

/** How the controller will run a pre-emption. */
export interface Preemption {
  /** When the held phase shows green (earlier if it was already green). */
  readonly greenFromMs: number;
  /** The held green ends here; its full yellow and all-red follow. */
  readonly holdUntilMs: number;
  /** Normal operation resumes here. */
  readonly restoreAtMs: number;
}

/**
 * What one intersection's controller shows, over time: its plan's cycle (each phase's green,
 * yellow and all-red, in phase order), or a pre-emption that holds one phase green. A
 * pre-emption never cuts a running min green, yellow or all-red short.
 */
export class SignalController {
  readonly intersection: IntersectionSpec;
  #plan: SignalPlan;
  #segments: Segment[] = [];
  /** Set while the plan runs, whose cycle repeats; unset during a pre-emption. */
  #cycleMs: number | undefined;
  /** The phase a cycle starts with: after a pre-emption, the one after the held phase. */
  #firstPhase = 0;
  #preemptedBy: string | undefined;
  #heldPhase = 0;

  /** Starts the first cycle of `plan` at `startMs`. */
  constructor(intersection: IntersectionSpec, plan: SignalPlan, startMs: number) {
    this.intersection = intersection;
    this.#plan = plan;
    this.startCycle(startMs);
  }

  get plan(): SignalPlan {
    return this.#plan;
  }

  /** The corridor holding this signal, if any. */
  get preemptedBy(): string | undefined {
    return this.#preemptedBy;
  }

  /** Replaces the plan; it takes effect at the next cycle. */
  retime(plan: SignalPlan): void {
    this.#plan = plan;
  }

  /** Runs one cycle of the plan from `atMs`; returns when it ends. */
  startCycle(atMs: number): number {
    const phases = this.intersection.phases;
    const segments: Segment[] = [];
    let timeMs = atMs;
    for (let k = 0; k < phases.length; k++) {
      const index = (this.#firstPhase + k) % phases.length;
      timeMs = push(segments, index, 'green', timeMs, this.#plan.greensS[index]! * 1000);
      timeMs = this.#clearance(segments, index, timeMs);
    }
    this.#segments = segments;
    this.#cycleMs = timeMs - atMs;
    return timeMs;
  }

  /** The phase and interval showing at `atMs`, and for how long it has been. */
  stateAt(atMs: number): SignalState {
    const segment = this.#segmentAt(atMs);
    return {
      intersectionId: this.intersection.id,
      phaseId: this.intersection.phases[segment.phaseIndex]!.id,
      interval: segment.interval,
      elapsedS: Math.max(0, atMs - segment.startMs) / 1000,
    };
  }

  /**
   * From `atMs`, switches to `phaseId` as soon as the running interval allows (a conflicting
   * green runs to its min green, then its full yellow and all-red) and holds it green until
   * `holdUntilMs` (or until it turns green, if later). A later pre-emption replaces this one.
   *
   * @throws {TrafficInputError} when the intersection has no such phase.
   */
  preempt(corridorId: string, phaseId: string, atMs: number, holdUntilMs: number): Preemption {
    const phases = this.intersection.phases;
    const target = phases.findIndex((phase) => phase.id === phaseId);
    if (target < 0) throw new TrafficInputError('phaseId', `intersection ${JSON.stringify(this.intersection.id)} has no phase ${JSON.stringify(phaseId)}`);
    const now = this.#segmentAt(atMs);
    const segments: Segment[] = [];
    let greenFromMs = now.startMs;
    if (now.interval !== 'green' || now.phaseIndex !== target) {
      const running = phases[now.phaseIndex]!;
      // Never before atMs: a pre-emption past its end whose restore is still due shows its last all-red.
      const runningEndMs = Math.max(atMs, now.interval === 'green' ? now.startMs + preemptedGreenS(running, (atMs - now.startMs) / 1000) * 1000 : now.endMs);
      greenFromMs = push(segments, now.phaseIndex, now.interval, now.startMs, runningEndMs - now.startMs);
      if (now.interval === 'green') greenFromMs = this.#clearance(segments, now.phaseIndex, greenFromMs);
      else if (now.interval === 'yellow') greenFromMs = push(segments, now.phaseIndex, 'all-red', greenFromMs, running.allRedS * 1000);
    }
    const heldUntilMs = Math.max(holdUntilMs, greenFromMs);
    push(segments, target, 'green', greenFromMs, heldUntilMs - greenFromMs);
    const restoreAtMs = this.#clearance(segments, target, heldUntilMs);
    this.#segments = segments;
    this.#cycleMs = undefined;
    this.#preemptedBy = corridorId;
    this.#heldPhase = target;
    return { greenFromMs, holdUntilMs: heldUntilMs, restoreAtMs };
  }

  /**
   * Moves the end of `corridorId`'s held green to `holdUntilMs` (not before `atMs`, nor before
   * the green starts): a closed-loop corridor holds the green until the vehicle has actually
   * passed. Undefined when the signal is not held by that corridor or its green has ended.
   */
  extendHold(corridorId: string, holdUntilMs: number, atMs: number): Preemption | undefined {
    if (this.#preemptedBy !== corridorId) return undefined;
    const held = this.#segments.findIndex((segment) => segment.interval === 'green' && segment.phaseIndex === this.#heldPhase);
    const green = this.#segments[held];
    if (green === undefined || green.endMs < atMs) return undefined;
    const segments = this.#segments.slice(0, held);
    const endMs = Math.max(holdUntilMs, atMs, green.startMs);
    push(segments, this.#heldPhase, 'green', green.startMs, endMs - green.startMs);
    const restoreAtMs = this.#clearance(segments, this.#heldPhase, endMs);
    this.#segments = segments;
    return { greenFromMs: green.startMs, holdUntilMs: endMs, restoreAtMs };
  }

  /**
   * Gap-out: ends the running green at `atMs` when it has run its min green, and runs the rest of
   * the cycle that much earlier, so the cycle ends early (the plan's green is the max green).
   * Returns the cycle's new end; undefined when nothing changed (a pre-emption, a single phase, no
   * green running, or its min green not yet served).
   */
  gapOut(atMs: number): number | undefined {
    if (this.#cycleMs === undefined || this.intersection.phases.length === 1) return undefined;
    const k = this.#segments.findIndex((segment) => atMs >= segment.startMs && atMs < segment.endMs);
    const green = this.#segments[k];
    if (green === undefined || green.interval !== 'green') return undefined;
    if (atMs - green.startMs < this.intersection.phases[green.phaseIndex]!.minGreenS * 1000) return undefined;
    const savedMs = green.endMs - atMs;
    this.#segments = this.#segments.map((segment, i) =>
      i < k ? segment : i === k ? { ...segment, endMs: atMs } : { ...segment, startMs: segment.startMs - savedMs, endMs: segment.endMs - savedMs },
    );
    this.#cycleMs -= savedMs;
    return this.#segments.at(-1)!.endMs;
  }

  /** The intervals planned from `fromMs` on (the running one first), until the cycle or pre-emption ends. */
  intervalsFrom(fromMs: number): { readonly phaseId: string; readonly interval: SignalInterval; readonly startMs: number; readonly endMs: number }[] {
    return this.#segments.filter((segment) => segment.endMs > fromMs).map((segment) => ({ ...segment, phaseId: this.intersection.phases[segment.phaseIndex]!.id }));
  }

  /** Seconds from the start of a cycle to the start of this phase's green, in the order the next cycle runs. */
  phaseStartInCycleS(phaseIndex: number): number {
    const phases = this.intersection.phases;
    let startS = 0;
    for (let k = 0; k < phases.length; k++) {
      const index = (this.#firstPhase + k) % phases.length;
      if (index === phaseIndex) return startS;
      startS += this.#plan.greensS[index]! + phases[index]!.yellowS + phases[index]!.allRedS;
    }
    return startS;
  }

  /**
   * Ends `corridorId`'s pre-emption: the next cycle starts with the phase after the held one,
   * which has waited longest. False when another corridor has taken the signal over since.
   */
  restore(corridorId: string): boolean {
    if (this.#preemptedBy !== corridorId) return false;
    this.#preemptedBy = undefined;
    this.#firstPhase = (this.#heldPhase + 1) % this.intersection.phases.length;
    return true;
  }

  /**
   * Appends a phase's full yellow and all-red; returns when they end. A single phase (all its
   * movements compatible, see `mergeCompatiblePhases`) has nothing to clear for: its green runs on.
   */
  #clearance(segments: Segment[], phaseIndex: number, fromMs: number): number {
    if (this.intersection.phases.length === 1) return fromMs;
    const phase = this.intersection.phases[phaseIndex]!;
    const redFromMs = push(segments, phaseIndex, 'yellow', fromMs, phase.yellowS * 1000);
    return push(segments, phaseIndex, 'all-red', redFromMs, phase.allRedS * 1000);
  }

  /**
   * The segment showing at `atMs`. While the plan runs its cycle repeats, so a time past the
   * cycle's end (a late timer) maps onto the repetition that contains it; a pre-emption past
   * its end keeps showing its last interval until it is restored.
   */
  #segmentAt(atMs: number): Segment {
    const first = this.#segments[0]!;
    const last = this.#segments.at(-1)!;
    const shiftMs = this.#cycleMs !== undefined && atMs >= last.endMs ? Math.floor((atMs - first.startMs) / this.#cycleMs) * this.#cycleMs : 0;
    const segment = this.#segments.find((candidate) => atMs - shiftMs < candidate.endMs) ?? last;
    return shiftMs === 0 ? segment : { ...segment, startMs: segment.startMs + shiftMs, endMs: segment.endMs + shiftMs };
  }
}

/** Appends an interval unless it is empty (a phase may have no all-red); returns when it ends. */
function push(segments: Segment[], phaseIndex: number, interval: SignalInterval, startMs: number, durationMs: number): number {
  if (durationMs > 0) segments.push({ phaseIndex, interval, startMs, endMs: startMs + durationMs });
  return startMs + durationMs;
}
