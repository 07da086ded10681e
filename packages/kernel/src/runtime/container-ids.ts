/**
 * Inversify identifiers. Kernel services live in the root container; each plugin gets a child
 * container holding its context and config, and resolves the services it needs through the
 * root, where providers bind them.
 */
export const KernelId = Symbol.for('polis.kernel');
export const EventBusId = Symbol.for('polis.event-bus');
export const SchemaRegistryId = Symbol.for('polis.schema-registry');
export const TransportId = Symbol.for('polis.transport');
export const ClockId = Symbol.for('polis.clock');
export const LoggerId = Symbol.for('polis.logger');
export const PluginContextId = Symbol.for('polis.plugin-context');
export const PluginConfigId = Symbol.for('polis.plugin-config');

/** The identifier a service reference is bound under. */
export function serviceId(refId: string): string {
  return `polis.service:${refId}`;
}
