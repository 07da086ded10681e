// @polis/plugin-api: everything a plugin author imports. Plugins depend on this package (and on
// contract packages), never on the kernel or on each other.
export { definePlugin } from './define-plugin.js';
export type { AnyPlugin, DepsOf, PluginDefinition, ServiceNeeds } from './define-plugin.js';
export { defineEvent } from './define-event.js';
export type { CompatibilityMode, DataOfSchema, EventData, EventDefinition, EventSpec, JsonSchema } from './define-event.js';
export { defineQuery, replyTypeOf } from './define-query.js';
export type { QueryDefinition, QueryRequest, QueryResponse, QuerySpec } from './define-query.js';
export { serviceRef } from './service-ref.js';
export { CORE_SERVICE_IDS, coreServices } from './core-services.js';
export type { ServiceOf, ServiceRef } from './service-ref.js';
export type { CounterMetric, GaugeMetric, HistogramMetric, MetricFamily, MetricLabels, MetricSpec, MetricsService } from './metrics-service.js';
export { schemaUrn, schemaVersionOf } from './cloud-event.js';
export type { CloudEvent, EventPriority } from './cloud-event.js';
export type {
  Clock,
  Consumable,
  ConsumedData,
  EventHandler,
  HandlerScope,
  LogFields,
  Logger,
  PluginContext,
  PublishOptions,
  QueryHandler,
  RequestOptions,
  RetryPolicy,
  StateStore,
  SubscribeOptions,
  TimerHandle,
} from './plugin-context.js';
export { ErrorCodes, PolisAggregateError, PolisError, isPolisError } from './errors.js';
export type { ErrorCode, PolisErrorOptions } from './errors.js';
export { EventDeadLettered } from './system-events.js';
/** TypeBox, re-exported so contracts and plugins build typed schemas from one copy. */
export { Type } from '@sinclair/typebox';
export type { Static, TSchema } from '@sinclair/typebox';
