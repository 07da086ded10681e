/**
 * What the bench process and its core NATS consumer process (nats-core-consumer.ts) say to each
 * other over the IPC channel of `fork`.
 */
/** `raw` sends the same CloudEvent JSON as Polis; `bare` only the reading's JSON, for reference. */
export type CoreContenderName = 'polis' | 'raw' | 'bare';

export type ToConsumer =
  /** Connect the consumers: a Polis kernel on `prefix`, raw subscriptions on `rawSubject` and `bareSubject`. */
  | { readonly kind: 'start'; readonly url: string; readonly prefix: string; readonly rawSubject: string; readonly bareSubject: string }
  /** Time the next `events` events `contender` receives. */
  | { readonly kind: 'expect'; readonly contender: CoreContenderName; readonly events: number }
  | { readonly kind: 'stop' };

export type FromConsumer =
  | { readonly kind: 'ready' }
  /** Armed for an `expect`: the publisher may start. */
  | { readonly kind: 'armed' }
  /** Every expected event arrived; the rate from the first to the last. */
  | { readonly kind: 'received'; readonly eventsPerSecond: number }
  | { readonly kind: 'failed'; readonly message: string };
