/**
 * Inversify identifiers. Services are bound under {@link serviceId} of their ref: the kernel's
 * own (coreServices.logger, .clock) and a deployment's overrides in the root container, with
 * those plugins provide; each plugin's child container holds its context, config, state and
 * logger, and resolves every `need` through itself first, then the root.
 */
export const PluginContextId = Symbol.for('polis.plugin-context');
export const PluginConfigId = Symbol.for('polis.plugin-config');

/** The identifier a service reference is bound under. */
export function serviceId(refId: string): string {
  return `polis.service:${refId}`;
}
