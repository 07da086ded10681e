/**
 * A typed reference to an in-process service one plugin `provides` and others `need`.
 * Services are for the few shared capabilities that are not events; across machines, use a
 * query instead.
 */
export interface ServiceRef<T = unknown> {
  readonly kind: 'service';
  /** Unique id, conventionally `<plugin>.<service>`, e.g. `traffic.router`. */
  readonly id: string;
  /** Phantom field carrying the service type; never set at run time. */
  readonly __service?: T;
}

export type ServiceOf<R> = R extends ServiceRef<infer T> ? T : never;

export function serviceRef<T>(id: string): ServiceRef<T> {
  return Object.freeze({ kind: 'service' as const, id });
}
