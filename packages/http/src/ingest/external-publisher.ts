import type { Kernel, TraceParent } from '@polis/kernel';
import { RecentWindow } from '@polis/kernel/transport';
import { ErrorCodes, PolisError, schemaVersionOf } from '@polis/plugin-api';
import { allows } from '../auth/principals.js';
import type { Principal } from '../auth/principals.js';
import { HttpErrorCodes, HttpProblem } from '../problems/problem.js';
import type { IncomingEvent } from './cloudevent-attributes.js';

/** What became of one event sent from outside. */
export interface Accepted {
  /** The id the event carries on the bus. */
  readonly id: string;
  /** The id the sender gave it. */
  readonly clientId: string;
  readonly type: string;
  /** True when the sender had sent this id before: the event was not published again. */
  readonly duplicate: boolean;
}

/**
 * Publishes events from outside the kernel on behalf of a declared source: the source may send
 * the type (403 otherwise), the type and version must be registered, and the data is validated
 * by the registry like any plugin's publish. The event's `source` is the source's name.
 *
 * A sender that retries (a timeout, a lost reply) resends the same CloudEvent id: within the
 * window of the last `dedupeWindow` ids per gateway, a repeat is answered with the first
 * publish's id and not published again (CloudEvents: source + id identify an event).
 */
export class ExternalPublisher {
  /** Source and client id -> the id the event got on the bus. */
  private readonly seen: RecentWindow<string>;

  constructor(
    private readonly kernel: Kernel,
    dedupeWindow = 10_000,
  ) {
    this.seen = new RecentWindow(dedupeWindow);
  }

  /** Checks what needs no I/O, so a batch learns every refusal before anything is published. */
  prepare(principal: Principal, event: IncomingEvent): { version: number; key: string; duplicateOf: string | undefined } {
    if (!allows(principal.publishes, event.type)) {
      throw new HttpProblem(403, HttpErrorCodes.FORBIDDEN, `source '${principal.name}' may not publish '${event.type}'`, [{ path: '/type', rule: 'publishes', message: `is not among the types this source may publish` }]);
    }
    const version = this.versionOf(event);
    const key = `${principal.name}\u0000${event.id}`;
    return { version, key, duplicateOf: this.seen.get(key) };
  }

  /**
   * Publishes a prepared event; resolves once the transport has it (on JetStream: stored). `trace`:
   * the HTTP request's trace context, which the event continues.
   */
  async publish(principal: Principal, event: IncomingEvent, prepared: { version: number; key: string; duplicateOf: string | undefined }, trace?: TraceParent): Promise<Accepted> {
    if (prepared.duplicateOf !== undefined) return { id: prepared.duplicateOf, clientId: event.id, type: event.type, duplicate: true };
    const published = await this.kernel.bus.publish(principal.name, event.type, prepared.version, event.data, {
      subject: event.subject,
      priority: event.priority,
      parent: trace,
    });
    // Two requests with one new id can both pass prepare() before either publishes: the first id stays.
    this.seen.add(prepared.key, published.id);
    return { id: published.id, clientId: event.id, type: event.type, duplicate: false };
  }

  /** The version `dataschema` names, or the newest registered one when the sender named none. */
  private versionOf(event: IncomingEvent): number {
    const registered = this.kernel.registry.versions(event.type);
    if (registered.length === 0) {
      throw new PolisError(ErrorCodes.EVENT_UNKNOWN_TYPE, `unknown event type '${event.type}': no plugin declares it and no schema is registered`, { details: { type: event.type } });
    }
    if (event.dataschema === undefined) return registered[registered.length - 1]!;
    const version = schemaVersionOf({ type: event.type, dataschema: event.dataschema });
    if (version === undefined || !registered.includes(version)) {
      throw new HttpProblem(422, ErrorCodes.EVENT_UNKNOWN_TYPE, `dataschema '${event.dataschema}' names no registered schema of ${event.type} (registered: urn:polis:schema:${event.type}:${registered.join(', ')})`, [
        { path: '/dataschema', rule: 'enum', message: `must be urn:polis:schema:${event.type}:<version>, version one of ${registered.join(', ')}` },
      ]);
    }
    return version;
  }
}
