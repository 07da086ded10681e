import { randomUUID } from 'node:crypto';
import { errors as natsErrors } from '@nats-io/transport-node';
import type { Msg, MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { DEFAULT_MAX_EVENT_BYTES, LogThrottle, REPLY_FAILED_TYPE, createLogger, matchesPattern, patternCovers } from '@polis/kernel';
import type { Transport, TransportHandle, TransportHost, TransportResponder, TransportSubscription } from '@polis/kernel/transport';
import { isOutboxEventId } from '@polis/kernel/transport';
import { ErrorCodes, EventDeadLettered, PolisError, isPolisError, schemaUrn } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { BinaryModeEncoder, StructuredModeEncoder } from './binding-encoder.js';
import type { WireEncoder, WireMode } from './binding-encoder.js';
import { subscribeCore } from './core-subscription.js';
import { DurableSubscription } from './durable-subscription.js';
import type { ConsumerSettings } from './durable-subscription.js';
import { ensureEventStream } from './event-stream.js';
import type { EventStreamSettings } from './event-stream.js';
import { decodeMessage, decodeQuery, isBinaryMode } from './inbound.js';
import { NatsLink } from './nats-link.js';
import type { NatsAuth, NatsTls } from './nats-link.js';
import { checkOnReceipt } from './receipt-checks.js';
import type { DeclaredPublishers } from './source-binding.js';
import { SubjectScheme, pluginInboxPrefix } from './subject-scheme.js';
import { TokenBucket } from './token-bucket.js';
import type { PublishRate } from './token-bucket.js';

/** JetStream settings: the event stream, and the consumers of durable subscriptions. */
export interface NatsJetStreamOptions {
  /** Stream name (default `<PREFIX>_EVENTS`). */
  stream?: string;
  /** Subjects the stream stores (default `<prefix>.evt.>`: every event). */
  subjects?: string[];
  /** Default `file`. */
  storage?: 'file' | 'memory';
  /** Events older than this are dropped from the stream (default 24 h). */
  maxAgeMs?: number;
  /** JetStream drops a second publish of an event (same source and id) within this window (default 2 min). */
  duplicateWindowMs?: number;
  /** Default 1. */
  replicas?: number;
  /** The stream's size cap; past it the oldest events are dropped (default 1 GiB). */
  maxBytes?: number;
  /** Events kept per event type; past it the oldest of that type are dropped (default 1,000,000). */
  maxMsgsPerSubject?: number;
  /** The largest message the stream stores (default: the event size limit plus 64 KiB for the envelope). */
  maxMsgSize?: number;
  /**
   * Create or update the stream on connect (default true). Pass false where an operator manages
   * it and the kernel's broker user may not.
   */
  manageStream?: boolean;
  /** JetStream redelivers an event not acknowledged within this time (default 30 s). */
  ackWaitMs?: number;
  /** Unacknowledged events a durable consumer hands out at once, across replicas (default 1024). */
  maxAckPending?: number;
  /** The server removes a durable consumer unused for this long (default: never). */
  consumerInactiveThresholdMs?: number;
  /**
   * Handled event ids each durable subscription remembers, to drop redeliveries of events whose
   * acks a broker crash lost (default 50,000: a few MB when busy, none when quiet).
   */
  dedupeWindow?: number;
  /** The stream of dead letters, apart from the events so a flood of bad input cannot push events out (or the reverse). */
  deadLetters?: NatsDeadLetterOptions;
}

/**
 * The dead-letter stream (`<PREFIX>_DEAD_LETTERS` on `<prefix>.dlq.>`): its own limits, kept
 * longer and smaller than the events'. Storage and replicas follow the event stream.
 */
export interface NatsDeadLetterOptions {
  /** Stream name (default `<PREFIX>_DEAD_LETTERS`). */
  stream?: string;
  /** The stream's size cap; past it the oldest letters are dropped (default 256 MiB). */
  maxBytes?: number;
  /** Letters older than this are dropped (default 7 days: long enough for an operator to look). */
  maxAgeMs?: number;
  /** Letters kept in all (default 100,000). */
  maxMsgs?: number;
  /** The largest letter stored (default: the event size limit plus 128 KiB for the letter and a raw payload). */
  maxMsgSize?: number;
}

export interface NatsTransportOptions {
  /** Default `127.0.0.1:4222`. */
  servers?: string | string[];
  /** Connection name shown by the server's monitoring (default `polis`). */
  name?: string;
  /** Credentials of the kernel's own connection. */
  auth?: NatsAuth;
  /**
   * Credentials of plugins that connect as their own broker user (least privilege, see
   * `generateAuthConfig`). A plugin for which this returns undefined shares the kernel's connection.
   */
  pluginAuth?: (plugin: string) => NatsAuth | undefined;
  /** TLS options of every connection, the kernel's and each plugin's. */
  tls?: NatsTls;
  /** Subject prefix isolating a deployment on a shared server (default `polis`). */
  prefix?: string;
  /** JetStream for durable subscriptions (default on); `false` runs on core NATS alone. */
  jetstream?: boolean | NatsJetStreamOptions;
  /**
   * How events are written; both content modes of the CloudEvents NATS binding are always read.
   * `structured` (the default) sends the whole event as one JSON document: one serialization and
   * one parse per event, no headers, readable by any NATS client. `binary` puts each attribute
   * in a percent-encoded `ce-` header, for consumers that route on headers without parsing the
   * payload; it costs about a third of the throughput (docs/performance.md).
   */
  wireMode?: WireMode;
  /** Timeout of broker round trips other than queries: publish acks, JetStream API calls (default 5000 ms). */
  requestTimeoutMs?: number;
  /**
   * The declared publishers of each event type in the deployment (see `declaredPublishers`).
   * An event received with a `source` not among them is dead-lettered
   * (POLIS_EVENT_SOURCE_UNDECLARED). Default: no check, for deployments where per-plugin broker
   * logins already bind what each connection may publish.
   */
  publishers?: DeclaredPublishers;
  /**
   * The largest event data received events may carry, in bytes of JSON (default 1 MiB, the bus's
   * publish limit; give the kernel's `maxEventBytes` when it is changed). Larger events are
   * dead-lettered with POLIS_EVENT_TOO_LARGE, and the stream refuses messages much larger.
   */
  maxEventBytes?: number;
  /**
   * Each plugin's publish rate limit (a token bucket per publishing source), or `false` for none
   * (default 20,000 events/s with bursts of 100,000; benchmarks pass `() => false`). A publish over it is refused with
   * POLIS_PUBLISH_RATE_EXCEEDED and counted (`rateLimited(plugin)`).
   */
  publishRate?: (plugin: string) => PublishRate | false | undefined;
  /** Stored publishes held while the broker is unreachable, retried with the same id (default 100,000). */
  outageBuffer?: number;
  /** Bytes of payload those held publishes may take in all (default 256 MiB): events of up to the size limit each would otherwise hold 100,000 MiB. */
  outageBufferBytes?: number;
  /** How long a held publish is retried before it fails with POLIS_TRANSPORT_FAILED (default 5 min). */
  outageMaxMs?: number;
  /** Reconnect attempts per server before a connection gives up (default -1: never). */
  maxReconnectAttempts?: number;
  /** Pause between reconnect attempts (default 1000 ms). */
  reconnectTimeWaitMs?: number;
}

interface JetStreamSetup {
  readonly stream: EventStreamSettings;
  readonly consumers: ConsumerSettings;
  readonly deadLetterStream: EventStreamSettings;
  readonly deadLetterConsumers: ConsumerSettings;
  readonly manageStream: boolean;
}

interface Route {
  readonly subject: string;
  /** Whether the event stream stores this subject: then it is published through JetStream. */
  readonly stored: boolean;
}

/**
 * The NATS transport. Events go out by the CloudEvents NATS binding (structured mode unless
 * `wireMode: 'binary'`) on `<prefix>.evt.<publisher>.<type>`
 * (through JetStream, with `Nats-Msg-Id` = source and id, when the stream stores them); durable
 * subscriptions are JetStream consumers, the others core NATS queue subscriptions. Queries are
 * NATS requests on `<prefix>.rpc.<type>`. Every event received is admitted by the kernel (known
 * type, data valid) before a handler sees it; whatever is refused is dead-lettered.
 */
export class NatsTransport implements Transport {
  readonly name = 'nats';
  /**
   * The kernel need not keep its own record of handled events in this process. On core NATS a
   * queue group gets each publish once and only failed calls are retried (the record was 11 % of
   * a core NATS consumer's time). On JetStream a stored event whose ack was lost comes again, but
   * the durable subscription drops it itself, before admission: it knows the events it holds and
   * keeps a window of those it handled (a second record in the kernel cost 3 % of
   * `jetstream_vs_raw`). After a restart only `durableIdempotency`'s store can tell.
   */
  readonly repeatsDeliveries = false;
  readonly scheme: SubjectScheme;
  /** Where dead letters travel (`<prefix>.dlq.<publisher>.<type>`). */
  readonly deadLetterScheme: SubjectScheme;
  private readonly options: NatsTransportOptions;
  private readonly setup: JetStreamSetup | undefined;
  private readonly requestTimeoutMs: number;
  private readonly encoder: WireEncoder;
  private readonly binaryEncoder = new BinaryModeEncoder();
  private readonly structuredEncoder = new StructuredModeEncoder();
  private host: TransportHost | undefined;
  /** The host events are admitted by: `host`, after the size limit and the declared publishers. */
  private eventHost: TransportHost | undefined;
  private kernel: Promise<NatsLink> | undefined;
  /** Connections by owner (plugin or system component), as they are being opened. */
  private readonly opening = new Map<string, Promise<NatsLink>>();
  /** Connections by owner once open: the publish path looks here first and awaits nothing. */
  private readonly links = new Map<string, NatsLink>();
  /** Routes by publisher, then by type. */
  private readonly routes = new Map<string, Map<string, Route>>();
  private readonly open = new Set<TransportHandle>();
  private readonly buckets = new Map<string, { take(): boolean }>();
  /** Stored publishes waiting for the broker to come back (see retryThroughOutage). */
  private waitingOutOutage = 0;
  private bytesOutOutage = 0;
  private closing = false;
  private readonly refusedByRate = new Map<string, number>();
  /** Logs connection trouble of a transport used without an event bus (for the KV stores alone). */
  private readonly detachedLogger = createLogger({ level: 'warn' });
  /** Squats come in floods when someone means it: one line per publisher per interval, with a count. */
  private squatLog: LogThrottle | undefined;

  constructor(options: NatsTransportOptions = {}) {
    this.options = options;
    this.scheme = new SubjectScheme(options.prefix);
    this.deadLetterScheme = this.scheme.deadLetters();
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
    this.encoder = options.wireMode === 'binary' ? this.binaryEncoder : this.structuredEncoder;
    const maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.setup = options.jetstream === false ? undefined : resolveJetStream(this.scheme, options.jetstream === true ? {} : (options.jetstream ?? {}), maxEventBytes);
  }

  attach(host: TransportHost): void {
    this.host = host;
    this.eventHost = checkOnReceipt(host, { maxEventBytes: this.options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES, publishers: this.options.publishers });
  }

  async connect(): Promise<void> {
    this.closing = false;
    await this.kernelLink();
  }

  /** The kernel's connection, for the KV stores that share it (`NatsKvSchemaStore`, `natsKvStateStores`). */
  async kernelConnection(): Promise<NatsConnection> {
    return (await this.kernelLink()).nc;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.open].map((handle) => handle.close()));
    const pending = [...this.opening.values()];
    if (this.kernel) pending.push(this.kernel);
    this.opening.clear();
    this.links.clear();
    this.kernel = undefined;
    const links = new Set(await Promise.all(pending.map((link) => link.catch(() => undefined))));
    await Promise.all([...links].map((link) => link?.close()));
  }

  /** Publishes refused by each plugin's rate limit since the transport was made. */
  rateLimited(plugin: string): number {
    return this.refusedByRate.get(plugin) ?? 0;
  }

  publish(event: CloudEvent): Promise<void> {
    const link = this.links.get(event.source);
    // Only the first publish of an owner waits for its connection; the rest take the path below.
    if (link === undefined) return this.linkFor(event.source).then(() => this.publish(event));
    if (!this.withinRate(event.source)) return Promise.reject(this.rateExceeded(event));
    const route = this.routes.get(event.source)?.get(event.type) ?? this.route(event.source, event.type);
    try {
      const { payload, headers } = this.encoder.encode(event, route.stored);
      if (route.stored) {
        return link.stream.publish(route.subject, payload, headers).then(
          // An outbox's id is the same in every run of the handler: stored already, it was sent by a run this crash cut short.
          (ack) => (ack.duplicate && !isOutboxEventId(event.id) ? this.checkDuplicate(event, route, payload, ack.stream, ack.seq) : undefined),
          (cause: unknown) => (isOutage(cause) ? this.retryThroughOutage(link, route, event, payload, headers, cause) : Promise.reject(publishFailure(event, route, cause))),
        );
      }
      link.nc.publish(route.subject, payload, { headers });
      return PUBLISHED;
    } catch (cause) {
      return Promise.reject(publishFailure(event, route, cause));
    }
  }

  async subscribe(subscription: TransportSubscription): Promise<TransportHandle> {
    this.requireHost();
    const host = this.eventHost!;
    const link = await this.linkFor(subscription.owner);
    // Dead letters travel apart (their own subjects and stream): a pattern that covers their
    // type listens there too, under that type.
    const deadLetters = matchesPattern(subscription.pattern, EventDeadLettered.type);
    const handles: TransportHandle[] = [];
    try {
      if (subscription.pattern !== EventDeadLettered.type) {
        handles.push(
          this.setup !== undefined && subscription.durable && this.streamCovers(subscription.pattern)
            ? await DurableSubscription.open(link, this.scheme, this.setup.consumers, subscription, host)
            : await subscribeCore(link, this.scheme, subscription, host),
        );
      }
      if (deadLetters) {
        const letters = { ...subscription, pattern: EventDeadLettered.type };
        handles.push(
          this.setup !== undefined && subscription.durable
            ? await DurableSubscription.open(link, this.deadLetterScheme, this.setup.deadLetterConsumers, letters, host)
            : await subscribeCore(link, this.deadLetterScheme, letters, host),
        );
      }
    } catch (error) {
      await Promise.all(handles.map((handle) => handle.close()));
      throw error;
    }
    const [only] = handles;
    return this.track(handles.length === 1 ? only! : { close: async () => void (await Promise.all(handles.map((handle) => handle.close()))) });
  }

  async request(event: CloudEvent, timeoutMs: number): Promise<CloudEvent> {
    const link = this.links.get(event.source) ?? (await this.linkFor(event.source));
    let reply: Msg;
    try {
      const { payload, headers } = this.encoder.encode(event, false);
      reply = await link.nc.request(this.scheme.rpc(event.type), payload, { timeout: timeoutMs, ...(headers ? { headers } : {}) });
    } catch (cause) {
      throw requestFailure(event, timeoutMs, cause);
    }
    return decodeMessage(reply, undefined);
  }

  async answer(responder: TransportResponder): Promise<TransportHandle> {
    const host = this.requireHost();
    const link = await this.linkFor(responder.owner);
    let active = 0;
    let idle: (() => void) | undefined;
    const respond = async (msg: Msg) => {
      active++;
      try {
        await this.respond(host, responder, msg);
      } finally {
        if (--active === 0) idle?.();
      }
    };
    const sub = link.nc.subscribe(this.scheme.rpc(responder.type), {
      queue: responder.group,
      callback: (error, msg) => {
        if (error) host.logger.error(`answering '${responder.type}' ended: ${error.message}`, { plugin: responder.owner });
        else void respond(msg);
      },
    });
    await link.nc.flush();
    return this.track({
      close: async () => {
        sub.unsubscribe();
        // Once flushed, a request sent after close() resolves finds no responder here.
        await link.nc.flush().catch(() => undefined);
        if (active > 0) await new Promise<void>((resolve) => (idle = resolve));
      },
    });
  }

  private async respond(host: TransportHost, responder: TransportResponder, msg: Msg): Promise<void> {
    // A plain publish on a query subject has nowhere to send an answer.
    if (!msg.reply) return;
    let answer: CloudEvent;
    try {
      const request = decodeQuery(msg, this.scheme.rpcRoot);
      host.admit(request);
      answer = await responder.respond(request);
    } catch (error) {
      answer = refusal(responder.owner, error);
    }
    try {
      // A reply speaks the requester's content mode: a plain client that asked in binary mode
      // reads the answer's attributes from headers too.
      const encoder = isBinaryMode(msg) ? this.binaryEncoder : this.structuredEncoder;
      const { payload, headers } = encoder.encode(answer, false);
      msg.respond(payload, headers ? { headers } : {});
    } catch (error) {
      host.logger.warn(`could not reply to '${responder.type}': ${(error as Error).message}`, { plugin: responder.owner });
    }
  }

  /**
   * The stream acknowledged a publish as a duplicate: it holds a message with this event's source
   * and id (`Nats-Msg-Id`) already, at `seq`. If that message is this one (the same subject, the
   * same bytes), the publish is a send repeated after the broker had taken it, and nothing is
   * lost; anything else is someone else's (squatted). Comparing the stored message on the rare
   * duplicate replaces a window of every identity published, which cost a lookup in a Map of
   * 50,000 strings per publish.
   */
  private async checkDuplicate(event: CloudEvent, route: Route, payload: Uint8Array, stream: string, seq: number): Promise<void> {
    // null: the message is gone (the stream's limits removed it), so it cannot be shown to be this one.
    let stored: { subject: string; data: Uint8Array } | null;
    try {
      const manager = await (await this.kernelLink()).jetstreamManager();
      stored = await manager.streams.getMessage(stream, { seq });
    } catch (cause) {
      throw publishFailure(event, route, cause);
    }
    if (stored !== null && stored.subject === route.subject && Buffer.compare(stored.data, payload) === 0) return;
    throw this.squatted(event, route);
  }

  /**
   * The stream acknowledged a publish as a duplicate of a message that is not this one: an event
   * with this source and id was stored before, by someone else. Ids are random, so either someone
   * copies the publisher's ids to suppress its events or two publishers share a source; either
   * way the event was not delivered, which the publisher must learn and the operator must see.
   */
  private squatted(event: CloudEvent, route: Route): PolisError {
    const details = { type: event.type, id: event.id, source: event.source, subject: route.subject };
    this.squatLog ??= new LogThrottle(this.host?.logger ?? this.detachedLogger, { level: 'warn' });
    this.squatLog.log(`duplicate-id ${event.source}`, `security: the stream already holds another ${event.type} ${event.id} from '${event.source}'; this one was not delivered`, {
      plugin: event.source,
      security: 'duplicate-id',
      ...details,
    });
    return new PolisError(ErrorCodes.EVENT_DUPLICATE, `the broker already stored another event '${event.id}' from '${event.source}': '${event.type}' was not delivered`, {
      plugin: event.source,
      details,
    });
  }

  /**
   * A stored publish that failed because the broker is away (no ack in time, no stream to
   * answer) is held and sent again, the same message with the same `Nats-Msg-Id`, until the
   * broker takes it: a caller's own retry would be a new event with a new id, which
   * de-duplication cannot recognize. At most `outageBuffer` publishes, of `outageBufferBytes` in
   * all, wait at once; past that
   * the publisher is told at once (POLIS_PUBLISH_BUFFER_FULL). A duplicate ack on a retry is the
   * earlier attempt having been stored after all.
   */
  private async retryThroughOutage(link: NatsLink, route: Route, event: CloudEvent, payload: Uint8Array, headers: MsgHdrs | undefined, first: unknown): Promise<void> {
    const limit = this.options.outageBuffer ?? DEFAULT_OUTAGE_BUFFER;
    const byteLimit = this.options.outageBufferBytes ?? DEFAULT_OUTAGE_BUFFER_BYTES;
    if (this.waitingOutOutage >= limit || this.bytesOutOutage + payload.length > byteLimit) {
      const full = this.waitingOutOutage >= limit ? `${limit} publishes already wait for it` : `the ${this.waitingOutOutage} publishes waiting for it hold ${this.bytesOutOutage} of its ${byteLimit} bytes`;
      throw new PolisError(ErrorCodes.PUBLISH_BUFFER_FULL, `the broker is unreachable and ${full}: ${event.type} ${event.id} (${payload.length} bytes) was not sent`, {
        plugin: event.source,
        cause: first,
        details: { type: event.type, id: event.id, buffered: this.waitingOutOutage, limit, bufferedBytes: this.bytesOutOutage, byteLimit },
      });
    }
    this.waitingOutOutage++;
    this.bytesOutOutage += payload.length;
    try {
      const giveUpAt = Date.now() + (this.options.outageMaxMs ?? DEFAULT_OUTAGE_MAX_MS);
      for (let pause = 50; ; pause = Math.min(pause * 2, 1_000)) {
        if (this.closing || Date.now() > giveUpAt) throw publishFailure(event, route, first);
        await new Promise((resolve) => setTimeout(resolve, pause));
        try {
          await link.stream.publish(route.subject, payload, headers);
          return;
        } catch (cause) {
          if (!isOutage(cause)) throw publishFailure(event, route, cause);
        }
      }
    } finally {
      this.waitingOutOutage--;
      this.bytesOutOutage -= payload.length;
    }
  }

  private withinRate(source: string): boolean {
    let bucket = this.buckets.get(source);
    if (bucket === undefined) {
      const rate = this.options.publishRate?.(source) ?? DEFAULT_PUBLISH_RATE;
      bucket = rate === false ? UNLIMITED : new TokenBucket(rate);
      this.buckets.set(source, bucket);
    }
    return bucket.take();
  }

  private rateExceeded(event: CloudEvent): PolisError {
    const count = (this.refusedByRate.get(event.source) ?? 0) + 1;
    this.refusedByRate.set(event.source, count);
    const rate = this.options.publishRate?.(event.source) ?? DEFAULT_PUBLISH_RATE;
    return new PolisError(ErrorCodes.PUBLISH_RATE_EXCEEDED, `'${event.source}' publishes faster than its limit (${rate === false ? 'none' : `${rate.perSecond}/s, bursts of ${rate.burst}`}): ${event.type} was not sent`, {
      plugin: event.source,
      details: { type: event.type, refused: count, ...(rate === false ? {} : rate) },
    });
  }

  private route(source: string, type: string): Route {
    const letter = type === EventDeadLettered.type;
    const subject = (letter ? this.deadLetterScheme : this.scheme).published(source, type);
    const stored = this.setup !== undefined && (letter || this.setup.stream.subjects.some((stream) => matchesPattern(stream, subject)));
    const route = { subject, stored };
    let bySource = this.routes.get(source);
    if (bySource === undefined) this.routes.set(source, (bySource = new Map()));
    bySource.set(type, route);
    return route;
  }

  private streamCovers(pattern: string): boolean {
    const subject = this.scheme.event(pattern);
    return this.setup?.stream.subjects.some((stream) => patternCovers(stream, subject)) ?? false;
  }

  /**
   * The kernel's own connection (dead letters, system subscriptions, the KV stores), opened on
   * first use, with the event stream ensured.
   */
  private kernelLink(): Promise<NatsLink> {
    this.kernel ??= this.openKernelLink().catch((error: unknown) => {
      this.kernel = undefined;
      throw error;
    });
    return this.kernel;
  }

  private linkFor(owner: string): Promise<NatsLink> {
    let pending = this.opening.get(owner);
    if (pending === undefined) {
      const auth = this.options.pluginAuth?.(owner);
      pending = auth === undefined ? this.kernelLink() : this.openLink(`${this.options.name ?? 'polis'}/${owner}`, auth, pluginInboxPrefix(owner));
      this.opening.set(owner, pending);
      pending.then(
        (link) => this.links.set(owner, link),
        () => this.opening.delete(owner),
      );
    }
    return pending;
  }

  private async openKernelLink(): Promise<NatsLink> {
    const link = await this.openLink(this.options.name ?? 'polis', this.options.auth, undefined);
    if (this.setup?.manageStream) {
      try {
        const jsm = await link.jetstreamManager();
        await ensureEventStream(jsm, this.setup.stream);
        await ensureEventStream(jsm, this.setup.deadLetterStream);
      } catch (cause) {
        await link.close();
        const streams = `${this.setup.stream.name} and ${this.setup.deadLetterStream.name}`;
        throw new PolisError(ErrorCodes.TRANSPORT_FAILED, `cannot set up the JetStream streams ${streams}: ${(cause as Error).message} (is JetStream enabled? pass jetstream: false to run on core NATS)`, {
          cause,
          details: { stream: this.setup.stream.name, deadLetterStream: this.setup.deadLetterStream.name },
        });
      }
    }
    return link;
  }

  private openLink(name: string, auth: NatsAuth | undefined, inboxPrefix: string | undefined): Promise<NatsLink> {
    return NatsLink.open({
      servers: this.options.servers ?? '127.0.0.1:4222',
      name,
      auth,
      tls: this.options.tls,
      inboxPrefix,
      requestTimeoutMs: this.requestTimeoutMs,
      maxReconnectAttempts: this.options.maxReconnectAttempts ?? -1,
      reconnectTimeWaitMs: this.options.reconnectTimeWaitMs ?? 1_000,
      logger: () => this.host?.logger ?? this.detachedLogger,
      onReconnect: () => this.host?.reconnected?.(),
    });
  }

  private track(handle: TransportHandle): TransportHandle {
    const tracked = {
      close: async () => {
        if (!this.open.delete(tracked)) return;
        await handle.close();
      },
    };
    this.open.add(tracked);
    return tracked;
  }

  private requireHost(): TransportHost {
    if (!this.host) throw new PolisError(ErrorCodes.INVALID_STATE, 'the transport is not attached to an event bus');
    return this.host;
  }
}

const DEFAULT_OUTAGE_BUFFER = 100_000;
const DEFAULT_OUTAGE_BUFFER_BYTES = 256 * 1024 * 1024;
const DEFAULT_OUTAGE_MAX_MS = 5 * 60_000;

/**
 * Whether a stored publish failed for want of a broker (to retry), not for what it sent (to report):
 * no acknowledgement in time, or no stream to answer (StreamPublisher's TimeoutError and
 * NoRespondersError). On a cluster nobody answering is the stream's leader being elected again
 * after a server died, seconds of outage (the connect-time stream setup has already shown that
 * JetStream is on).
 */
function isOutage(cause: unknown): boolean {
  return cause instanceof natsErrors.TimeoutError || cause instanceof natsErrors.NoRespondersError || cause instanceof natsErrors.ConnectionError;
}

/** A busy plugin publishes a few hundred events a second; this stops a runaway loop, not a city. */
export const DEFAULT_PUBLISH_RATE: PublishRate = { perSecond: 20_000, burst: 100_000 };
const UNLIMITED = { take: () => true };

/** Room for the envelope and headers around the largest event data a stored message may carry. */
const ENVELOPE_ALLOWANCE_BYTES = 64 * 1024;

function resolveJetStream(scheme: SubjectScheme, options: NatsJetStreamOptions, maxEventBytes: number): JetStreamSetup {
  const name = options.stream ?? scheme.defaultStream;
  const stream: EventStreamSettings = {
    name,
    subjects: options.subjects ?? [`${scheme.eventRoot}>`],
    storage: options.storage ?? 'file',
    maxAgeMs: options.maxAgeMs ?? 24 * 60 * 60 * 1000,
    duplicateWindowMs: options.duplicateWindowMs ?? 2 * 60 * 1000,
    replicas: options.replicas ?? 1,
    maxBytes: options.maxBytes ?? 1024 * 1024 * 1024,
    maxMsgsPerSubject: options.maxMsgsPerSubject ?? 1_000_000,
    maxMsgSize: options.maxMsgSize ?? maxEventBytes + ENVELOPE_ALLOWANCE_BYTES,
    maxMsgs: -1,
  };
  const consumers: ConsumerSettings = {
    stream: name,
    ackWaitMs: options.ackWaitMs ?? 30_000,
    maxAckPending: options.maxAckPending ?? 1024,
    inactiveThresholdMs: options.consumerInactiveThresholdMs,
    dedupeWindow: options.dedupeWindow ?? 50_000,
  };
  const letters = options.deadLetters ?? {};
  const deadLetters = scheme.deadLetters();
  const deadLetterStream: EventStreamSettings = {
    ...stream,
    name: letters.stream ?? deadLetters.defaultStream,
    subjects: [`${deadLetters.eventRoot}>`],
    maxAgeMs: letters.maxAgeMs ?? DEFAULT_DEAD_LETTER_MAX_AGE_MS,
    maxBytes: letters.maxBytes ?? 256 * 1024 * 1024,
    maxMsgsPerSubject: -1,
    maxMsgs: letters.maxMsgs ?? 100_000,
    maxMsgSize: letters.maxMsgSize ?? maxEventBytes + 2 * ENVELOPE_ALLOWANCE_BYTES,
  };
  return {
    manageStream: options.manageStream ?? true,
    stream,
    consumers,
    deadLetterStream,
    deadLetterConsumers: { ...consumers, stream: deadLetterStream.name },
  };
}

const DEFAULT_DEAD_LETTER_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** What a core NATS publish resolves with: it is done once nats.js has the message, so no promise is made per event. */
const PUBLISHED: Promise<void> = Promise.resolve();

function publishFailure(event: CloudEvent, route: Route, cause: unknown): PolisError {
  return new PolisError(ErrorCodes.TRANSPORT_FAILED, `publishing ${event.type} ${event.id} failed: ${(cause as Error).message}`, {
    plugin: event.source,
    cause,
    details: { type: event.type, id: event.id, subject: route.subject },
  });
}

function requestFailure(event: CloudEvent, timeoutMs: number, cause: unknown): PolisError {
  const details = { type: event.type, timeoutMs };
  if (cause instanceof natsErrors.TimeoutError) {
    return new PolisError(ErrorCodes.REQUEST_TIMEOUT, `no reply to '${event.type}' within ${timeoutMs} ms`, { cause, details });
  }
  if (cause instanceof natsErrors.NoRespondersError || (cause instanceof natsErrors.RequestError && cause.isNoResponders())) {
    return new PolisError(ErrorCodes.NO_RESPONDER, `nobody answers '${event.type}'`, { cause, details });
  }
  return new PolisError(ErrorCodes.TRANSPORT_FAILED, `requesting '${event.type}' failed: ${(cause as Error).message}`, { plugin: event.source, cause, details });
}

/** The failure reply to a request that could not be decoded or admitted, in the shape the bus turns back into a PolisError. */
function refusal(owner: string, error: unknown): CloudEvent {
  const data = {
    code: isPolisError(error) ? error.code : ErrorCodes.REQUEST_FAILED,
    message: error instanceof Error ? error.message : String(error),
    plugin: owner,
  };
  const id = randomUUID();
  const reply: CloudEvent = {
    specversion: '1.0',
    id,
    source: owner,
    type: REPLY_FAILED_TYPE,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    dataschema: schemaUrn(REPLY_FAILED_TYPE, 1),
    data,
    correlationid: id,
  };
  return reply;
}
