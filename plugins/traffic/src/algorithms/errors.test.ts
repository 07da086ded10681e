import { describe, expect, it } from 'vitest';
import { TrafficInputError } from './errors.js';

describe('TrafficInputError', () => {
  it('carries the path of the bad value and repeats it in the message', () => {
    const error = new TrafficInputError('links[3].to', 'unknown node "X"');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TrafficInputError');
    expect(error.path).toBe('links[3].to');
    expect(error.message).toBe('links[3].to: unknown node "X"');
  });
});
