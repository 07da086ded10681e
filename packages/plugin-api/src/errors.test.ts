import { describe, expect, it } from 'vitest';
import { ErrorCodes, PolisAggregateError, PolisError, isPolisError } from './errors.js';

// Errors from another installed copy of this package: test/kernel/error-codes.test.ts.
describe('PolisError', () => {
  it('is not faked by an object that merely carries a code', () => {
    expect(isPolisError(new PolisError(ErrorCodes.EVENT_INVALID, 'x'), ErrorCodes.EVENT_INVALID)).toBe(true);
    expect(isPolisError({ code: ErrorCodes.EVENT_INVALID, message: 'x' })).toBe(false);
    expect(isPolisError(Object.assign(new Error('x'), { code: ErrorCodes.EVENT_INVALID }))).toBe(false);
    expect(isPolisError(null)).toBe(false);
    expect(isPolisError('POLIS_EVENT_INVALID')).toBe(false);
  });

  it('is made from whatever a JavaScript caller passes, without a TypeError', () => {
    expect(new PolisError(ErrorCodes.INVALID_STATE, 'x', null as never)).toMatchObject({ code: ErrorCodes.INVALID_STATE, details: {} });
    expect(new PolisAggregateError(ErrorCodes.STARTUP_FAILED, 'none', null as never).errors).toEqual([]);
  });
});
