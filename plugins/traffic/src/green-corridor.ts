import type { traffic } from '@polis/contracts';
import type { Clock, EventData, TimerHandle } from '@polis/plugin-api';
import { planGreenCorridor, worstSwitchS } from './algorithms/corridor-plan.js';
import type { PreemptionWindow, SignalState, UnservedApproach } from './algorithms/corridor-plan.js';
import { haversineM } from './algorithms/geo.js';
import type { RoadNetwork } from './algorithms/road-network.js';
import type { Route, RouteOptions } from './algorithms/shortest-path.js';
import { findRoute } from './route-finder.js';
import type { SignalCoordinator } from './signal-coordinator.js';

type CorridorRequest = EventData<typeof traffic.CorridorRequested>;

export interface CorridorOptions {
  readonly leadTimeS: number;
  readonly clearTimeS: number;
  readonly maxSnapDistanceM: number;
  /** A closed-loop hold never lasts longer than this, seconds: a vehicle that stopped reporting must not hold a junction forever. */
  readonly maxHoldS: number;
}

/** A planned corridor: the `traffic.corridor.planned` data and the windows to run; or why there is none. */
export type CorridorOutcome =
  | {
      readonly ok: true;
      readonly planned: EventData<typeof traffic.CorridorPlanned>;
      readonly route: Route;
      readonly windows: readonly PreemptionWindow[];
      /** Signals on the route whose approach no phase serves: the vehicle meets them unassisted. */
      readonly unserved: readonly UnservedApproach[];
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Routes the vehicle from now with its own costs (`routeOptions`: the emergency-vehicle speed
 * model, turn penalties) and plans a pre-emption window for every signal on the route, from what
 * each signal shows now (`signalsNow`).
 */
export function planCorridor(
  request: CorridorRequest,
  network: RoadNetwork,
  signalsNow: (intersectionIds: readonly string[]) => SignalState[],
  nowMs: number,
  options: CorridorOptions,
  routeOptions: RouteOptions = {},
): CorridorOutcome {
  const search = findRoute(network, request.from, request.to, options.maxSnapDistanceM, routeOptions);
  if (!search.found) return { ok: false, reason: search.reason };
  const { route, lengthM } = search;
  // A fastest route never visits a node twice, so each signal appears once.
  const onRoute = route.nodes.slice(1).flatMap((node) => network.intersectionAtNode(node)?.id ?? []);
  const plan = planGreenCorridor({ network, route, departureMs: nowMs, leadTimeS: options.leadTimeS, clearTimeS: options.clearTimeS, signals: signalsNow(onRoute) });
  // Where the vehicle must wait for a green, every later arrival moves by the wait.
  const waitMs = plan.windows.reduce((total, window) => total + Math.max(0, window.greenFromMs - window.etaMs), 0);
  return {
    ok: true,
    planned: {
      corridorId: request.corridorId,
      vehicleId: request.vehicleId,
      nodes: [...route.nodes],
      lengthM,
      travelTimeS: route.totalTimeS + waitMs / 1000,
      signals: plan.windows.map((window) => ({
        intersectionId: window.intersectionId,
        phaseId: window.phaseId,
        etaAt: iso(window.etaMs),
        windowStart: iso(window.windowStartMs),
        windowEnd: iso(window.windowEndMs),
      })),
    },
    route,
    windows: plan.windows,
    unserved: plan.unserved,
  };
}

/** Where a running corridor's signal events go. */
export interface CorridorPublisher {
  preempted(data: EventData<typeof traffic.SignalPreempted>): Promise<unknown>;
  restored(data: EventData<typeof traffic.SignalRestored>): Promise<unknown>;
  arbitrated(data: EventData<typeof traffic.CorridorArbitrated>): Promise<unknown>;
}

interface RunningWindow {
  readonly window: PreemptionWindow;
  /** Index of the signal's node in the route. */
  readonly nodeIndex: number;
  /** Waiting for its window; holding the signal; the vehicle has passed and the held phase is clearing; over. */
  state: 'waiting' | 'held' | 'ending' | 'done';
  etaMs: number;
  heldSinceMs: number;
  timer: TimerHandle | undefined;
  arbitrated: boolean;
}

interface RunningCorridor {
  readonly corridorId: string;
  readonly vehicleId: string;
  readonly route: Route;
  readonly windows: RunningWindow[];
  readonly publisher: CorridorPublisher;
}

/** How often a corridor waiting for a signal another corridor holds asks again, ms. */
const ARBITRATION_RETRY_MS = 1000;

/**
 * Runs corridors. Open loop, each window runs on timers: at its start the signal is pre-empted,
 * and once the held phase's yellow and all-red after the window have run it is restored.
 * Closed loop, each position report of the vehicle replans what is left: signals it has passed
 * are restored at once, the holds and window starts ahead move to the ETAs from where it is now
 * (holds never beyond `maxHoldS`).
 *
 * Two corridors meeting at a signal: for the same phase the later one joins the hold (it takes
 * it over, holding until its own window ends); for a conflicting phase the corridor already
 * holding the signal keeps it until its vehicle has passed, and the other waits, retrying each
 * second, with one `traffic.corridor.arbitrated` saying so.
 */
export class CorridorRunner {
  readonly #network: RoadNetwork;
  readonly #signals: SignalCoordinator;
  readonly #clock: Clock;
  readonly #options: CorridorOptions;
  /** Seconds the vehicle needs for a link, from now (the planner's own costs). */
  readonly #linkTimeS: (linkId: string) => number;
  readonly #corridors = new Map<string, RunningCorridor>();

  constructor(network: RoadNetwork, signals: SignalCoordinator, clock: Clock, options: CorridorOptions, linkTimeS: (linkId: string) => number) {
    this.#network = network;
    this.#signals = signals;
    this.#clock = clock;
    this.#options = options;
    this.#linkTimeS = linkTimeS;
  }

  /** Starts a planned corridor's windows; a corridor of the same id already running is replaced. */
  start(corridorId: string, vehicleId: string, route: Route, windows: readonly PreemptionWindow[], publisher: CorridorPublisher): void {
    this.#stop(corridorId);
    const corridor: RunningCorridor = {
      corridorId,
      vehicleId,
      route,
      publisher,
      windows: windows.map((window) => ({ window, nodeIndex: route.nodes.indexOf(window.nodeId), state: 'waiting', etaMs: window.etaMs, heldSinceMs: 0, timer: undefined, arbitrated: false })),
    };
    this.#corridors.set(corridorId, corridor);
    for (const running of corridor.windows) this.#schedulePreempt(corridor, running, running.window.windowStartMs);
  }

  /**
   * A position report of a vehicle: replans every running corridor of that vehicle from it.
   * `linkId` and `offsetM` place it exactly; without them it is placed at the route's nearest node.
   */
  async vehicleReported(vehicleId: string, position: { readonly lat: number; readonly lon: number }, linkId: string | undefined, offsetM: number | undefined): Promise<void> {
    for (const corridor of [...this.#corridors.values()].filter((candidate) => candidate.vehicleId === vehicleId)) {
      const located = this.#locate(corridor.route, position, linkId, offsetM);
      if (located === undefined) continue;
      const nowMs = this.#clock.now();
      // Seconds from now to each node ahead, along the route.
      let aheadS = located.toNextNodeS;
      const arrivalMs = new Map<number, number>([[located.nextNodeIndex, nowMs + aheadS * 1000]]);
      for (let i = located.nextNodeIndex; i < corridor.route.links.length; i++) {
        aheadS += this.#linkTimeS(corridor.route.links[i]!);
        arrivalMs.set(i + 1, nowMs + aheadS * 1000);
      }
      for (const running of corridor.windows) {
        if (running.state === 'done' || running.state === 'ending') continue;
        if (running.nodeIndex < located.nextNodeIndex) {
          await this.#passed(corridor, running);
          continue;
        }
        running.etaMs = arrivalMs.get(running.nodeIndex)!;
        const holdUntilMs = Math.min(running.etaMs + this.#options.clearTimeS * 1000, (running.state === 'held' ? running.heldSinceMs : nowMs) + this.#options.maxHoldS * 1000);
        if (running.state === 'held') {
          const preemption = this.#signals.extendHold(running.window.intersectionId, corridor.corridorId, holdUntilMs);
          if (preemption !== undefined) this.#scheduleRestore(corridor, running, preemption.restoreAtMs);
        } else {
          const intersection = this.#network.intersections.find((candidate) => candidate.id === running.window.intersectionId)!;
          const phase = intersection.phases.find((candidate) => candidate.id === running.window.phaseId)!;
          this.#schedulePreempt(corridor, running, running.etaMs - (this.#options.leadTimeS + worstSwitchS(intersection, phase)) * 1000);
        }
      }
      if (corridor.windows.every((running) => running.state === 'done' || running.state === 'ending')) this.#corridors.delete(corridor.corridorId);
    }
  }

  #schedulePreempt(corridor: RunningCorridor, running: RunningWindow, atMs: number): void {
    if (running.timer !== undefined) this.#clock.clearTimer(running.timer);
    running.timer = this.#clock.setTimeout(() => this.#preempt(corridor, running), Math.max(0, atMs - this.#clock.now()));
  }

  async #preempt(corridor: RunningCorridor, running: RunningWindow): Promise<void> {
    running.timer = undefined;
    if (running.state !== 'waiting') return;
    const { intersectionId, phaseId } = running.window;
    const holder = this.#signals.heldBy(intersectionId);
    if (holder !== undefined && holder !== corridor.corridorId && this.#signals.heldPhase(intersectionId) !== phaseId) {
      running.timer = this.#clock.setTimeout(() => this.#preempt(corridor, running), ARBITRATION_RETRY_MS);
      if (!running.arbitrated) {
        running.arbitrated = true;
        const delayS = Math.max(0, (this.#holdEndMs(holder, intersectionId) - running.etaMs) / 1000);
        await corridor.publisher.arbitrated({ intersectionId, heldFor: holder, waiting: corridor.corridorId, delayS, reason: `${holder} holds ${intersectionId} for a conflicting phase and its vehicle has not passed` });
      }
      return;
    }
    const nowMs = this.#clock.now();
    const holdUntilMs = Math.min(Math.max(running.etaMs, running.window.greenFromMs) + this.#options.clearTimeS * 1000, nowMs + this.#options.maxHoldS * 1000);
    const preemption = this.#signals.preempt(intersectionId, phaseId, corridor.corridorId, holdUntilMs);
    running.state = 'held';
    running.heldSinceMs = nowMs;
    this.#scheduleRestore(corridor, running, preemption.restoreAtMs);
    await corridor.publisher.preempted({ corridorId: corridor.corridorId, intersectionId, phaseId, until: iso(preemption.holdUntilMs) });
  }

  #scheduleRestore(corridor: RunningCorridor, running: RunningWindow, atMs: number): void {
    if (running.timer !== undefined) this.#clock.clearTimer(running.timer);
    running.timer = this.#clock.setTimeout(() => this.#release(corridor, running), Math.max(0, atMs - this.#clock.now()));
  }

  /**
   * The vehicle is past the signal: a held green ends now and the signal is restored after the
   * held phase's yellow and all-red (never skipped); a window that never started is dropped.
   */
  async #passed(corridor: RunningCorridor, running: RunningWindow): Promise<void> {
    if (running.state !== 'held') return this.#release(corridor, running);
    const preemption = this.#signals.extendHold(running.window.intersectionId, corridor.corridorId, this.#clock.now());
    if (preemption === undefined) return this.#release(corridor, running);
    running.state = 'ending';
    this.#scheduleRestore(corridor, running, preemption.restoreAtMs);
  }

  /** Ends a window: restores the signal if this corridor still holds it, cancels it if it never started. */
  async #release(corridor: RunningCorridor, running: RunningWindow): Promise<void> {
    if (running.timer !== undefined) this.#clock.clearTimer(running.timer);
    running.timer = undefined;
    const wasHeld = running.state === 'held' || running.state === 'ending';
    running.state = 'done';
    if (wasHeld && this.#signals.restore(running.window.intersectionId, corridor.corridorId)) {
      await corridor.publisher.restored({ corridorId: corridor.corridorId, intersectionId: running.window.intersectionId });
    }
  }

  #holdEndMs(corridorId: string, intersectionId: string): number {
    const window = this.#corridors.get(corridorId)?.windows.find((running) => running.window.intersectionId === intersectionId);
    return window === undefined ? this.#clock.now() : window.etaMs + this.#options.clearTimeS * 1000;
  }

  /** Where on the route the vehicle is: the next node it will reach and how long until then. */
  #locate(route: Route, position: { readonly lat: number; readonly lon: number }, linkId: string | undefined, offsetM: number | undefined): { nextNodeIndex: number; toNextNodeS: number } | undefined {
    const onLink = linkId === undefined ? -1 : route.links.indexOf(linkId);
    if (onLink >= 0) {
      const link = this.#network.link(linkId!)!;
      const share = offsetM === undefined ? 0 : Math.min(1, offsetM / link.lengthM);
      return { nextNodeIndex: onLink + 1, toNextNodeS: this.#linkTimeS(link.id) * (1 - share) };
    }
    if (linkId !== undefined) return undefined;
    let nearest = 0;
    route.nodes.forEach((nodeId, i) => {
      if (haversineM(position, this.#network.node(nodeId)!) < haversineM(position, this.#network.node(route.nodes[nearest]!)!)) nearest = i;
    });
    return { nextNodeIndex: nearest, toNextNodeS: 0 };
  }

  #stop(corridorId: string): void {
    const corridor = this.#corridors.get(corridorId);
    if (corridor === undefined) return;
    for (const running of corridor.windows) if (running.timer !== undefined) this.#clock.clearTimer(running.timer);
    this.#corridors.delete(corridorId);
  }
}

function iso(timeMs: number): string {
  return new Date(timeMs).toISOString();
}
