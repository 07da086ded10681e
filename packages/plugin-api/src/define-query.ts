import { ErrorCodes, PolisError } from './errors.js';
import type { DataOfSchema, JsonSchema } from './define-event.js';

/**
 * A request/reply contract: one plugin `answers` it, any plugin that declares it `requests` it.
 * Type and version are literal types, as for events.
 */
export interface QueryDefinition<TType extends string = string, TRequest = unknown, TResponse = unknown, TVersion extends number = number> {
  readonly kind: 'query';
  /** `<domain>.<entity>.<verb>`, e.g. `traffic.route.find`. */
  readonly type: TType;
  readonly version: TVersion;
  readonly request: JsonSchema;
  readonly response: JsonSchema;
  readonly description?: string;
  /** Phantom fields carrying the request and response types; never set at run time. */
  readonly __request?: TRequest;
  readonly __response?: TResponse;
}

export type QueryRequest<Q> = Q extends QueryDefinition<string, infer R, unknown, number> ? R : never;
export type QueryResponse<Q> = Q extends QueryDefinition<string, unknown, infer R, number> ? R : never;

export interface QuerySpec<TType extends string, Req, Res, TVersion extends number = number> {
  type: TType;
  version: TVersion;
  request: Req;
  response: Res;
  description?: string;
}

/** The event type under which a query's replies are registered and validated. */
export function replyTypeOf(queryType: string): string {
  if (typeof queryType !== 'string') throw new PolisError(ErrorCodes.ARGUMENT_INVALID, `a query type must be a string, got ${typeof queryType}`, { details: { argument: 'queryType' } });
  return `${queryType}.reply`;
}

/** Declares a query contract; with TypeBox schemas both sides are typed. */
export function defineQuery<const TType extends string, Req extends JsonSchema, Res extends JsonSchema, const TVersion extends number>(
  spec: QuerySpec<TType, Req, Res, TVersion>,
): QueryDefinition<TType, DataOfSchema<Req>, DataOfSchema<Res>, TVersion> {
  return Object.freeze({ kind: 'query' as const, ...spec });
}
