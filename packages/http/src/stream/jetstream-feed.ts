import type { Kernel } from '@polis/kernel';
import { matchesPattern } from '@polis/kernel';
import type { CloudEvent, Logger } from '@polis/plugin-api';
import type { JsMsg, NatsConnection } from '@polis/bus-nats/nats';
import type { EventFeed, FeedHandle, StreamSink } from './event-feed.js';

/** What the gateway needs of a NATS transport (`@polis/bus-nats`), without importing it eagerly. */
export interface NatsTransportLike {
  readonly name: string;
  readonly scheme: { readonly eventRoot: string; event(typeOrPattern: string): string };
  kernelConnection(): Promise<NatsConnection>;
}

export function isNatsTransport(transport: unknown): transport is NatsTransportLike {
  const candidate = transport as Partial<NatsTransportLike> | null;
  return candidate !== null && typeof candidate === 'object' && candidate.name === 'nats' && typeof candidate.kernelConnection === 'function' && typeof candidate.scheme?.event === 'function';
}

const STRUCTURED = /^\s*application\/cloudevents\+json\s*(;|$)/i;

/**
 * Live streams on NATS read the JetStream stream that keeps the city's events: each client gets
 * an ordered consumer (ephemeral, in stream order, recreated by nats.js after a gap) starting after
 * its `Last-Event-ID`, which is the stream sequence of the last event it got. Every event is
 * admitted by the kernel (known type, valid data) before it is sent.
 */
export class JetStreamFeed implements EventFeed {
  private readonly handles = new Set<FeedHandle>();

  private constructor(
    private readonly kernel: Kernel,
    private readonly transport: NatsTransportLike,
    private readonly nats: typeof import('@polis/bus-nats/nats'),
    private readonly stream: string,
    private readonly logger: Logger,
  ) {}

  static async start(kernel: Kernel, transport: NatsTransportLike, logger: Logger): Promise<JetStreamFeed> {
    const nats = await import('@polis/bus-nats/nats');
    const nc = await transport.kernelConnection();
    const jsm = await nats.jetstreamManager(nc, { checkAPI: false });
    const stream = await jsm.streams.find(transport.scheme.event('>'));
    return new JetStreamFeed(kernel, transport, nats, stream, logger);
  }

  async open(patterns: readonly string[], lastEventId: string | undefined, sink: StreamSink): Promise<FeedHandle> {
    const nc = await this.transport.kernelConnection();
    const js = this.nats.jetstream(nc);
    const start = await this.startOf(nc, lastEventId, sink);
    // One filter subject when one pattern is asked for; several are filtered here (servers before 2.10 take one).
    const filter = this.transport.scheme.event(patterns.length === 1 ? patterns[0]! : '>');
    const consumer = await js.consumers.get(this.stream, {
      filter_subjects: filter,
      ...(start === undefined ? { deliver_policy: this.nats.DeliverPolicy.New } : { deliver_policy: this.nats.DeliverPolicy.StartSequence, opt_start_seq: start }),
    });
    const messages = await consumer.consume();
    const root = this.transport.scheme.eventRoot;
    void (async () => {
      for await (const msg of messages) {
        // `<root><publisher>.<type>`: the publisher token holds no dot.
        const type = msg.subject.slice(msg.subject.indexOf('.', root.length) + 1);
        if (!patterns.some((pattern) => matchesPattern(pattern, type))) continue;
        const event = this.decode(msg);
        if (event !== undefined) sink.event(String(msg.seq), event);
      }
    })().catch((error: unknown) => this.logger.warn(`event stream ended: ${(error as Error).message}`));
    const handle: FeedHandle = {
      close: async () => {
        this.handles.delete(handle);
        await messages.close().catch(() => undefined);
      },
    };
    this.handles.add(handle);
    return handle;
  }

  async close(): Promise<void> {
    await Promise.all([...this.handles].map((handle) => handle.close()));
  }

  /** The first sequence to send, or undefined for new events only; announces a gap when history is gone. */
  private async startOf(nc: NatsConnection, lastEventId: string | undefined, sink: StreamSink): Promise<number | undefined> {
    if (lastEventId === undefined) return undefined;
    const jsm = await this.nats.jetstreamManager(nc, { checkAPI: false });
    const { state } = await jsm.streams.info(this.stream);
    const last = /^\d+$/.test(lastEventId) ? Number(lastEventId) : Number.NaN;
    if (!Number.isSafeInteger(last)) {
      sink.gap({ lastEventId, resumedAt: undefined, reason: 'the id is no JetStream sequence of this city; only new events follow' });
      return undefined;
    }
    if (last + 1 < state.first_seq) {
      sink.gap({ lastEventId, resumedAt: String(state.first_seq), reason: 'the events after it have expired from the stream' });
      return state.first_seq;
    }
    return last + 1;
  }

  /** Decodes by the CloudEvents NATS binding (structured or binary mode), then admits; refused events are skipped. */
  private decode(msg: JsMsg): CloudEvent | undefined {
    try {
      const headers = msg.headers;
      const contentType = headers?.get('content-type') ?? '';
      let event: Record<string, unknown>;
      if (headers === undefined || STRUCTURED.test(contentType) || !headers.has('ce-specversion')) {
        event = JSON.parse(msg.string()) as Record<string, unknown>;
      } else {
        event = {};
        for (const key of headers.keys()) {
          const name = key.toLowerCase();
          if (name.startsWith('ce-')) event[name.slice(3)] = safeDecode(headers.get(key));
        }
        if (msg.data.length > 0) event.data = JSON.parse(msg.string());
      }
      const cloudEvent = event as unknown as CloudEvent;
      this.kernel.bus.admit(cloudEvent);
      return cloudEvent;
    } catch (error) {
      this.logger.warn(`stream: skipped stored message ${msg.seq} on ${msg.subject}: ${(error as Error).message}`);
      return undefined;
    }
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
