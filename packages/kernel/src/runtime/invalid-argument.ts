import { ErrorCodes, PolisError } from '@polis/plugin-api';

/**
 * The error for a bad argument to a public API at run time (JavaScript callers, and values that
 * only fail at run time): ARGUMENT_INVALID, naming the argument, what it must be and what it was.
 */
export function invalidArgument(argument: string, expected: string, got: unknown, plugin?: string): PolisError {
  return new PolisError(ErrorCodes.ARGUMENT_INVALID, `${argument} must be ${expected}, got ${describeValue(got)}`, {
    plugin,
    details: { argument },
  });
}

/** A short, readable rendering of any value, for error messages (never throws). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value.length > 60 ? `'${value.slice(0, 57)}...'` : `'${value}'`;
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return String(value);
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      return 'an object';
  }
}

/** Whether `value` is a plain options object (or absent, read as `{}`). */
export function isOptions(value: unknown): value is Record<string, unknown> | undefined {
  return value === undefined || (value !== null && typeof value === 'object' && !Array.isArray(value));
}
