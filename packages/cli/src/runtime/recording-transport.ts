import type { Transport } from '@polis/kernel';
import type { CloudEvent } from '@polis/plugin-api';
import { ForwardingTransport } from './forwarding-transport.js';

/**
 * A transport that hands every event this node sends to `record` before sending it: events
 * its plugins publish, and each query with its reply (the reply is an event whose
 * `causationid` is the request's id). `polis record` wraps the deployment's transport in it.
 */
export class RecordingTransport extends ForwardingTransport {
  constructor(
    inner: Transport,
    private readonly record: (event: CloudEvent) => void,
  ) {
    super(inner);
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
