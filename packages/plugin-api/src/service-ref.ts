/**
 * A typed reference to an in-process service one plugin `provides` and others `need`.
 * Services are for the few shared capabilities that are not events; across machines, use a
 * query instead. The id is a literal type, so two refs to services of one type are still
 * different types: `ctx.provide` of a ref the manifest does not declare does not compile.
 * The kernel matches refs by id, never by object identity.
 */
export interface ServiceRef<T = unknown, TId extends string = string> {
  readonly kind: 'service';
  /** Unique id, conventionally `<plugin>.<service>`, e.g. `traffic.router`. */
  readonly id: TId;
  /** Phantom field carrying the service type; never set at run time. */
  readonly __service?: T;
}

export type ServiceOf<R> = R extends ServiceRef<infer T, string> ? T : never;

/**
 * Declares a service reference: `serviceRef<Router>()('traffic.router')`. Two calls, because
 * TypeScript infers no type argument once one is given: the first call takes the service type,
 * the second infers the id as a literal.
 */
export function serviceRef<T>(): <const TId extends string>(id: TId) => ServiceRef<T, TId> {
  return (id) => Object.freeze({ kind: 'service' as const, id });
}
