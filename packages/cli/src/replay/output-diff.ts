import type { CloudEvent } from '@polis/plugin-api';

/** One way the replayed output differs from the recorded one. */
export type Difference =
  | { readonly kind: 'missing'; readonly recorded: CloudEvent; readonly line: number }
  | { readonly kind: 'extra'; readonly replayed: CloudEvent }
  | { readonly kind: 'changed'; readonly recorded: CloudEvent; readonly line: number; readonly replayed: CloudEvent; readonly fields: readonly FieldChange[] };

/** A field that differs: its JSON pointer (`/data/etaS`, `/subject`) and both values. */
export interface FieldChange {
  readonly path: string;
  readonly recorded: unknown;
  readonly replayed: unknown;
}

/** What is compared of each event: its data and the attributes a plugin chooses. */
const COMPARED = ['type', 'subject', 'priority', 'data'] as const;

/**
 * Pairs the recorded output of a plugin with its replayed output and lists the differences.
 * Two events pair when they have the same type and the same cause (the causing event's id,
 * translated through the pairs made so far, so chains inside the plugin pair too), in order.
 * Ids, times and trace ids are not compared.
 */
export interface CompareOptions {
  /** JSON pointers left out of the comparison (`/computedAt` is read as `/data/computedAt` too). */
  readonly ignore?: readonly string[];
  /**
   * RFC 3339 timestamps at most this many ms apart are equal; so are ids that differ only in a
   * compact UTC stamp this close (`INC-20260101T080000-1`, see ReadableIds): a handler stamps its
   * ids from the clock it reads, which replay reproduces to within the recording's noise.
   */
  readonly timeToleranceMs?: number;
}

export function diffOutputs(recorded: readonly { event: CloudEvent; line: number }[], replayed: readonly CloudEvent[], options: CompareOptions = {}): Difference[] {
  const waiting = new Map<string, { event: CloudEvent; line: number }[]>();
  for (const item of recorded) {
    const key = pairKey(item.event.type, item.event.causationid);
    waiting.set(key, [...(waiting.get(key) ?? []), item]);
  }
  const replayedToRecorded = new Map<string, string>();
  const differences: Difference[] = [];
  for (const event of replayed) {
    const cause = event.causationid === undefined ? undefined : (replayedToRecorded.get(event.causationid) ?? event.causationid);
    const match = waiting.get(pairKey(event.type, cause))?.shift();
    if (!match) {
      differences.push({ kind: 'extra', replayed: event });
      continue;
    }
    replayedToRecorded.set(event.id, match.event.id);
    const fields = COMPARED.flatMap((attribute) => changes(`/${attribute}`, match.event[attribute], event[attribute], options));
    if (fields.length > 0) differences.push({ kind: 'changed', recorded: match.event, line: match.line, replayed: event, fields });
  }
  for (const left of waiting.values()) for (const item of left) differences.push({ kind: 'missing', recorded: item.event, line: item.line });
  return differences;
}

function pairKey(type: string, cause: string | undefined): string {
  return `${type}\u0000${cause ?? ''}`;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const COMPACT_STAMP = /\d{8}T\d{6}/g;

/** Whether two strings are equal once each compact UTC stamp (`20260101T080000`) in them is, within the tolerance. */
function sameUpToStamps(recorded: string, replayed: string, toleranceMs: number): boolean {
  const recordedStamps = recorded.match(COMPACT_STAMP);
  const replayedStamps = replayed.match(COMPACT_STAMP);
  if (recordedStamps === null || replayedStamps === null || recordedStamps.length !== replayedStamps.length) return false;
  if (recorded.replace(COMPACT_STAMP, '') !== replayed.replace(COMPACT_STAMP, '')) return false;
  return recordedStamps.every((stamp, i) => Math.abs(stampMs(stamp) - stampMs(replayedStamps[i]!)) <= toleranceMs);
}

function stampMs(stamp: string): number {
  return Date.parse(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`);
}

/** The leaves where two JSON values differ. */
function changes(path: string, recorded: unknown, replayed: unknown, options: CompareOptions): FieldChange[] {
  const ignore = options.ignore ?? [];
  if (ignore.some((ignored) => path === ignored || path === `/data${ignored}` || path.startsWith(`${ignored}/`) || path.startsWith(`/data${ignored}/`))) return [];
  if (Object.is(recorded, replayed)) return [];
  if (typeof recorded === 'string' && typeof replayed === 'string' && RFC3339.test(recorded) && RFC3339.test(replayed)) {
    if (Math.abs(Date.parse(recorded) - Date.parse(replayed)) <= (options.timeToleranceMs ?? 0)) return [];
  }
  if (typeof recorded === 'string' && typeof replayed === 'string' && sameUpToStamps(recorded, replayed, options.timeToleranceMs ?? 0)) return [];
  const bothObjects = recorded !== null && replayed !== null && typeof recorded === 'object' && typeof replayed === 'object' && Array.isArray(recorded) === Array.isArray(replayed);
  if (!bothObjects) return [{ path, recorded, replayed }];
  const keys = new Set([...Object.keys(recorded as object), ...Object.keys(replayed as object)]);
  return [...keys].flatMap((key) =>
    changes(`${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, (recorded as Record<string, unknown>)[key], (replayed as Record<string, unknown>)[key], options),
  );
}
