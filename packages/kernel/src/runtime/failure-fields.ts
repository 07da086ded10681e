import { isPolisError } from '@polis/plugin-api';
import type { LogFields } from '@polis/plugin-api';
import { traceIdOf } from '../bus/trace-context.js';

/**
 * The log fields of a failure: the error's code (when it is a PolisError), its message and its
 * stack, and, when an event was being handled, the event's type, id, correlation id and trace id,
 * so one line ties a failure to its error, to the event, to its causal chain and to its trace.
 */
export function failureFields(error: unknown, event?: unknown): LogFields {
  const fields: Record<string, unknown> = {};
  if (isPolisError(error)) fields.code = error.code;
  fields.error = reasonOf(error);
  if (error instanceof Error && error.stack !== undefined) fields.stack = error.stack;
  if (event !== null && typeof event === 'object') {
    const { type, id, correlationid, traceparent } = event as { type?: unknown; id?: unknown; correlationid?: unknown; traceparent?: unknown };
    if (typeof type === 'string') fields.eventType = type;
    if (typeof id === 'string') fields.eventId = id;
    if (typeof correlationid === 'string') fields.correlationId = correlationid;
    const traceId = traceIdOf(traceparent);
    if (traceId !== undefined) fields.traceId = traceId;
  }
  return fields;
}

/**
 * A readable reason for anything thrown: an Error's message (its name when the message is
 * empty), a string as it is, nothing as a sentence saying so, anything else as bounded JSON, so a
 * record never reads `undefined` or `[object Object]`.
 */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message.length > 0 ? error.message : `${error.name} (without a message)`;
  if (typeof error === 'string') return error.length > 0 ? error : 'an empty string was thrown';
  if (error === undefined || error === null) return `no reason given (${String(error)} was thrown)`;
  let text: string | undefined;
  try {
    text = JSON.stringify(error);
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    try {
      text = String(error);
    } catch {
      text = Object.prototype.toString.call(error);
    }
  }
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}
