import { Mailbox } from '@polis/kernel/transport';
import type { RawMessage, TransportHandle, TransportHost, TransportSubscription } from '@polis/kernel/transport';
import type { Msg } from '@nats-io/transport-node';
import type { CloudEvent } from '@polis/plugin-api';
import { decodeMessage, rawMessage } from './inbound.js';
import type { NatsLink } from './nats-link.js';
import type { SubjectScheme } from './subject-scheme.js';

/**
 * A subscription over core NATS: a queue subscription whose queue is the subscription group, so
 * each event reaches one member of the group across all nodes, in front of the kernel's Mailbox
 * for concurrency, priority lanes and retries. At most once: what is queued when the process
 * dies is gone (durable subscriptions use JetStream instead).
 */
export async function subscribeCore(
  link: NatsLink,
  scheme: SubjectScheme,
  subscription: TransportSubscription,
  host: TransportHost,
): Promise<TransportHandle> {
  // Admission runs in the mailbox, so an event of a type whose schema has not reached this node
  // yet (another node registered it a moment ago) is retried with backoff, not refused at once.
  const admitted: TransportSubscription = {
    ...subscription,
    handle: (event, redelivered, call) => {
      host.admit(event);
      return subscription.handle(event, redelivered, call);
    },
  };
  const mailbox = new Mailbox(admitted, (letter) => host.deadLetter(letter));
  const refuse = (error: unknown, what: { event?: CloudEvent; raw?: RawMessage }) =>
    void host.deadLetter({ owner: subscription.owner, pattern: subscription.pattern, attempts: 0, error, ...what });
  const sub = link.nc.subscribe(scheme.event(subscription.pattern), {
    queue: subscription.group,
    callback: (error: Error | null, msg: Msg) => {
      if (error) {
        // The server refused or ended the subscription (a permissions violation, typically).
        host.logger.error(`subscription to '${subscription.pattern}' ended: ${error.message}`, { plugin: subscription.owner });
        return;
      }
      let event: CloudEvent;
      try {
        event = decodeMessage(msg, scheme.eventRoot);
      } catch (failure) {
        refuse(failure, { raw: rawMessage(msg) });
        return;
      }
      mailbox.push(event);
    },
  });
  // Once flushed, the server has the subscription: an event published after subscribe() resolves reaches it.
  await link.nc.flush();
  return {
    close: async () => {
      sub.unsubscribe();
      await mailbox.close();
    },
  };
}
