import type { AnyPlugin } from '@polis/plugin-api';

/** An external system as the descriptions show it: what it sends, reads and asks, and how it connects. */
export interface SourceDescription {
  readonly name: string;
  /** How it reaches the city: `http` (POST /events), `ngsi-ld` (notifications), `mqtt` (a connector). */
  readonly via: 'http' | 'ngsi-ld' | 'mqtt';
  readonly publishes: readonly string[];
  readonly consumes?: readonly string[];
  readonly requests?: readonly string[];
  readonly description?: string;
}

/** What a city description (AsyncAPI) is made of. */
export interface CityDescription {
  /** The deployment's name. */
  readonly name: string;
  readonly plugins: readonly AnyPlugin[];
  readonly sources: readonly SourceDescription[];
  /** The gateway's address, e.g. `127.0.0.1:8080`, when it serves HTTP. */
  readonly http?: string;
  /** The NATS servers and subject prefix, when the city runs on NATS. */
  readonly nats?: { readonly servers: readonly string[]; readonly prefix: string };
}
