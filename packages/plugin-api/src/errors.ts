/**
 * Every error Polis raises has a stable `code` (safe to match on), the `plugin` it concerns
 * when there is one, and the `cause` it wraps. Codes never change meaning; new ones are added.
 */
export const ErrorCodes = {
  /** A plugin manifest does not have the required shape. */
  MANIFEST_INVALID: 'POLIS_MANIFEST_INVALID',
  /** Two plugins in one kernel share a name. */
  PLUGIN_DUPLICATE: 'POLIS_PLUGIN_DUPLICATE',
  /** The plugin's `kernel` semver range does not include this kernel's API version. */
  KERNEL_VERSION_MISMATCH: 'POLIS_KERNEL_VERSION_MISMATCH',
  /** A plugin's configuration fails the plugin's config schema. */
  CONFIG_INVALID: 'POLIS_CONFIG_INVALID',
  /** A plugin needs a service no loaded plugin provides. */
  DEPENDENCY_MISSING: 'POLIS_DEPENDENCY_MISSING',
  /** Plugins need each other's services in a cycle. */
  DEPENDENCY_CYCLE: 'POLIS_DEPENDENCY_CYCLE',
  /** A plugin could not start because a plugin it needs failed. */
  DEPENDENCY_FAILED: 'POLIS_DEPENDENCY_FAILED',
  /** Two plugins provide the same service. */
  SERVICE_DUPLICATE: 'POLIS_SERVICE_DUPLICATE',
  /** A plugin's setup or start hook threw. */
  PLUGIN_SETUP_FAILED: 'POLIS_PLUGIN_SETUP_FAILED',
  /** A lifecycle hook (setup, start, stop) did not finish in time. */
  PLUGIN_TIMEOUT: 'POLIS_PLUGIN_TIMEOUT',
  /** A stop hook threw; the plugin is stopped anyway. */
  PLUGIN_STOP_FAILED: 'POLIS_PLUGIN_STOP_FAILED',
  /** No plugin of that name is loaded. */
  PLUGIN_NOT_FOUND: 'POLIS_PLUGIN_NOT_FOUND',
  /** A plugin cannot be unloaded while others need its services. */
  PLUGIN_HAS_DEPENDENTS: 'POLIS_PLUGIN_HAS_DEPENDENTS',
  /** One or more plugins failed to load or start: see `errors`. */
  STARTUP_FAILED: 'POLIS_STARTUP_FAILED',
  /** Event data fails its schema. */
  EVENT_INVALID: 'POLIS_EVENT_INVALID',
  /** No schema is registered for the event type (or that version of it). */
  EVENT_UNKNOWN_TYPE: 'POLIS_EVENT_UNKNOWN_TYPE',
  /** The serialized event is larger than the bus's size limit. */
  EVENT_TOO_LARGE: 'POLIS_EVENT_TOO_LARGE',
  /** A message on the wire could not be decoded into an event, or an envelope attribute is invalid. */
  EVENT_UNDECODABLE: 'POLIS_EVENT_UNDECODABLE',
  /** A consumer's declared version of an event cannot read events of another version of it. */
  EVENT_VERSION_INCOMPATIBLE: 'POLIS_EVENT_VERSION_INCOMPATIBLE',
  /** A plugin published an event type it did not declare in `publishes`. */
  PUBLISH_NOT_DECLARED: 'POLIS_PUBLISH_NOT_DECLARED',
  /** A plugin subscribed to events it did not declare in `consumes`. */
  SUBSCRIBE_NOT_DECLARED: 'POLIS_SUBSCRIBE_NOT_DECLARED',
  /** A plugin used a query it did not declare in `requests` / `answers`. */
  QUERY_NOT_DECLARED: 'POLIS_QUERY_NOT_DECLARED',
  /** A plugin provided a service it did not declare in `provides`. */
  SERVICE_NOT_DECLARED: 'POLIS_SERVICE_NOT_DECLARED',
  /** A JSON Schema does not compile. */
  SCHEMA_INVALID: 'POLIS_SCHEMA_INVALID',
  /** A new schema version breaks the compatibility mode of its event type. */
  SCHEMA_INCOMPATIBLE: 'POLIS_SCHEMA_INCOMPATIBLE',
  /** The same type and version were registered with a different schema. */
  SCHEMA_CONFLICT: 'POLIS_SCHEMA_CONFLICT',
  /** A request got no reply in time. */
  REQUEST_TIMEOUT: 'POLIS_REQUEST_TIMEOUT',
  /** Nobody answers that query. */
  NO_RESPONDER: 'POLIS_NO_RESPONDER',
  /** The responder failed while answering. */
  REQUEST_FAILED: 'POLIS_REQUEST_FAILED',
  /** An event handler kept failing with an error of its own (not a PolisError); the event went to the dead-letter channel. */
  HANDLER_FAILED: 'POLIS_HANDLER_FAILED',
  /** An event handler call ran past its subscription's timeout; it was aborted and counted as a failed attempt. */
  HANDLER_TIMEOUT: 'POLIS_HANDLER_TIMEOUT',
  /** Plugin code failed outside any handler or hook (a stray promise rejection, a throw in a plain timer); the kernel logged it and kept running. */
  PROCESS_FAULT: 'POLIS_PROCESS_FAULT',
  /** An argument passed to a Polis API at run time is invalid (wrong type, out of range, malformed). */
  ARGUMENT_INVALID: 'POLIS_ARGUMENT_INVALID',
  /** The operation is not possible in the kernel's or plugin's current state. */
  INVALID_STATE: 'POLIS_INVALID_STATE',
  /** A deployment file (city.yaml) is invalid. */
  DEPLOYMENT_INVALID: 'POLIS_DEPLOYMENT_INVALID',
  /** The transport (e.g. the NATS connection) failed. */
  TRANSPORT_FAILED: 'POLIS_TRANSPORT_FAILED',
  /** The broker already stored another event with this source and id (not this message): someone squats on the id. */
  EVENT_DUPLICATE: 'POLIS_EVENT_DUPLICATE',
  /** An event arrived whose source is not among the declared publishers of its type in this deployment. */
  EVENT_SOURCE_UNDECLARED: 'POLIS_EVENT_SOURCE_UNDECLARED',
  /** A plugin published faster than its publish rate limit allows; the event was not sent. */
  PUBLISH_RATE_EXCEEDED: 'POLIS_PUBLISH_RATE_EXCEEDED',
  /** The broker is unreachable and the transport's buffer of publishes waiting for it is full. */
  PUBLISH_BUFFER_FULL: 'POLIS_PUBLISH_BUFFER_FULL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface PolisErrorOptions {
  /** The plugin the error concerns. */
  plugin?: string;
  /** The error this one wraps. */
  cause?: unknown;
  /** Machine-readable facts about the failure (schema path, limits, names). */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * Marks Polis errors across copies of this package: a plugin that bundles its own copy of
 * `@polis/plugin-api`, or a second installed version, throws errors of another class, which
 * `instanceof` does not recognize. `Symbol.for` gives every copy the same key.
 */
const POLIS_ERROR = Symbol.for('@polis/plugin-api.PolisError');

/** The one error class Polis throws: `PolisError [POLIS_CODE] (plugin): message`. */
export class PolisError extends Error {
  override readonly name: string = 'PolisError';
  readonly code: ErrorCode;
  readonly plugin: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: PolisErrorOptions = {}) {
    const { cause, plugin, details } = options ?? {};
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.plugin = plugin;
    this.details = details ?? {};
  }

  override toString(): string {
    return `${this.name} [${this.code}]${this.plugin ? ` (${this.plugin})` : ''}: ${this.message}`;
  }
}
Object.defineProperty(PolisError.prototype, POLIS_ERROR, { value: true });

/**
 * Several problems found at once (typically while validating a deployment): each entry is a
 * PolisError naming its plugin and code, so an integrator fixes them all in one pass.
 */
export class PolisAggregateError extends PolisError {
  override readonly name: string = 'PolisAggregateError';
  readonly errors: readonly PolisError[];

  constructor(code: ErrorCode, summary: string, errors: readonly PolisError[]) {
    const list = Array.isArray(errors) ? errors : [];
    super(code, `${summary}\n${list.map((e) => `  - ${String(e)}`).join('\n')}`);
    this.errors = list;
  }
}

/**
 * Whether `value` is a PolisError (optionally with `code`), made by this copy of the package or
 * by any other: a plugin bundling its own copy throws errors this copy must still recognize.
 */
export function isPolisError(value: unknown, code?: ErrorCode): value is PolisError {
  if (value === null || typeof value !== 'object') return false;
  const branded = value instanceof PolisError || (value as { [POLIS_ERROR]?: unknown })[POLIS_ERROR] === true;
  if (!branded || typeof (value as { code?: unknown }).code !== 'string') return false;
  return code === undefined || (value as PolisError).code === code;
}
