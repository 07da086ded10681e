import { ErrorCodes, PolisError } from '@polis/plugin-api';

/** ARGUMENT_INVALID, as the kernel raises it for its own arguments. */
export function invalid(argument: string, expected: string, got: unknown): PolisError {
  return new PolisError(ErrorCodes.ARGUMENT_INVALID, `${argument} must be ${expected}, got ${got === null ? 'null' : typeof got === 'object' ? 'an object' : typeof got === 'function' ? 'a function' : String(got)}`, { details: { argument } });
}
