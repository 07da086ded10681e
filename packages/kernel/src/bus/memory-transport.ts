import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { Mailbox } from './mailbox.js';
import { SubjectIndex } from './subject-index.js';
import type {
  Transport,
  TransportHandle,
  TransportHost,
  TransportResponder,
  TransportSubscription,
} from './transport.js';

/**
 * One subscription's entry in the broker: hands it an event, told which transport sent it. An
 * event from another transport (another kernel on the broker, or a sender attached to no bus) was
 * never checked by this kernel, so it is admitted first, as an event from the wire would be.
 */
type Member = (event: CloudEvent, origin: object | undefined) => void;

/** Members of one consumer group on one pattern; each event goes to one of them in turn. */
class DeliveryGroup {
  readonly members: Member[] = [];
  private turn = 0;

  constructor(readonly key: string) {}

  deliver(event: CloudEvent, origin: object | undefined): void {
    const members = this.members;
    const member = members.length === 1 ? members[0] : members[this.turn++ % members.length];
    member?.(event, origin);
  }
}

class ResponderGroup {
  readonly members: TransportResponder[] = [];
  private turn = 0;

  pick(): TransportResponder | undefined {
    return this.members[this.turn++ % this.members.length];
  }
}

/**
 * The in-process message system. Kernels that share one broker behave like nodes on one NATS
 * cluster: a plugin loaded in two of them is one consumer group, each event handled once.
 */
export class MemoryBroker {
  private readonly index = new SubjectIndex<DeliveryGroup>();
  private readonly groups = new Map<string, DeliveryGroup>();
  private readonly responders = new Map<string, ResponderGroup>();

  /** Delivers to every group whose pattern matches; `origin` is the sending transport. */
  publish(event: CloudEvent, origin?: object): void {
    const groups = this.index.match(event.type);
    for (let i = 0; i < groups.length; i++) groups[i]!.deliver(event, origin);
  }

  join(pattern: string, group: string, member: Member): () => void {
    const key = `${group}\u0000${pattern}`;
    let target = this.groups.get(key);
    if (!target) {
      target = new DeliveryGroup(key);
      this.groups.set(key, target);
      this.index.add(pattern, target);
    }
    target.members.push(member);
    const joined = target;
    return () => {
      const at = joined.members.indexOf(member);
      if (at >= 0) joined.members.splice(at, 1);
      if (joined.members.length === 0 && this.groups.get(key) === joined) {
        this.groups.delete(key);
        this.index.remove(pattern, joined);
      }
    };
  }

  addResponder(responder: TransportResponder): () => void {
    let group = this.responders.get(responder.type);
    if (!group) this.responders.set(responder.type, (group = new ResponderGroup()));
    group.members.push(responder);
    const joined = group;
    return () => {
      const at = joined.members.indexOf(responder);
      if (at >= 0) joined.members.splice(at, 1);
      if (joined.members.length === 0 && this.responders.get(responder.type) === joined) {
        this.responders.delete(responder.type);
      }
    };
  }

  responderFor(type: string): TransportResponder | undefined {
    return this.responders.get(type)?.pick();
  }
}

/** The embedded transport: no external service, same semantics as NATS. */
export class MemoryTransport implements Transport {
  readonly name = 'memory';
  /** A publish reaches each group once; only failed calls are retried (see Transport.repeatsDeliveries). */
  readonly repeatsDeliveries: boolean = false;
  private host: TransportHost | undefined;
  private readonly open = new Set<{ close(): Promise<void> }>();
  private readonly mailboxes = new Set<Mailbox>();

  constructor(private readonly broker: MemoryBroker = new MemoryBroker()) {}

  attach(host: TransportHost): void {
    this.host = host;
  }

  async connect(): Promise<void> {}

  async close(): Promise<void> {
    await Promise.all([...this.open].map((handle) => handle.close()));
  }

  publish(event: CloudEvent): void {
    this.broker.publish(event, this);
  }

  async subscribe(subscription: TransportSubscription): Promise<TransportHandle> {
    const host = this.requireHost();
    const mailbox = new Mailbox(subscription, (letter) => host.deadLetter(letter));
    const member: Member = (event, origin) => {
      if (origin === this) mailbox.push(event);
      else this.receiveForeign(host, subscription, mailbox, event);
    };
    const leave = this.broker.join(subscription.pattern, subscription.group, member);
    this.mailboxes.add(mailbox);
    return this.track(async () => {
      leave();
      await mailbox.close();
      this.mailboxes.delete(mailbox);
    });
  }

  /**
   * Resolves once no event waits, runs or waits for a retry in any subscription of this
   * transport, on two event-loop turns in a row: what a handler publishes lands in a mailbox at
   * once, so a quiet turn after the last busy one means the cascade has ended. Timers plugins set
   * are not waited for. For tests asserting that something did not happen, instead of a sleep.
   */
  async settled(): Promise<void> {
    for (let quiet = 0; quiet < 2; ) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      let busy = false;
      for (const mailbox of this.mailboxes) if (mailbox.pending > 0) busy = true;
      quiet = busy ? 0 : quiet + 1;
    }
  }

  async request(event: CloudEvent, timeoutMs: number): Promise<CloudEvent> {
    const responder = this.broker.responderFor(event.type);
    if (!responder) {
      throw new PolisError(ErrorCodes.NO_RESPONDER, `nobody answers '${event.type}'`, { details: { type: event.type } });
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new PolisError(ErrorCodes.REQUEST_TIMEOUT, `no reply to '${event.type}' within ${timeoutMs} ms`, { details: { type: event.type, timeoutMs } })),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([responder.respond(event), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async answer(responder: TransportResponder): Promise<TransportHandle> {
    const leave = this.broker.addResponder(responder);
    return this.track(async () => leave());
  }

  /**
   * An event another transport sent: admitted on a copy of its envelope (admission normalizes it,
   * and the sender's kernel shares the object with its own handlers), or dead-lettered at once.
   * No retry: a schema this kernel lacks cannot arrive later in process.
   */
  private receiveForeign(host: TransportHost, subscription: TransportSubscription, mailbox: Mailbox, event: CloudEvent): void {
    const copy = event !== null && typeof event === 'object' ? { ...event } : event;
    try {
      host.admit(copy);
    } catch (error) {
      void host.deadLetter({ owner: subscription.owner, pattern: subscription.pattern, attempts: 0, error, event: copy });
      return;
    }
    mailbox.push(copy);
  }

  private track(close: () => Promise<void>): TransportHandle {
    const handle = {
      close: async () => {
        if (!this.open.delete(handle)) return;
        await close();
      },
    };
    this.open.add(handle);
    return handle;
  }

  private requireHost(): TransportHost {
    if (!this.host) throw new PolisError(ErrorCodes.INVALID_STATE, 'the transport is not attached to an event bus');
    return this.host;
  }
}
