import { MemoryTransport, canonicalJson } from '@polis/kernel';
import type { TransportHost } from '@polis/kernel/transport';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import { ForwardingTransport } from '../runtime/forwarding-transport.js';

/**
 * The transport of a replay: an in-memory transport into which the recording is injected as if
 * from another node (the kernel admits each event: known type, valid data), that keeps what
 * the plugin under test sends, and that answers its queries with the recorded replies.
 */
export class ReplayTransport extends ForwardingTransport {
  /** Everything the kernel sent, in order: events and requests. */
  readonly sent: CloudEvent[] = [];
  /** Requests the recording has no reply for. */
  readonly unanswered: CloudEvent[] = [];
  /** Requests of the plugin still waiting for their reply. */
  inFlight = 0;
  private host: TransportHost | undefined;
  /** Recorded replies by (source, type, canonical request data), oldest first. */
  private readonly replies = new Map<string, CloudEvent[]>();

  /**
   * `beforeReply` runs before a recorded reply is handed back (replay moves its clock to the
   * reply's recorded time there: waiting for an answer takes the time it took).
   */
  constructor(
    recorded: readonly CloudEvent[],
    private readonly beforeReply: (reply: CloudEvent) => Promise<void> = async () => undefined,
  ) {
    super(new MemoryTransport());
    const requests = new Map(recorded.map((event) => [event.id, event]));
    for (const reply of recorded) {
      if (!reply.type.endsWith('.reply') || reply.causationid === undefined) continue;
      const request = requests.get(reply.causationid);
      if (!request) continue;
      const key = replyKey(request);
      this.replies.set(key, [...(this.replies.get(key) ?? []), reply]);
    }
  }

  override get name(): string {
    return 'replay';
  }

  override attach(host: TransportHost): void {
    this.host = host;
    this.inner.attach(host);
  }

  override publish(event: CloudEvent): Promise<void> | void {
    this.sent.push(event);
    return this.inner.publish(event);
  }

  /** Delivers a recorded event as if it came from another node; throws why it is refused. */
  inject(event: CloudEvent): void {
    this.host!.admit(event);
    void this.inner.publish(event);
  }

  /** Asks the plugin under test a recorded query, as its recorded requester did. */
  ask(request: CloudEvent, timeoutMs: number): Promise<CloudEvent> {
    this.host!.admit(request);
    return this.inner.request(request, timeoutMs);
  }

  override async request(event: CloudEvent): Promise<CloudEvent> {
    this.sent.push(event);
    this.inFlight++;
    try {
      return await this.recordedReply(event);
    } finally {
      this.inFlight--;
    }
  }

  private async recordedReply(event: CloudEvent): Promise<CloudEvent> {
    const reply = this.replies.get(replyKey(event))?.shift();
    if (!reply) {
      this.unanswered.push(event);
      throw new PolisError(ErrorCodes.NO_RESPONDER, `the recording has no reply to this ${event.type} request`);
    }
    await this.beforeReply(reply);
    return { ...reply, causationid: event.id, correlationid: event.correlationid ?? event.id };
  }

}

function replyKey(request: CloudEvent): string {
  return `${request.source}\u0000${request.type}\u0000${canonicalJson(request.data)}`;
}
