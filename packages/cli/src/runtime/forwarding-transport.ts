import type { Transport, TransportHandle, TransportHost, TransportResponder, TransportSubscription } from '@polis/kernel/transport';
import type { CloudEvent } from '@polis/plugin-api';

/** A transport that hands everything to another; subclasses override what they watch or change. */
export class ForwardingTransport implements Transport {
  constructor(protected readonly inner: Transport) {}

  get name(): string {
    return this.inner.name;
  }

  get repeatsDeliveries(): boolean | undefined {
    return this.inner.repeatsDeliveries;
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
    return this.inner.publish(event);
  }

  subscribe(subscription: TransportSubscription): Promise<TransportHandle> {
    return this.inner.subscribe(subscription);
  }

  request(event: CloudEvent, timeoutMs: number): Promise<CloudEvent> {
    return this.inner.request(event, timeoutMs);
  }

  answer(responder: TransportResponder): Promise<TransportHandle> {
    return this.inner.answer(responder);
  }
}
