// @polis/kernel/transport: the transport plug-in interface, for packages that carry events
// between kernels (@polis/bus-nats, a test's recording transport): what a transport implements
// (Transport and its subscriptions), what the kernel hands it (TransportHost), and the delivery
// building blocks a transport reuses so it behaves like the memory one.
export type { DeadLetter, RawMessage, Transport, TransportHandle, TransportHost, TransportResponder, TransportSubscription } from './bus/transport.js';
export { Mailbox } from './bus/mailbox.js';
export { PriorityLanes } from './bus/priority-lanes.js';
export { SubjectIndex } from './bus/subject-index.js';
export { DEFAULT_RETRY_POLICY, isRetryable, retryDelayMs } from './bus/retry-policy.js';
export { jsonSizeBound } from './bus/json-size.js';
export { isOutboxEventId } from './bus/envelope.js';
export { HandlerCall } from './bus/handler-call.js';
export { RecentWindow } from './bus/recent-window.js';
export { Dispatcher } from './bus/dispatcher.js';
export type { Dispatchable, DispatchOutcome } from './bus/dispatcher.js';
