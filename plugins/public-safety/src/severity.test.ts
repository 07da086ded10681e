import { describe, expect, it } from 'vitest';
import { severityOf } from './severity.js';

describe('severity rule', () => {
  it.each([
    [['collision'], 0, 2],
    [['collision'], 1, 3],
    [['collision'], 2, 3],
    [['collision'], 3, 4],
    [['collision'], 6, 5],
    [['fire'], 0, 3],
    [['fire'], 6, 5],
    [['other'], 0, 1],
    [['medical'], 1, 3],
    [['collision', 'fire'], 0, 3],
  ] as const)('rates %j with %i casualties as %i', (kinds, casualties, expected) => {
    expect(severityOf(kinds, casualties)).toBe(expected);
  });
});
