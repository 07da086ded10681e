import { jsonSizeBound } from '@polis/kernel/transport';
import type { DeadLetter, TransportHost } from '@polis/kernel/transport';
import { ErrorCodes, PolisError, isPolisError } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { assertDeclaredSource } from './source-binding.js';
import type { DeclaredPublishers } from './source-binding.js';

export interface ReceiptChecks {
  /** The largest event data accepted, in bytes of JSON: the same limit the bus holds publishes to. */
  readonly maxEventBytes: number;
  readonly publishers: DeclaredPublishers | undefined;
}

/**
 * A host whose admission of received events also holds them to what a publish here must meet:
 * the size limit (a sender that skips the bus, or a broker whose max_payload is raised, must not
 * hand handlers more than the bus would have published) and, when given, the declared
 * publishers. A refusal dead-letters the event with its code, like any other refused input.
 */
export function checkOnReceipt(host: TransportHost, checks: ReceiptChecks): TransportHost {
  return {
    logger: host.logger,
    deadLetter: (letter) => host.deadLetter(isPolisError(letter.error) && letter.error.code === ErrorCodes.EVENT_TOO_LARGE ? withoutData(letter) : letter),
    admit(event: CloudEvent) {
      assertWithinSize(event, checks.maxEventBytes);
      if (checks.publishers !== undefined) assertDeclaredSource(event, checks.publishers);
      host.admit(event);
    },
  };
}

/** A dead letter of an oversized event keeps its envelope, not its data: the letter itself must fit the limit. */
function withoutData(letter: DeadLetter): DeadLetter {
  if (letter.event === undefined) return letter;
  const { data: _data, ...envelope } = letter.event;
  return { ...letter, event: envelope as CloudEvent };
}

function assertWithinSize(event: CloudEvent, limit: number): void {
  const data: unknown = event.data;
  // The bound is found without serializing: only data near or over the limit pays for one.
  if (jsonSizeBound(data, limit) <= limit) return;
  const bytes = Buffer.byteLength(JSON.stringify(data) ?? '');
  if (bytes > limit) {
    throw new PolisError(ErrorCodes.EVENT_TOO_LARGE, `${event.type}: received data is ${bytes} bytes, over the ${limit}-byte limit`, {
      details: { type: event.type, bytes, limit },
    });
  }
}
