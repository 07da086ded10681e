import { JetStreamApiError } from '@nats-io/jetstream';
import type { ApiError, PubAck } from '@nats-io/jetstream';
import { createInbox, errors as natsErrors } from '@nats-io/transport-node';
import type { Msg, MsgHdrs, NatsConnection } from '@nats-io/transport-node';

/** A publish waiting for the stream's acknowledgement. */
interface Pending {
  readonly subject: string;
  /** The tick it was sent in: it times out once `TICKS_PER_TIMEOUT` ticks have passed. */
  readonly sentAt: number;
  resolve(ack: PubAck): void;
  reject(error: unknown): void;
}

/** The timeout is counted in quarters: a publish fails between 1 and 1.25 timeouts after it was sent. */
const TICKS_PER_TIMEOUT = 4;

/**
 * Publishes to JetStream and awaits each stream acknowledgement, as `js.publish` does, on one
 * reply subscription shared by every publish of the connection. nats.js's `js.publish` makes each
 * publish a request of its own: a timer set and cleared, a mux entry, and a `RequestError` with
 * its stack built for nothing (`RequestOne.cancel` rejects its already-settled promise with a new
 * error): about 20 % of a process that publishes and consumes JetStream events (profiled
 * 2026-12-03). Here a publish is a core publish with a reply subject `<inbox>.<n>` and a Map entry;
 * one timer ticks while acknowledgements are awaited.
 *
 * What fails is told as nats.js tells it, so callers judge it the same way: no reply in time is a
 * `TimeoutError`, no stream to answer a `NoRespondersError`, a refusal by the stream a
 * `JetStreamApiError`, a publish the broker denied the `PermissionViolationError` it reported,
 * and a connection that closed a `ClosedConnectionError`.
 */
export class StreamPublisher {
  private readonly pending = new Map<number, Pending>();
  private inbox: string | undefined;
  private sent = 0;
  private tick = 0;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly inboxPrefix: string | undefined,
    private readonly timeoutMs: number,
  ) {}

  /** Publishes `payload` on `subject` and resolves with the stream's acknowledgement. */
  publish(subject: string, payload: Uint8Array, headers: MsgHdrs | undefined): Promise<PubAck> {
    return new Promise<PubAck>((resolve, reject) => {
      const token = ++this.sent;
      try {
        const inbox = this.inbox ?? this.listen();
        this.pending.set(token, { subject, sentAt: this.tick, resolve, reject });
        this.nc.publish(subject, payload, { reply: `${inbox}${token}`, ...(headers === undefined ? {} : { headers }) });
      } catch (error) {
        // A closed connection, a payload over the server's limit: told now, nothing waits.
        this.pending.delete(token);
        reject(error);
        return;
      }
      this.ticker ??= this.startTicker();
    });
  }

  /** The broker refused a publish of this connection: the oldest publish awaiting an ack on that subject was it. */
  denied(error: InstanceType<typeof natsErrors.PermissionViolationError>): void {
    if (error.operation !== 'publish') return;
    for (const [token, waiting] of this.pending) {
      if (waiting.subject !== error.subject) continue;
      this.pending.delete(token);
      waiting.reject(error);
      return;
    }
  }

  private listen(): string {
    const inbox = `${createInbox(this.inboxPrefix)}.`;
    const subscription = this.nc.subscribe(`${inbox}*`, { callback: (error, msg) => this.settle(error, msg) });
    this.inbox = inbox;
    // A closed connection (or a refused subscription) leaves nothing to wait for; a later publish subscribes again.
    void subscription.closed.then((reason) => {
      if (this.inbox === inbox) this.failAll(reason ?? new natsErrors.ClosedConnectionError());
    });
    return inbox;
  }

  private settle(error: Error | null, msg: Msg): void {
    if (error !== null) {
      this.failAll(error);
      return;
    }
    const token = Number(msg.subject.slice(this.inbox!.length));
    const waiting = this.pending.get(token);
    if (waiting === undefined) return; // timed out already
    this.pending.delete(token);
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      waiting.reject(new natsErrors.NoRespondersError(waiting.subject));
      return;
    }
    let reply: { stream?: unknown; seq?: unknown; duplicate?: unknown; domain?: unknown; error?: ApiError };
    try {
      reply = JSON.parse(msg.string()) as typeof reply;
    } catch (cause) {
      waiting.reject(new Error(`the acknowledgement of a publish on ${waiting.subject} is not JSON`, { cause }));
      return;
    }
    if (reply.error !== undefined) waiting.reject(new JetStreamApiError(reply.error));
    else if (typeof reply.stream !== 'string' || reply.stream === '' || typeof reply.seq !== 'number') waiting.reject(new Error(`invalid acknowledgement of a publish on ${waiting.subject}`));
    else waiting.resolve({ stream: reply.stream, seq: reply.seq, duplicate: reply.duplicate === true, ...(typeof reply.domain === 'string' ? { domain: reply.domain } : {}) });
  }

  private startTicker(): ReturnType<typeof setInterval> {
    const ticker = setInterval(() => this.expire(), Math.max(1, this.timeoutMs / TICKS_PER_TIMEOUT));
    ticker.unref();
    return ticker;
  }

  /** Fails what has waited a timeout; the oldest come first, so the walk stops at the first still in time. */
  private expire(): void {
    this.tick++;
    for (const [token, waiting] of this.pending) {
      if (this.tick - waiting.sentAt <= TICKS_PER_TIMEOUT) break;
      this.pending.delete(token);
      waiting.reject(new natsErrors.TimeoutError());
    }
    if (this.pending.size === 0) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private failAll(reason: unknown): void {
    for (const waiting of this.pending.values()) waiting.reject(reason);
    this.pending.clear();
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
    this.inbox = undefined;
  }
}
