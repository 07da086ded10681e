import type { traffic } from '@polis/contracts';
import type { Clock, EventData } from '@polis/plugin-api';
import { planGreenCorridor } from './algorithms/corridor-plan.js';
import type { PreemptionWindow, SignalState, UnservedApproach } from './algorithms/corridor-plan.js';
import type { RoadNetwork } from './algorithms/road-network.js';
import { findRoute } from './route-finder.js';
import type { SignalCoordinator } from './signal-coordinator.js';

type CorridorRequest = EventData<typeof traffic.CorridorRequested>;

export interface CorridorOptions {
  readonly leadTimeS: number;
  readonly clearTimeS: number;
  readonly maxSnapDistanceM: number;
}

/** A planned corridor: the `traffic.corridor.planned` data and the windows to run; or why there is none. */
export type CorridorOutcome =
  | {
      readonly ok: true;
      readonly planned: EventData<typeof traffic.CorridorPlanned>;
      readonly windows: readonly PreemptionWindow[];
      /** Signals on the route whose approach no phase serves: the vehicle meets them unassisted. */
      readonly unserved: readonly UnservedApproach[];
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Routes the vehicle on live travel times from now and plans a pre-emption window for every
 * signal on the route, from what each signal shows now (`signalsNow`).
 */
export function planCorridor(
  request: CorridorRequest,
  network: RoadNetwork,
  signalsNow: (intersectionIds: readonly string[]) => SignalState[],
  nowMs: number,
  options: CorridorOptions,
): CorridorOutcome {
  const search = findRoute(network, request.from, request.to, options.maxSnapDistanceM);
  if (!search.found) return { ok: false, reason: search.reason };
  const { route, lengthM } = search;
  // A fastest route never visits a node twice, so each signal appears once.
  const onRoute = route.nodes.slice(1).flatMap((node) => network.intersectionAtNode(node)?.id ?? []);
  const plan = planGreenCorridor({
    network,
    route,
    departureMs: nowMs,
    leadTimeS: options.leadTimeS,
    clearTimeS: options.clearTimeS,
    signals: signalsNow(onRoute),
  });
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
    windows: plan.windows,
    unserved: plan.unserved,
  };
}

/** Where a running corridor's signal events go. */
export interface CorridorPublisher {
  preempted(data: EventData<typeof traffic.SignalPreempted>): Promise<unknown>;
  restored(data: EventData<typeof traffic.SignalRestored>): Promise<unknown>;
}

/**
 * Runs a corridor's windows on timers: at each window's start the signal is pre-empted; once
 * the held phase's yellow and all-red after the window have run, it is restored. A signal a
 * later corridor has taken over is restored by that corridor instead.
 */
export function runCorridor(corridorId: string, windows: readonly PreemptionWindow[], signals: SignalCoordinator, clock: Clock, publisher: CorridorPublisher): void {
  for (const window of windows) {
    const { intersectionId, phaseId } = window;
    clock.setTimeout(async () => {
      const preemption = signals.preempt(intersectionId, phaseId, corridorId, window.windowEndMs);
      clock.setTimeout(async () => {
        if (signals.restore(intersectionId, corridorId)) await publisher.restored({ corridorId, intersectionId });
      }, preemption.restoreAtMs - clock.now());
      await publisher.preempted({ corridorId, intersectionId, phaseId, until: iso(preemption.holdUntilMs) });
    }, window.windowStartMs - clock.now());
  }
}

function iso(timeMs: number): string {
  return new Date(timeMs).toISOString();
}
