import type { CloudEvent } from '@polis/plugin-api';
import { reasonOf } from '../runtime/failure-fields.js';

/** Characters of an event's serialized data a summary keeps: enough to recognize it, small enough to publish. */
const EXCERPT_CHARS = 1_024;

export interface EventSummary {
  readonly summarized: true;
  readonly type: string;
  readonly source: string;
  readonly id: string;
  /** Bytes of the serialized event, when it serializes at all. */
  readonly size?: number;
  /** Why the event could not travel whole in its dead letter. */
  readonly reason: string;
  readonly excerpt: string;
}

/**
 * What a dead letter carries of an event that cannot be published inside it as it is (over the
 * size limit, nested too deep to serialize, attributes of the wrong kind): its identity, its size
 * and a bounded excerpt, so the letter still says which event was lost and why.
 */
export function eventSummary(event: CloudEvent, failure: unknown): EventSummary {
  const fields = event as unknown as Record<string, unknown>;
  let whole: string | undefined;
  let excerpt: string;
  try {
    whole = JSON.stringify(event);
    excerpt = whole === undefined ? String(whole) : whole.slice(0, EXCERPT_CHARS);
  } catch (error) {
    excerpt = `(does not serialize: ${reasonOf(error)})`;
  }
  return {
    summarized: true,
    type: text(fields.type),
    source: text(fields.source),
    id: text(fields.id),
    ...(whole === undefined ? {} : { size: Buffer.byteLength(whole) }),
    reason: reasonOf(failure),
    excerpt,
  };
}

/** An attribute as a bounded string, whatever it was. */
function text(value: unknown): string {
  const shown = typeof value === 'string' ? value : reasonOf(value);
  return shown.length > 200 ? `${shown.slice(0, 197)}...` : shown;
}
