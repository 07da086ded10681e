import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, ReplayPolicy } from '@nats-io/jetstream';
import type { ConsumerConfig, ConsumerMessages, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { Dispatcher, RecentWindow, isRetryable, retryDelayMs } from '@polis/kernel/transport';
import type { DeadLetter, Dispatchable, HandlerCall, TransportHandle, TransportHost, TransportSubscription } from '@polis/kernel/transport';
import { ErrorCodes, PolisError, isPolisError } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { messageId } from './binding-encoder.js';
import { isRedelivered } from './delivery-count.js';
import { decodeMessage, rawMessage } from './inbound.js';
import type { NatsLink } from './nats-link.js';
import { durableName } from './subject-scheme.js';
import type { SubjectScheme } from './subject-scheme.js';

export interface ConsumerSettings {
  readonly stream: string;
  /** How long JetStream waits for an ack before it redelivers. */
  readonly ackWaitMs: number;
  /** Unacknowledged messages the consumer hands out at once, across all replicas. */
  readonly maxAckPending: number;
  /** A consumer nobody pulls from for this long is removed by the server (undefined: kept). */
  readonly inactiveThresholdMs: number | undefined;
  /** Event ids remembered per subscription to drop redeliveries of handled events. */
  readonly dedupeWindow: number;
}

/** An event held by this subscription, with the latest delivery of it (which is what gets acked). */
interface Delivery extends Dispatchable {
  readonly event: CloudEvent;
  /** The event's CloudEvents identity (messageId), built once: the key of `holding` and `handled`. */
  readonly identity: string;
  msg: JsMsg;
  call?: HandlerCall | undefined;
  /** Other stream messages holding the same event (a sender that stored it twice): settled with it, never handled. */
  copies?: JsMsg[];
}

/**
 * A durable subscription: a JetStream pull consumer per (group, pattern), shared by every replica,
 * with explicit acks, in front of the kernel's Dispatcher (concurrency, priority lanes, handler
 * timeouts). A handler failure is retried through `nak(delay)` with the subscription's backoff
 * and JetStream's delivery count as the attempt number; after the last attempt the event is
 * dead-lettered, then terminated. Redeliveries of an event this process holds or has handled (an
 * ack lost to a broker restart, say) never reach the handler twice. Events held here are kept
 * alive with `working()` so JetStream does not hand them to another replica meanwhile. A handler
 * call past its timeout is failed like a throw (so its message is no longer kept alive), and what
 * waits behind it is handed back at once: a stuck replica never holds the consumer group's
 * messages while healthy replicas idle.
 */
/**
 * How long each pull request lives (nats.js default 30 s). After a reconnect nats.js checks the
 * consumer before pulling again and, when that check fails (its R3 leader died with the server and
 * a new one is being elected), waits up to this long before the next try: with 30 s a consumer
 * stalled for half a minute after a server was killed, while the cluster was whole again in
 * seconds. It also sets the idle heartbeat (half of it) that detects a dead pull.
 */
const PULL_EXPIRES_MS = 5_000;

export class DurableSubscription implements TransportHandle {
  private readonly dispatcher: Dispatcher<Delivery>;
  private readonly holding = new Map<string, Delivery>();
  private readonly handled: RecentWindow;
  private closed = false;
  private messages: ConsumerMessages | undefined;
  private readonly keepAlive: ReturnType<typeof setInterval>;

  private constructor(
    private readonly scheme: SubjectScheme,
    settings: ConsumerSettings,
    private readonly subscription: TransportSubscription,
    private readonly host: TransportHost,
  ) {
    this.handled = new RecentWindow(settings.dedupeWindow);
    this.dispatcher = new Dispatcher<Delivery>(subscription, {
      redelivered: (delivery) => isRedelivered(delivery.msg),
      // Acked before the dispatcher takes the next message: the acks of a burst leave in one socket write.
      succeeded: (delivery) => this.acknowledge(delivery),
      failed: (delivery, error) => this.fail(delivery, error),
    });
    this.keepAlive = setInterval(() => {
      for (const delivery of this.holding.values()) settle(delivery.msg, 'working');
    }, Math.max(100, settings.ackWaitMs / 3));
    this.keepAlive.unref();
  }

  static async open(
    link: NatsLink,
    scheme: SubjectScheme,
    settings: ConsumerSettings,
    subscription: TransportSubscription,
    host: TransportHost,
  ): Promise<DurableSubscription> {
    const name = durableName(subscription.group, subscription.pattern);
    const durable = new DurableSubscription(scheme, settings, subscription, host);
    try {
      await ensureConsumer(await link.jetstreamManager(), settings, {
        durable_name: name,
        filter_subject: scheme.event(subscription.pattern),
        ack_policy: AckPolicy.Explicit,
        // A new group starts with what is published from now on; an existing one resumes at its ack floor.
        deliver_policy: DeliverPolicy.New,
        replay_policy: ReplayPolicy.Instant,
        ack_wait: nanos(settings.ackWaitMs),
        max_ack_pending: settings.maxAckPending,
        // Retries are counted here against the subscription's policy, then dead-lettered.
        max_deliver: -1,
        ...(settings.inactiveThresholdMs === undefined ? {} : { inactive_threshold: nanos(settings.inactiveThresholdMs) }),
      });
      const consumer = await link.js.consumers.get(settings.stream, name);
      durable.messages = await consumer.consume({ max_messages: settings.maxAckPending, expires: PULL_EXPIRES_MS, callback: durable.receive });
    } catch (cause) {
      clearInterval(durable.keepAlive);
      throw new PolisError(ErrorCodes.TRANSPORT_FAILED, `cannot open the durable consumer ${name} for '${subscription.pattern}': ${(cause as Error).message}`, {
        plugin: subscription.owner,
        cause,
        details: { stream: settings.stream, consumer: name, pattern: subscription.pattern },
      });
    }
    return durable;
  }

  /** Stops pulling, hands back what waits (so another replica takes it now), and awaits handlers in flight. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    await this.messages?.close();
    this.handBack();
    await this.dispatcher.stop(false);
  }

  private readonly receive = (msg: JsMsg): void => {
    if (this.closed) {
      settle(msg, 'nak');
      return;
    }
    let event: CloudEvent;
    try {
      event = decodeMessage(msg, this.scheme.eventRoot);
    } catch (error) {
      void this.refuse(msg, error, { raw: rawMessage(msg) });
      return;
    }
    // Redeliveries are recognized by CloudEvents identity, source and id, as the stream de-duplicates.
    const identity = messageId(event);
    const held = this.holding.get(identity);
    if (held !== undefined) {
      // The same stream message again is a redelivery: its latest delivery is the one to ack. A
      // second stored copy is another message, which must be acked too or it stays pending.
      if (msg.seq === held.msg.seq) held.msg = msg;
      else (held.copies ??= []).push(msg);
      return;
    }
    if (this.handled.has(identity)) {
      settle(msg, 'ack');
      return;
    }
    try {
      this.host.admit(event);
    } catch (error) {
      void this.refuse(msg, error, { event });
      return;
    }
    const delivery: Delivery = { event, identity, msg };
    this.holding.set(identity, delivery);
    this.dispatcher.push(delivery);
  };

  /** Gives what waits here (not in flight) back to JetStream, for any replica to take now. */
  private handBack(): void {
    for (const delivery of this.dispatcher.drain()) {
      this.holding.delete(delivery.identity);
      settle(delivery.msg, 'nak');
      for (const copy of delivery.copies ?? []) settle(copy, 'nak');
    }
  }

  private acknowledge(delivery: Delivery): void {
    this.handled.add(delivery.identity);
    this.holding.delete(delivery.identity);
    settle(delivery.msg, 'ack');
    for (const copy of delivery.copies ?? []) settle(copy, 'ack');
  }

  private async fail(delivery: Delivery, error: unknown): Promise<void> {
    const { event, identity } = delivery;
    // This replica has just shown it is slow: what waits behind the call goes to whichever replica is free.
    if (isPolisError(error, ErrorCodes.HANDLER_TIMEOUT)) this.handBack();
    // JetStream counts deliveries; read only on failure, since parsing it costs on every message.
    const attempt = delivery.msg.info.deliveryCount;
    const policy = this.subscription.retry;
    if (attempt < policy.maxAttempts && isRetryable(error)) {
      this.holding.delete(identity);
      settle(delivery.msg, 'nak', retryDelayMs(policy, attempt + 1));
      this.subscription.meter?.retried(event.type);
      for (const copy of delivery.copies ?? []) settle(copy, 'nak', retryDelayMs(policy, attempt + 1));
      return;
    }
    // Still held while the letter is published, so a redelivery meanwhile is absorbed.
    await this.host.deadLetter(this.letter(attempt, error, { event }));
    // Keyed by CloudEvents identity like everything else here (the id alone left the letter held and kept alive).
    this.handled.add(identity);
    this.holding.delete(identity);
    settle(delivery.msg, 'term');
    for (const copy of delivery.copies ?? []) settle(copy, 'ack');
  }

  /**
   * A message refused before any handler. An unknown type may only be news to this node (another
   * node registered the schema a moment ago), so it is retried like a handler failure; everything
   * else is dead-lettered at once.
   */
  private async refuse(msg: JsMsg, error: unknown, what: Pick<DeadLetter, 'event' | 'raw'>): Promise<void> {
    const attempt = msg.info.deliveryCount;
    const policy = this.subscription.retry;
    if (isPolisError(error, ErrorCodes.EVENT_UNKNOWN_TYPE) && attempt < policy.maxAttempts) {
      settle(msg, 'nak', retryDelayMs(policy, attempt + 1));
      return;
    }
    await this.host.deadLetter(this.letter(0, error, what));
    settle(msg, 'term');
  }

  private letter(attempts: number, error: unknown, what: Pick<DeadLetter, 'event' | 'raw'>): DeadLetter {
    return { owner: this.subscription.owner, pattern: this.subscription.pattern, attempts, error, ...what };
  }
}

/**
 * Tells JetStream what became of a message. On a closed or draining connection this throws; the
 * message is then redelivered after the ack wait, and the redelivery is recognized by its id.
 */
function settle(msg: JsMsg, action: 'ack' | 'nak' | 'term' | 'working', delayMs?: number): void {
  try {
    if (action === 'nak') msg.nak(delayMs);
    else msg[action]();
  } catch {
    // See above: nothing is lost.
  }
}

/** Creates the consumer, or brings an existing one's tunable settings up to date. */
async function ensureConsumer(jsm: JetStreamManager, settings: ConsumerSettings, config: Partial<ConsumerConfig> & { durable_name: string }): Promise<void> {
  let existing: ConsumerConfig | undefined;
  try {
    existing = (await jsm.consumers.info(settings.stream, config.durable_name)).config;
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)) throw error;
  }
  if (existing === undefined) {
    await jsm.consumers.add(settings.stream, config);
    return;
  }
  if (
    existing.ack_wait !== config.ack_wait ||
    existing.max_ack_pending !== config.max_ack_pending ||
    (existing.inactive_threshold ?? 0) !== (config.inactive_threshold ?? 0)
  ) {
    await jsm.consumers.update(settings.stream, config.durable_name, {
      ack_wait: config.ack_wait,
      max_ack_pending: config.max_ack_pending,
      ...(config.inactive_threshold === undefined ? {} : { inactive_threshold: config.inactive_threshold }),
    });
  }
}
