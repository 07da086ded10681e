import { citizen, haversineM } from '@polis/contracts';
import { Type } from '@polis/plugin-api';
import type { Clock, CloudEvent, EventData, Static } from '@polis/plugin-api';
import type { IndexValue } from './alert-book.js';

/** How environment's inspectors answer a smoke or smell work order. */
export const WorkOrdersConfig = Type.Object(
  {
    /** From taking the order to the inspector on site. */
    travelS: Type.Number({ minimum: 0, default: 900 }),
    /** On site, sniffing and sampling, until the report. */
    inspectS: Type.Number({ minimum: 0, default: 1800 }),
  },
  { default: {} },
);
export type WorkOrdersConfig = Static<typeof WorkOrdersConfig>;

type Progress = EventData<typeof citizen.CaseProgressed>;
type Order = EventData<typeof citizen.CaseRouted>;

interface StationPlace {
  readonly id: string;
  readonly position: { readonly lat: number; readonly lon: number };
}

/**
 * Answers a smoke or smell order: an inspector is sent, is on site after `travelS`, and reports
 * after `inspectS` with what the station nearest the place measured then (its latest index), so
 * the requester hears what the city's instruments saw. Each note is written when it is sent.
 */
export async function answerSmellOrder(
  order: CloudEvent<Order>,
  stations: readonly StationPlace[],
  latest: (stationId: string) => IndexValue | undefined,
  config: WorkOrdersConfig,
  clock: Clock,
  publish: (progress: Progress, cause: CloudEvent | undefined) => Promise<unknown>,
): Promise<object[]> {
  const nearest = stations
    .map((station) => ({ id: station.id, m: haversineM(order.data.position, station.position) }))
    .sort((a, b) => a.m - b.m)[0];
  const progress = (status: Progress['status'], note: string): Progress => ({ caseId: order.data.caseId, department: 'environment', status, note });
  const reads = () => {
    if (nearest === undefined) return 'no station measures the air there';
    const index = latest(nearest.id);
    return index === undefined ? `station ${nearest.id} (${Math.round(nearest.m)} m away) has no index yet` : `station ${nearest.id} (${Math.round(nearest.m)} m away) reads AQI ${index.aqi}, ${index.category}`;
  };
  await publish(progress('acknowledged', `inspector sent; ${reads()}`), undefined);
  return [
    clock.setTimeout(() => void publish(progress('in_progress', 'inspector on site, sampling'), order), config.travelS * 1000),
    clock.setTimeout(() => void publish(progress('resolved', `inspection done; ${reads()}`), order), (config.travelS + config.inspectS) * 1000),
  ];
}
