import { environment } from '@polis/contracts';
import type { traffic } from '@polis/contracts';
import type { EventData, Static } from '@polis/plugin-api';
import { boundarySignals } from './algorithms/inflow-gating.js';
import type { BoundarySignal } from './algorithms/inflow-gating.js';
import type { RoadNetwork } from './algorithms/road-network.js';

type Severity = Static<typeof environment.AlertSeverity>;
type Gate = { readonly phases: ReadonlySet<number>; readonly factor: number };

export interface AirQualityGatingOptions {
  /** Least alert severity that gates the area's inflow. */
  readonly minSeverity: Severity;
  /** Share of Webster's green the gated phases keep. */
  readonly greenFactor: number;
}

/** What an alert event does to the gates: an event to publish, then `commit` applies it. */
export interface GatingOutcome {
  readonly gated?: EventData<typeof traffic.InflowGated>;
  readonly released?: EventData<typeof traffic.InflowReleased>;
  /** The gate each touched intersection has from now on (undefined: none). */
  readonly gates: ReadonlyMap<string, Gate | undefined>;
  readonly commit: () => void;
}

/**
 * Perimeter gating for air quality: while an alert of at least `minSeverity` covers an area, the
 * signals at its boundary give the roads coming in less green (see `gatePlan`), so less traffic
 * enters the polluted area and queues wait at its edge. Overlapping alerts gate the union of
 * their phases; a signal is released when no alert gates it any more.
 */
export class AirQualityGating {
  readonly #network: RoadNetwork;
  readonly #options: AirQualityGatingOptions;
  /** Alerts gating now, with the boundary signals of their areas. */
  readonly #active = new Map<string, readonly BoundarySignal[]>();

  constructor(network: RoadNetwork, options: AirQualityGatingOptions) {
    this.#network = network;
    this.#options = options;
  }

  /** An alert was raised or re-graded: gates its area if it is severe enough, releases it if no longer. */
  alerted(alert: EventData<typeof environment.AlertRaised>): GatingOutcome {
    const severeEnough = environment.ALERT_SEVERITIES.indexOf(alert.severity) >= environment.ALERT_SEVERITIES.indexOf(this.#options.minSeverity);
    if (!severeEnough) return this.cleared(alert.alertId);
    if (this.#active.has(alert.alertId)) return this.#outcome(new Map(this.#active), []);
    const signals = boundarySignals(this.#network, (point) => environment.areaContains(alert.area, point));
    if (signals.length === 0) return this.#outcome(new Map(this.#active), []);
    const active = new Map(this.#active).set(alert.alertId, signals);
    return {
      ...this.#outcome(active, signals),
      gated: {
        alertId: alert.alertId,
        signals: signals.map((signal) => ({ intersectionId: signal.intersectionId, phaseIds: signal.phases.map((i) => this.#phaseId(signal.intersectionId, i)), greenFactor: this.#options.greenFactor })),
      },
    };
  }

  /** An alert ended (or fell below `minSeverity`): its signals go back to their plans unless another alert gates them. */
  cleared(alertId: string): GatingOutcome {
    const signals = this.#active.get(alertId);
    if (signals === undefined) return this.#outcome(new Map(this.#active), []);
    const active = new Map(this.#active);
    active.delete(alertId);
    return { ...this.#outcome(active, signals), released: { alertId, intersectionIds: signals.map((signal) => signal.intersectionId) } };
  }

  #outcome(active: Map<string, readonly BoundarySignal[]>, touched: readonly BoundarySignal[]): GatingOutcome {
    const gates = new Map<string, Gate | undefined>();
    for (const { intersectionId } of touched) {
      const phases = new Set([...active.values()].flatMap((signals) => signals.filter((signal) => signal.intersectionId === intersectionId).flatMap((signal) => signal.phases)));
      gates.set(intersectionId, phases.size === 0 ? undefined : { phases, factor: this.#options.greenFactor });
    }
    return {
      gates,
      commit: () => {
        this.#active.clear();
        for (const [id, signals] of active) this.#active.set(id, signals);
      },
    };
  }

  #phaseId(intersectionId: string, index: number): string {
    return this.#network.intersections.find((intersection) => intersection.id === intersectionId)!.phases[index]!.id;
  }
}
