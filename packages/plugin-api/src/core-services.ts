import type { MetricsService } from './metrics-service.js';
import type { Clock, Logger, StateStore } from './plugin-context.js';
import { serviceRef } from './service-ref.js';

/**
 * The services the kernel itself binds, which a plugin may `need` like any other:
 * `needs: { log: coreServices.logger }`. Logger, clock and metrics live in the kernel's root container,
 * and a deployment or the test kit may replace them (`KernelOptions.services`,
 * `startTestKernel({ services })`); state and config are bound in each plugin's child container,
 * so each plugin gets its own (its logger, too, is its own child of the kernel's).
 */
export const coreServices = Object.freeze({
  logger: serviceRef<Logger>()('core.logger'),
  clock: serviceRef<Clock>()('core.clock'),
  /** Where the kernel records its bus metrics (prom-client, a registry per kernel); `GET /metrics` serves it. */
  metrics: serviceRef<MetricsService>()('core.metrics'),
  state: serviceRef<StateStore>()('core.state'),
  config: serviceRef<unknown>()('core.config'),
});

/** The ids of {@link coreServices}: no plugin may provide one. */
export const CORE_SERVICE_IDS: ReadonlySet<string> = new Set(Object.values(coreServices).map((ref) => ref.id));
