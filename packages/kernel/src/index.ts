// @polis/kernel: plugin lifecycle, dependency graph, service bindings (inversify), schema registry, event bus and the
// in-memory transport. Integrators and tools use it; plugins never import it.
export { Kernel, KERNEL_API_VERSION, bindService, createKernel } from './kernel.js';
export type { KernelOptions, LoadReport, PluginEntry, PluginInput, ServiceBinding } from './kernel.js';
export type { PluginStatus } from './plugins/plugin-host.js';
export type { PluginState } from './plugins/plugin-state.js';
export { EventBus, DEFAULT_MAX_EVENT_BYTES, DEFAULT_REQUEST_TIMEOUT_MS, REPLY_FAILED_TYPE } from './bus/event-bus.js';
export type { BusPublishOptions, BusSubscription } from './bus/event-bus.js';
export { MemoryBroker, MemoryTransport } from './bus/memory-transport.js';
export { SchemaRegistry, DEFAULT_COMPATIBILITY } from './schema/schema-registry.js';
export { MemorySchemaStore } from './schema/schema-store.js';
export type { SchemaRecord, SchemaStore } from './schema/schema-store.js';
export { checkCompatibility, diffSchemas } from './schema/compatibility.js';
export type { CompatibilityVerdict, SchemaDifference } from './schema/compatibility.js';
export type { ValidationProblem } from './schema/validation-problems.js';
export { formatValidationProblems, toValidationProblems } from './schema/validation-problems.js';
export { createAjv } from './schema/ajv-factory.js';
export { canonicalJson } from './schema/canonical-json.js';
export { createLogger } from './runtime/logger.js';
export { PromMetricsService, DEFAULT_BUCKETS } from './metrics/prom-metrics-service.js';
export type { PromMetricsOptions } from './metrics/prom-metrics-service.js';
export { LogThrottle } from './runtime/log-throttle.js';
export type { LogFormat, LogLevel, LogRecord, LoggerOptions } from './runtime/logger.js';
export { systemClock } from './runtime/system-clock.js';
export { MemoryStateStore } from './runtime/memory-state-store.js';
export { matchesPattern, patternCovers } from './bus/subject-pattern.js';
export { isTraceparent, isTracestate } from './bus/envelope-validation.js';
export type { TraceParent } from './bus/trace-context.js';
// The transport plug-in interface is its own entry point: @polis/kernel/transport.
export { createScaledClock } from './runtime/scaled-clock.js';
