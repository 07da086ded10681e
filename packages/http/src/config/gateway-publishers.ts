import type { GatewaySpec } from './gateway-spec.js';

/** The `source` of what the Open311 desk publishes: citizens' requests and the desk's address. */
export const OPEN311_SOURCE = 'open311';

/** What the Open311 desk publishes under {@link OPEN311_SOURCE}. */
const OPEN311_PUBLISHES = ['citizen.request.filed', 'citizen.desk.opened'] as const;

/**
 * Who publishes through a gateway built from `spec`, each under its own `source`: every declared
 * source (the types it may send), and the Open311 desk when it is on. The gateway publishes on
 * the kernel's broker connection, so `polis auth` grants the kernel's login exactly these.
 */
export function gatewayPublishers(spec: GatewaySpec): { source: string; publishes: readonly string[] }[] {
  return [
    ...spec.sources.map((source) => ({ source: source.name, publishes: source.publishes })),
    ...(spec.open311 === undefined ? [] : [{ source: OPEN311_SOURCE, publishes: OPEN311_PUBLISHES }]),
  ];
}
