// @polis/http: the city's front door on express 5. CloudEvents ingest (HTTP binding: binary,
// structured, batch), queries, live Server-Sent Events, health, Prometheus metrics, AsyncAPI and
// OpenAPI descriptions, the admin API and NGSI-LD notifications, with one source per token.
export { startGateway } from './gateway.js';
export type { Gateway, GatewayOptions } from './gateway.js';
export { gatewayOptionsFromSpec } from './config/gateway-options.js';
export { gatewayPublishers, OPEN311_SOURCE } from './config/gateway-publishers.js';
export { GatewaySpec, SourceSpec, SecretSpec, NgsiLdEntitySpec } from './config/gateway-spec.js';
export { resolveSecret, MIN_TOKEN_LENGTH } from './config/resolve-secret.js';
export type { SourceCredentials, Principal } from './auth/principals.js';
export type { PluginResolver } from './admin/admin-routes.js';
export type { ReadinessCheck } from './ops/health.js';
// The metrics service lives in the kernel (coreServices.metrics); re-exported for the CLI and connectors.
export { PromMetricsService, DEFAULT_BUCKETS } from '@polis/kernel';
export type { PromMetricsOptions } from '@polis/kernel';
export type { CounterMetric, GaugeMetric, HistogramMetric, MetricFamily, MetricLabels, MetricSpec, MetricsService } from '@polis/plugin-api';
export { HttpErrorCodes, PROBLEM_CONTENT_TYPE } from './problems/problem.js';
export type { HttpErrorCode, ProblemDetail, ProblemDocument } from './problems/problem.js';
export { asyncApiDocument } from './describe/asyncapi-document.js';
export { openApiDocument } from './describe/openapi-document.js';
export type { CityDescription, SourceDescription } from './describe/city-description.js';
export { open311Routes, defaultServices, accountabilityView, transparencyPage, escapeHtml } from './open311/index.js';
export type { Open311Options, CityBounds, Open311Service, ServiceAttribute, ServiceRequest, AccountabilityRules, AccountabilityView, CaseChain, ChainEvent, DepartmentFigures, ServiceLevel } from './open311/index.js';
