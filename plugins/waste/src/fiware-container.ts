import { fiwareEntityValidator } from '@polis/contracts';
import type { FiwareEntity } from '@polis/contracts';
import type { RejectionCode } from './reading-intake.js';

const validateWasteContainer = fiwareEntityValidator('WasteContainer');

/** The entity's attributes, first present wins, that time its fill level. */
const TIME_ATTRIBUTES = ['dateObserved', 'binLoggedTime', 'timeInstant', 'dateModified'] as const;

/** What waste takes from a WasteContainer entity. Attributes an entity does not carry are undefined. */
export interface ContainerReading {
  /** `fillingLevel` as a percentage, with the time it was logged. */
  readonly fill: { readonly fillPct: number; readonly timeMs: number; readonly timePath: string } | undefined;
  /** `binFullnessThreshold` (a percentage in the model's examples). */
  readonly thresholdPct: number | undefined;
  /** `dateLastEmptying`. */
  readonly emptiedAtMs: number | undefined;
  /** `cargoWeight`. */
  readonly weightKg: number | undefined;
  /** `temperature`. */
  readonly temperatureC: number | undefined;
  /** `status` (ok, lidOpen, dropped, moved, vandalized, burning, unknown). */
  readonly status: string | undefined;
}

export type ContainerOutcome =
  | { readonly ok: true; readonly reading: ContainerReading }
  | { readonly ok: false; readonly code: RejectionCode; readonly path: string; readonly reason: string };

/**
 * Reads a FIWARE WasteContainer entity in any of its three shapes (key-values, NGSI-v2 or NGSI-LD
 * normalized): converted to key-values and validated against the Smart Data Model, then the
 * attributes waste uses are taken. `fillingLevel` is a 0..1 fraction; it is timed by the first of
 * `dateObserved`, `binLoggedTime`, `timeInstant`, `dateModified`, else by the event's own time
 * (an NGSI notification is sent when the entity changes). Values the model allows but no bin can
 * have (a threshold over 100 %, a temperature of 500 C) are refused as OUT_OF_RANGE. Paths are
 * JSON Pointers into the event's data.
 */
export function readContainer(entity: FiwareEntity, eventTimeMs: number): ContainerOutcome {
  const validation = validateWasteContainer(entity);
  if (!validation.ok) return { ok: false, code: 'INVALID_ENTITY', path: validation.path, reason: validation.reason };
  const values = validation.values;
  const number = (name: string) => (typeof values[name] === 'number' ? (values[name] as number) : undefined);
  const time = (name: string) => (typeof values[name] === 'string' ? Date.parse(values[name] as string) : undefined);

  const thresholdPct = number('binFullnessThreshold');
  if (thresholdPct !== undefined && !(thresholdPct > 0 && thresholdPct <= 100)) {
    return { ok: false, code: 'OUT_OF_RANGE', path: '/entity/binFullnessThreshold', reason: `a fullness threshold of ${thresholdPct} is outside 0-100 %` };
  }
  const temperatureC = number('temperature');
  if (temperatureC !== undefined && !(temperatureC >= -60 && temperatureC <= 200)) {
    return { ok: false, code: 'OUT_OF_RANGE', path: '/entity/temperature', reason: `a temperature of ${temperatureC} C is outside what a bin's sensor reads (-60 to 200 C)` };
  }
  const fillingLevel = number('fillingLevel');
  let fill: ContainerReading['fill'];
  if (fillingLevel !== undefined) {
    const attribute = TIME_ATTRIBUTES.find((name) => values[name] !== undefined);
    fill = { fillPct: fillingLevel * 100, timeMs: attribute === undefined ? eventTimeMs : time(attribute)!, timePath: attribute === undefined ? '/entity' : `/entity/${attribute}` };
  }
  return {
    ok: true,
    reading: { fill, thresholdPct, emptiedAtMs: time('dateLastEmptying'), weightKg: number('cargoWeight'), temperatureC, status: typeof values.status === 'string' ? values.status : undefined },
  };
}
