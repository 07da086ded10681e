import type { Transport, TransportHandle, TransportHost, TransportResponder, TransportSubscription } from '@polis/kernel';
import type { CloudEvent } from '@polis/plugin-api';

/**
 * A transport that hands every event this node sends to `record` before sending it: events
 * its plugins publish, and each query with its reply (the reply is an event whose
 * `causationid` is the request's id). `polis record` wraps the deployment's transport in it.
 */
export class RecordingTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly record: (event: CloudEvent) => void,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  attach(host: TransportHost): void {
    this.inner.attach(host);
  }

  connect(): Promise<void> {
    return this.inner.connect();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  publish(event: CloudEvent): Promise<void> | void {
    this.record(event);
    return this.inner.publish(event);
  }

  subscribe(subscription: TransportSubscription): Promise<TransportHandle> {
    return this.inner.subscribe(subscription);
  }

  async request(event: CloudEvent, timeoutMs: number): Promise<CloudEvent> {
    this.record(event);
    const reply = await this.inner.request(event, timeoutMs);
    this.record(reply);
    return reply;
  }

  answer(responder: TransportResponder): Promise<TransportHandle> {
    return this.inner.answer(responder);
  }
}
