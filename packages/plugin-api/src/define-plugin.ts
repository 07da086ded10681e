import type { DataOfSchema, EventDefinition, JsonSchema } from './define-event.js';
import type { QueryDefinition } from './define-query.js';
import type { Consumable, PluginContext } from './plugin-context.js';
import type { ServiceOf, ServiceRef } from './service-ref.js';

export type ServiceNeeds = Readonly<Record<string, ServiceRef>>;
export type DepsOf<N extends ServiceNeeds> = { readonly [K in keyof N]: ServiceOf<N[K]> };

/**
 * A plugin: a manifest (plain data, validated by the kernel before any plugin code runs)
 * plus `setup`.
 */
export interface PluginDefinition<
  TPublishes extends readonly EventDefinition[] = readonly EventDefinition[],
  TConsumes extends readonly Consumable[] = readonly Consumable[],
  TRequests extends readonly QueryDefinition[] = readonly QueryDefinition[],
  TAnswers extends readonly QueryDefinition[] = readonly QueryDefinition[],
  TProvides extends readonly ServiceRef[] = readonly ServiceRef[],
  TNeeds extends ServiceNeeds = ServiceNeeds,
  TConfig extends JsonSchema = JsonSchema,
> {
  /** npm-style name, unique in a deployment, e.g. `traffic` or `@acme/parking`. */
  readonly name: string;
  /** The plugin's own semver version. */
  readonly version: string;
  /** Semver range of the kernel plugin API it supports, e.g. `^1`. */
  readonly kernel: string;
  readonly description?: string;
  /** JSON Schema of the plugin's configuration; defaults in it are applied. */
  readonly config?: TConfig;
  readonly publishes?: TPublishes;
  readonly consumes?: TConsumes;
  readonly requests?: TRequests;
  readonly answers?: TAnswers;
  readonly provides?: TProvides;
  readonly needs?: TNeeds;
  setup(
    ctx: PluginContext<
      TPublishes[number],
      TConsumes[number],
      TRequests[number],
      TAnswers[number],
      TProvides[number],
      DataOfSchema<TConfig>,
      DepsOf<TNeeds>
    >,
    /** Aborted when setup runs past the kernel's setup timeout. */
    signal: AbortSignal,
  ): void | Promise<void>;
}

/** Any plugin, as the kernel handles it. */
export type AnyPlugin = PluginDefinition;

/**
 * Declares a plugin. Everything the manifest declares types `ctx`:
 *
 * ```ts
 * export default definePlugin({
 *   name: 'healthcare', version: '1.0.0', kernel: '^1',
 *   publishes: [AmbulanceDispatched], consumes: [IncidentOpened],
 *   setup(ctx) {
 *     ctx.on(IncidentOpened, async (event, scope) => {
 *       await scope.publish(AmbulanceDispatched, { ... });
 *     });
 *   },
 * });
 * ```
 */
export function definePlugin<
  const TPublishes extends readonly EventDefinition[] = readonly [],
  const TConsumes extends readonly Consumable[] = readonly [],
  const TRequests extends readonly QueryDefinition[] = readonly [],
  const TAnswers extends readonly QueryDefinition[] = readonly [],
  const TProvides extends readonly ServiceRef[] = readonly [],
  const TNeeds extends ServiceNeeds = Record<never, ServiceRef>,
  TConfig extends JsonSchema = JsonSchema,
>(
  plugin: PluginDefinition<TPublishes, TConsumes, TRequests, TAnswers, TProvides, TNeeds, TConfig>,
): PluginDefinition<TPublishes, TConsumes, TRequests, TAnswers, TProvides, TNeeds, TConfig> {
  return Object.freeze({ ...plugin });
}
