import type { Clock, TimerHandle } from '@polis/plugin-api';
import type { SignalState } from './algorithms/corridor-plan.js';
import { TrafficInputError } from './algorithms/errors.js';
import type { IntersectionSpec } from './algorithms/road-network.js';
import type { LiveTraffic } from './live-traffic.js';
import { SignalController } from './signal-controller.js';
import type { Preemption } from './signal-controller.js';
import { gatePlan } from './algorithms/inflow-gating.js';
import { planChanged, planSignal } from './signal-plan.js';
import type { SignalPlan, SignalTimingOptions } from './signal-plan.js';

export interface SignalCoordinatorOptions extends SignalTimingOptions {
  /** See `planChanged`. */
  readonly retimeThresholdS: number;
}

/**
 * Runs every intersection's controller: at the end of each cycle it recomputes Webster's plan
 * from the latest measured flows and adopts it (calling `onRetimed`) when it has changed; it
 * suspends a controller's cycle for a pre-emption and resumes it on restore.
 */
export class SignalCoordinator {
  readonly #live: LiveTraffic;
  readonly #clock: Clock;
  readonly #options: SignalCoordinatorOptions;
  readonly #onRetimed: (intersection: IntersectionSpec, plan: SignalPlan) => void | Promise<unknown>;
  readonly #controllers = new Map<string, SignalController>();
  readonly #cycleTimers = new Map<string, TimerHandle>();
  readonly #gates = new Map<string, { readonly phases: ReadonlySet<number>; readonly factor: number }>();

  /**
   * Plans every intersection from the flows known so far (none: each phase gets an equal share)
   * and starts its controller, so signal states exist before the cycle timers run.
   *
   * @throws {TrafficInputError} when the timing options give a phase a negative lost time.
   */
  constructor(live: LiveTraffic, clock: Clock, options: SignalCoordinatorOptions, onRetimed: (intersection: IntersectionSpec, plan: SignalPlan) => void | Promise<unknown>) {
    this.#live = live;
    this.#clock = clock;
    this.#options = options;
    this.#onRetimed = onRetimed;
    const nowMs = clock.now();
    for (const intersection of live.network.intersections) {
      this.#controllers.set(intersection.id, new SignalController(intersection, this.#plan(intersection), nowMs));
    }
  }

  /** Starts every controller's cycle, and its timer, now. */
  start(): void {
    const nowMs = this.#clock.now();
    for (const controller of this.#controllers.values()) this.#runCycle(controller, nowMs);
  }

  /** What each of these intersections shows now. */
  statesNow(intersectionIds: readonly string[]): SignalState[] {
    const nowMs = this.#clock.now();
    return intersectionIds.map((id) => this.#controller(id).stateAt(nowMs));
  }

  /** Pre-empts an intersection now for a corridor; its cycle is suspended until `restore`. */
  preempt(intersectionId: string, phaseId: string, corridorId: string, holdUntilMs: number): Preemption {
    this.#cancelCycle(intersectionId);
    return this.#controller(intersectionId).preempt(corridorId, phaseId, this.#clock.now(), holdUntilMs);
  }

  /** Resumes normal operation after `corridorId`'s pre-emption; false if another corridor holds the signal now. */
  restore(intersectionId: string, corridorId: string): boolean {
    const controller = this.#controller(intersectionId);
    if (!controller.restore(corridorId)) return false;
    this.#runCycle(controller, this.#clock.now());
    return true;
  }

  /**
   * Gates an intersection's phases (indices) to `factor` of their green from its next cycle on,
   * or ends its gating (`undefined`); see `gatePlan`.
   */
  setGate(intersectionId: string, gate: { readonly phases: ReadonlySet<number>; readonly factor: number } | undefined): void {
    this.#controller(intersectionId);
    if (gate === undefined) this.#gates.delete(intersectionId);
    else this.#gates.set(intersectionId, gate);
  }

  #runCycle(controller: SignalController, atMs: number): void {
    const endMs = controller.startCycle(atMs);
    // The next cycle starts at this one's planned end, not when the timer happens to run, so
    // cycles do not drift.
    this.#cycleTimers.set(controller.intersection.id, this.#clock.setTimeout(() => this.#endCycle(controller, endMs), endMs - this.#clock.now()));
  }

  /** Returns the retimed publication, if any, so the timer reports its failure. */
  #endCycle(controller: SignalController, endMs: number): void | Promise<unknown> {
    const plan = this.#plan(controller.intersection);
    const changed = planChanged(controller.plan, plan, this.#options.retimeThresholdS);
    if (changed) controller.retime(plan);
    this.#runCycle(controller, endMs);
    return changed ? this.#onRetimed(controller.intersection, plan) : undefined;
  }

  #cancelCycle(intersectionId: string): void {
    const timer = this.#cycleTimers.get(intersectionId);
    if (timer === undefined) return;
    this.#clock.clearTimer(timer);
    this.#cycleTimers.delete(intersectionId);
  }

  #plan(intersection: IntersectionSpec): SignalPlan {
    const plan = planSignal(intersection, (phase) => this.#live.laneFlowsVph(phase.links), this.#options);
    const gate = this.#gates.get(intersection.id);
    return gate === undefined ? plan : { ...plan, ...gatePlan(plan.greensS, intersection.phases, gate.phases, gate.factor, intersection.minCycleS) };
  }

  #controller(intersectionId: string): SignalController {
    const controller = this.#controllers.get(intersectionId);
    if (controller === undefined) throw new TrafficInputError('intersectionId', `unknown intersection ${JSON.stringify(intersectionId)}`);
    return controller;
  }
}
