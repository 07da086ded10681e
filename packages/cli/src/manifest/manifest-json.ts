import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { AnyPlugin, JsonSchema } from '@polis/plugin-api';

/** An event definition as data. */
export interface EventJson {
  readonly kind: 'event';
  readonly type: string;
  readonly version: number;
  readonly schema: JsonSchema;
  readonly description?: string;
  readonly priority?: 'emergency' | 'routine';
  readonly compatibility?: string;
}

/** A query definition as data. */
export interface QueryJson {
  readonly kind: 'query';
  readonly type: string;
  readonly version: number;
  readonly request: JsonSchema;
  readonly response: JsonSchema;
  readonly description?: string;
}

export interface ServiceJson {
  readonly kind: 'service';
  readonly id: string;
}

/**
 * A plugin's manifest as JSON: everything the kernel validates before running a plugin
 * (names, versions, kernel range, config schema, events, queries, services), without `setup`.
 * `polis manifest` writes it at build time; `polis check` reads it instead of the plugin's code.
 */
export interface ManifestJson {
  readonly name: string;
  readonly version: string;
  readonly kernel: string;
  readonly description?: string;
  readonly config?: JsonSchema;
  readonly publishes?: readonly EventJson[];
  readonly consumes?: readonly (EventJson | string)[];
  readonly requests?: readonly QueryJson[];
  readonly answers?: readonly QueryJson[];
  readonly provides?: readonly ServiceJson[];
  readonly needs?: Readonly<Record<string, ServiceJson>>;
}

/** The manifest of a loaded plugin, as JSON (functions and TypeBox's symbol keys dropped). */
export function manifestOf(plugin: AnyPlugin): ManifestJson {
  const { setup: _setup, ...manifest } = plugin;
  return JSON.parse(JSON.stringify(manifest)) as ManifestJson;
}

/**
 * A plugin object made from a manifest read as data, for the kernel's dry run: it has every
 * field the kernel validates, and a `setup` that refuses to run, so nothing can start it.
 */
export function standInPlugin(manifest: unknown): AnyPlugin {
  const data = (manifest !== null && typeof manifest === 'object' ? manifest : {}) as Record<string, unknown>;
  return Object.freeze({
    ...data,
    setup() {
      throw new PolisError(ErrorCodes.INVALID_STATE, 'this plugin was read from its manifest for a dry run; it cannot be set up', { plugin: String(data.name) });
    },
  }) as unknown as AnyPlugin;
}
