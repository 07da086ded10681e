import type { Clock, TimerHandle } from '@polis/plugin-api';
import { greenWaveOffsets, offsetCorrectionS } from './algorithms/arterial-offsets.js';
import type { SignalInterval, SignalState } from './algorithms/corridor-plan.js';
import { TrafficInputError } from './algorithms/errors.js';
import type { TransitionLimits } from './algorithms/plan-transition.js';
import { uniformSignalDelayS } from './algorithms/turn-cost.js';
import { DEFAULT_SATURATION_FLOW_VPH_PER_LANE } from './algorithms/road-network.js';
import type { IntersectionSpec } from './algorithms/road-network.js';
import type { LiveTraffic } from './live-traffic.js';
import { SignalController } from './signal-controller.js';
import type { Preemption } from './signal-controller.js';
import { gatePlan } from './algorithms/inflow-gating.js';
import { planChanged, stepTowards, websterTarget } from './signal-plan.js';
import type { SignalPlan, SignalTimingOptions } from './signal-plan.js';

/** An arterial whose signals share one cycle and are offset for a green wave, in driving order. */
export interface ArterialGroup {
  readonly id: string;
  readonly intersections: readonly string[];
}

export interface SignalCoordinatorOptions extends SignalTimingOptions, TransitionLimits {
  /** See `planChanged`: a target this close to the running plan is not pursued. */
  readonly retimeThresholdS: number;
  readonly arterials: readonly ArterialGroup[];
}

/** What the coordinator reports as it runs. */
export interface SignalListener {
  retimed(intersection: IntersectionSpec, plan: SignalPlan): void | Promise<unknown>;
  /** Every interval as it starts (for field controllers and simulators to follow). */
  changed?(intersection: IntersectionSpec, change: { readonly phaseId: string; readonly interval: SignalInterval; readonly startMs: number; readonly endMs: number; readonly corridorId: string | undefined }): void | Promise<unknown>;
}

interface ArterialMember {
  readonly group: ArterialGroup;
  /** The phase serving the arterial at this signal: the one whose approaches include the link from the previous signal. */
  readonly phaseIndex: number;
  readonly travelFromPreviousS: number;
}

/**
 * Runs every intersection's controller. At the end of each cycle it computes Webster's target
 * from the lanes' smoothed, fresh demand and moves the running plan a bounded step towards it
 * in whole seconds (calling `retimed` when it changed); the signals of an arterial share the
 * longest of their cycles and nudge their cycle starts towards green-wave offsets. It suspends a
 * controller's cycle for a pre-emption and resumes it on restore, and announces every interval.
 */
export class SignalCoordinator {
  readonly #live: LiveTraffic;
  readonly #clock: Clock;
  readonly #options: SignalCoordinatorOptions;
  readonly #listener: SignalListener;
  readonly #controllers = new Map<string, SignalController>();
  readonly #cycleTimers = new Map<string, TimerHandle>();
  readonly #intervalTimers = new Map<string, TimerHandle[]>();
  readonly #arterialOf = new Map<string, ArterialMember>();
  readonly #gates = new Map<string, { readonly phases: ReadonlySet<number>; readonly factor: number }>();
  #referenceMs: number;

  /**
   * Plans every intersection from the demand known so far (none: each phase gets an equal share)
   * and starts its controller, so signal states exist before the cycle timers run.
   *
   * @throws {TrafficInputError} when the timing options give a phase a negative lost time, or an
   * arterial names an unknown intersection or two that no link joins.
   */
  constructor(live: LiveTraffic, clock: Clock, options: SignalCoordinatorOptions, listener: SignalListener) {
    this.#live = live;
    this.#clock = clock;
    this.#options = options;
    this.#listener = listener;
    const nowMs = clock.now();
    this.#referenceMs = nowMs;
    for (const intersection of live.network.intersections) {
      this.#controllers.set(intersection.id, new SignalController(intersection, stepTowards(intersection, undefined, this.#target(intersection, nowMs), options), nowMs));
    }
    options.arterials.forEach((group, g) => this.#indexArterial(group, `arterials[${g}]`));
  }

  /** Starts every controller's cycle, and its timer, now. */
  start(): void {
    const nowMs = this.#clock.now();
    this.#referenceMs = nowMs;
    for (const controller of this.#controllers.values()) this.#runCycle(controller, nowMs);
  }

  /** What each of these intersections shows now. */
  statesNow(intersectionIds: readonly string[]): SignalState[] {
    const nowMs = this.#clock.now();
    return intersectionIds.map((id) => this.#controller(id).stateAt(nowMs));
  }

  /** The corridor holding an intersection, if any. */
  heldBy(intersectionId: string): string | undefined {
    return this.#controller(intersectionId).preemptedBy;
  }

  /** The phase a corridor holds at an intersection, if it holds one. */
  heldPhase(intersectionId: string): string | undefined {
    const controller = this.#controller(intersectionId);
    return controller.preemptedBy === undefined ? undefined : controller.stateAt(this.#clock.now()).phaseId;
  }

  /**
   * Webster's uniform delay, seconds, for a vehicle arriving on `approachLinkId` at the signal:
   * from the running plan's cycle and the green of the phase serving the approach, and the
   * approach's flow ratio. 0 for an approach no phase serves (it is not signal-controlled).
   */
  expectedDelayS(intersectionId: string, approachLinkId: string): number {
    const controller = this.#controller(intersectionId);
    const phases = controller.intersection.phases;
    const index = phases.findIndex((phase) => phase.links.includes(approachLinkId));
    if (index < 0) return 0;
    const phase = phases[index]!;
    const { cycleS, greensS } = controller.plan;
    const saturation = phase.saturationFlowVphPerLane ?? DEFAULT_SATURATION_FLOW_VPH_PER_LANE;
    const flowRatio = Math.max(0, ...this.#live.laneDemandsVph([approachLinkId], this.#clock.now(), saturation)) / saturation;
    return uniformSignalDelayS(cycleS, Math.min(cycleS, greensS[index]!), flowRatio);
  }

  /** Pre-empts an intersection now for a corridor; its cycle is suspended until `restore`. */
  preempt(intersectionId: string, phaseId: string, corridorId: string, holdUntilMs: number): Preemption {
    this.#cancelCycle(intersectionId);
    const controller = this.#controller(intersectionId);
    const preemption = controller.preempt(corridorId, phaseId, this.#clock.now(), holdUntilMs);
    this.#announce(controller);
    return preemption;
  }

  /** Moves the end of a corridor's hold (closed loop: until the vehicle has passed). */
  extendHold(intersectionId: string, corridorId: string, holdUntilMs: number): Preemption | undefined {
    const controller = this.#controller(intersectionId);
    const preemption = controller.extendHold(corridorId, holdUntilMs, this.#clock.now());
    if (preemption !== undefined) this.#announce(controller);
    return preemption;
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

  /**
   * Gap-out: ends the intersection's running green now if it has served its min green (see
   * `SignalController.gapOut`); its cycle then ends early. False when nothing changed.
   */
  gapOut(intersectionId: string): boolean {
    const controller = this.#controller(intersectionId);
    const endMs = controller.gapOut(this.#clock.now());
    if (endMs === undefined) return false;
    this.#cancelCycle(intersectionId);
    this.#announce(controller);
    this.#scheduleEnd(controller, endMs);
    return true;
  }

  #runCycle(controller: SignalController, atMs: number): void {
    const endMs = controller.startCycle(atMs);
    this.#announce(controller);
    this.#scheduleEnd(controller, endMs);
  }

  #scheduleEnd(controller: SignalController, endMs: number): void {
    // The next cycle starts at this one's planned end, not when the timer happens to run, so
    // cycles do not drift.
    this.#cycleTimers.set(controller.intersection.id, this.#clock.setTimeout(() => this.#endCycle(controller, endMs), endMs - this.#clock.now()));
  }

  /** Returns the retimed publication, if any, so the timer reports its failure. */
  #endCycle(controller: SignalController, endMs: number): void | Promise<unknown> {
    const intersection = controller.intersection;
    const running = controller.plan;
    const target = this.#coordinatedTarget(intersection, endMs);
    let plan = planChanged(running, target, this.#options.retimeThresholdS) ? stepTowards(intersection, running, target, this.#options) : running;
    plan = this.#towardsOffset(controller, plan, endMs);
    const changed = plan !== running && (plan.cycleS !== running.cycleS || plan.greensS.some((greenS, i) => greenS !== running.greensS[i]) || plan.overCapacity !== running.overCapacity);
    if (changed) controller.retime(plan);
    this.#runCycle(controller, endMs);
    return changed ? this.#listener.retimed(intersection, plan) : undefined;
  }

  /** Webster's target; on an arterial, stretched to the longest target cycle of the arterial. */
  #coordinatedTarget(intersection: IntersectionSpec, nowMs: number): SignalPlan {
    const target = this.#target(intersection, nowMs);
    const member = this.#arterialOf.get(intersection.id);
    if (member === undefined) return target;
    const commonS = Math.max(...member.group.intersections.map((id) => this.#target(this.#controller(id).intersection, nowMs).cycleS));
    if (commonS <= target.cycleS) return target;
    const clearanceS = intersection.phases.reduce((total, phase) => total + phase.yellowS + phase.allRedS, 0);
    const scale = (commonS - clearanceS) / Math.max(1e-9, target.cycleS - clearanceS);
    return { ...target, cycleS: commonS, greensS: target.greensS.map((greenS) => greenS * scale) };
  }

  /**
   * On an arterial, lengthens or shortens the plan (within the cycle step) so the next cycles
   * start closer to the green-wave offset; the correction goes to the phases off the arterial,
   * so the arterial's own green is never cut for it.
   */
  #towardsOffset(controller: SignalController, plan: SignalPlan, cycleStartMs: number): SignalPlan {
    const member = this.#arterialOf.get(controller.intersection.id);
    if (member === undefined) return plan;
    const signals = member.group.intersections.map((id) => {
      const other = this.#controller(id);
      const otherMember = this.#arterialOf.get(id)!;
      return { intersectionId: id, phaseStartS: other.phaseStartInCycleS(otherMember.phaseIndex), travelFromPreviousS: otherMember.travelFromPreviousS };
    });
    const offsets = greenWaveOffsets(signals, plan.cycleS);
    const correctionS = Math.round(offsetCorrectionS(cycleStartMs, this.#referenceMs, offsets.get(controller.intersection.id)!, plan.cycleS, this.#options.maxCycleStepS));
    if (correctionS === 0) return plan;
    const phases = controller.intersection.phases;
    const greensS = [...plan.greensS];
    let remaining = correctionS;
    for (let i = 0; i < phases.length && remaining !== 0; i++) {
      if (i === member.phaseIndex) continue;
      const changed = Math.max(phases[i]!.minGreenS, greensS[i]! + remaining);
      remaining -= changed - greensS[i]!;
      greensS[i] = changed;
    }
    const appliedS = correctionS - remaining;
    return { ...plan, cycleS: plan.cycleS + appliedS, greensS };
  }

  /** Schedules a `changed` report at the start of each interval the controller now plans. */
  #announce(controller: SignalController): void {
    const changed = this.#listener.changed;
    if (changed === undefined) return;
    const id = controller.intersection.id;
    for (const timer of this.#intervalTimers.get(id) ?? []) this.#clock.clearTimer(timer);
    const nowMs = this.#clock.now();
    const timers = controller.intervalsFrom(nowMs).filter((interval) => interval.startMs >= nowMs).map((interval) =>
      this.#clock.setTimeout(() => changed.call(this.#listener, controller.intersection, { ...interval, corridorId: controller.preemptedBy }), interval.startMs - this.#clock.now()),
    );
    this.#intervalTimers.set(id, timers);
  }

  #cancelCycle(intersectionId: string): void {
    const timer = this.#cycleTimers.get(intersectionId);
    if (timer === undefined) return;
    this.#clock.clearTimer(timer);
    this.#cycleTimers.delete(intersectionId);
  }

  /** Webster's target from the measured demand, with the intersection's inflow gate applied (see `setGate`). */
  #target(intersection: IntersectionSpec, nowMs: number): SignalPlan {
    const plan = websterTarget(intersection, (phase) => this.#live.laneDemandsVph(phase.links, nowMs, phase.saturationFlowVphPerLane ?? DEFAULT_SATURATION_FLOW_VPH_PER_LANE), this.#options);
    const gate = this.#gates.get(intersection.id);
    return gate === undefined ? plan : { ...plan, ...gatePlan(plan.greensS, intersection.phases, gate.phases, gate.factor, intersection.minCycleS) };
  }

  #indexArterial(group: ArterialGroup, path: string): void {
    const network = this.#live.network;
    group.intersections.forEach((id, i) => {
      const intersection = this.#controllers.get(id)?.intersection;
      if (intersection === undefined) throw new TrafficInputError(`${path}.intersections[${i}]`, `unknown intersection ${JSON.stringify(id)}`);
      if (i === 0) {
        // The first signal has no arterial approach in the wave's direction; both directions of
        // an arterial share its phase, so it is the one serving the link back from the second.
        const nextNode = this.#controllers.get(group.intersections[1] ?? '')?.intersection.node;
        const back = network.links.find((link) => link.from === nextNode && link.to === intersection.node);
        const phaseIndex = Math.max(0, intersection.phases.findIndex((phase) => back !== undefined && phase.links.includes(back.id)));
        this.#arterialOf.set(id, { group, phaseIndex, travelFromPreviousS: 0 });
        return;
      }
      const previousNode = this.#controllers.get(group.intersections[i - 1]!)!.intersection.node;
      const link = network.links.find((candidate) => candidate.from === previousNode && candidate.to === intersection.node);
      if (link === undefined) throw new TrafficInputError(`${path}.intersections[${i}]`, `no link leads from ${JSON.stringify(group.intersections[i - 1])} to ${JSON.stringify(id)}`);
      const phaseIndex = intersection.phases.findIndex((phase) => phase.links.includes(link.id));
      if (phaseIndex < 0) throw new TrafficInputError(`${path}.intersections[${i}]`, `no phase of ${JSON.stringify(id)} serves link ${JSON.stringify(link.id)}`);
      this.#arterialOf.set(id, { group, phaseIndex, travelFromPreviousS: link.lengthM / (link.freeFlowSpeedKph / 3.6) });
    });
  }

  #controller(intersectionId: string): SignalController {
    const controller = this.#controllers.get(intersectionId);
    if (controller === undefined) throw new TrafficInputError('intersectionId', `unknown intersection ${JSON.stringify(intersectionId)}`);
    return controller;
  }
}
