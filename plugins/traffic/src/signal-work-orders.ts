import { citizen } from '@polis/contracts';
import { Type } from '@polis/plugin-api';
import type { Clock, CloudEvent, EventData, Static } from '@polis/plugin-api';
import { haversineM } from './algorithms/geo.js';
import type { RoadNetwork } from './algorithms/road-network.js';

/** How traffic's signal crew answers a work order for a broken signal. */
export const WorkOrdersConfig = Type.Object(
  {
    /** From taking the order to the crew at the signal. */
    travelS: Type.Number({ minimum: 0, default: 600 }),
    /** At the signal until it runs its plan again. */
    repairS: Type.Number({ minimum: 0, default: 1800 }),
    /** A reported position farther than this from every signal is no signal of the city's. */
    maxDistanceM: Type.Number({ exclusiveMinimum: 0, default: 300 }),
  },
  { default: {} },
);
export type WorkOrdersConfig = Static<typeof WorkOrdersConfig>;

type Progress = EventData<typeof citizen.CaseProgressed>;
type Order = EventData<typeof citizen.CaseRouted>;

/** One answer to a work order, sent this long after it arrived. */
export interface WorkOrderStep {
  readonly afterS: number;
  readonly progress: Progress;
}

/**
 * A broken-signal order: the crew takes it for the signalised intersection nearest the reported
 * position, is on site after `travelS` and has the signal back on its plan after `repairS`.
 * Traffic knows nothing of who filed it: a work order is a contract like any other.
 */
export function signalRepairSteps(network: RoadNetwork, order: Order, config: WorkOrdersConfig): WorkOrderStep[] {
  const step = (afterS: number, status: Progress['status'], note: string): WorkOrderStep => ({ afterS, progress: { caseId: order.caseId, department: 'traffic', status, note } });
  let nearest: { id: string; m: number } | undefined;
  for (const intersection of network.intersections) {
    const node = network.node(intersection.node);
    if (node === undefined) continue;
    const m = haversineM(order.position, node);
    if (nearest === undefined || m < nearest.m) nearest = { id: intersection.id, m };
  }
  if (nearest === undefined || nearest.m > config.maxDistanceM) {
    return [step(0, 'resolved', `no signal of the city within ${config.maxDistanceM} m of the reported place; nothing to repair`)];
  }
  return [
    step(0, 'acknowledged', `signal crew assigned to ${nearest.id} (${Math.round(nearest.m)} m from the report)`),
    step(config.travelS, 'in_progress', `signal crew at ${nearest.id}, repairing`),
    step(config.travelS + config.repairS, 'resolved', `signal ${nearest.id} repaired and back on its plan`),
  ];
}

/** Sends the first step now (in the handler's scope) and the rest on the plugin clock, in the order's chain; returns the timers. */
export async function answerWorkOrder(
  steps: readonly WorkOrderStep[],
  order: CloudEvent,
  clock: Clock,
  publish: (progress: Progress, cause: CloudEvent | undefined) => Promise<unknown>,
): Promise<object[]> {
  const [first, ...later] = steps;
  if (first !== undefined) await publish(first.progress, undefined);
  return later.map((step) => clock.setTimeout(() => void publish(step.progress, order), step.afterS * 1000));
}
