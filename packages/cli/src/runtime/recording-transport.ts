import type { Transport, TransportHandle, TransportSubscription } from '@polis/kernel/transport';
import type { Clock, CloudEvent } from '@polis/plugin-api';
import { ForwardingTransport } from './forwarding-transport.js';

/** When a consumer group's handler was handed an event, on the city clock. */
export interface Delivery {
  readonly group: string;
  readonly id: string;
  readonly at: number;
}

/**
 * A transport that hands every event this node sends to `record` before sending it: events
 * its plugins publish, and each query with its reply (the reply is an event whose
 * `causationid` is the request's id); and, to `delivered`, when each subscription's handler
 * was handed each event (replay moves its clock there: a handler reads the clock when it
 * starts, and under a scaled clock its reactions are published seconds of city time later).
 * `polis record` wraps the deployment's transport in it.
 */
export class RecordingTransport extends ForwardingTransport {
  constructor(
    inner: Transport,
    private readonly clock: Clock,
    private readonly record: (event: CloudEvent) => void,
    private readonly delivered: (delivery: Delivery) => void,
  ) {
    super(inner);
  }

  override subscribe(subscription: TransportSubscription): Promise<TransportHandle> {
    const { group } = subscription;
    return this.inner.subscribe({
      ...subscription,
      handle: (event, redelivered, call) => {
        this.delivered({ group, id: event.id, at: this.clock.now() });
        return subscription.handle(event, redelivered, call);
      },
    });
  }

  override publish(event: CloudEvent): Promise<void> | void {
    this.record(event);
    return this.inner.publish(event);
  }

  override async request(event: CloudEvent, timeoutMs: number): Promise<CloudEvent> {
    this.record(event);
    const reply = await this.inner.request(event, timeoutMs);
    this.record(reply);
    return reply;
  }
}
