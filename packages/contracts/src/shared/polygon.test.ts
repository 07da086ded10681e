import { describe, expect, it } from 'vitest';
import { pointInPolygon } from './polygon.js';

// A 2 x 1 degree rectangle, and an L shape whose notch (the north-east square) is outside it.
const rectangle = [
  { lat: 0, lon: 0 },
  { lat: 0, lon: 2 },
  { lat: 1, lon: 2 },
  { lat: 1, lon: 0 },
];
const ell = [
  { lat: 0, lon: 0 },
  { lat: 0, lon: 2 },
  { lat: 1, lon: 2 },
  { lat: 1, lon: 1 },
  { lat: 2, lon: 1 },
  { lat: 2, lon: 0 },
];

describe('pointInPolygon', () => {
  it('finds points inside and outside a rectangle', () => {
    expect(pointInPolygon({ lat: 0.5, lon: 1.5 }, rectangle)).toBe(true);
    expect(pointInPolygon({ lat: 1.5, lon: 1 }, rectangle)).toBe(false);
    expect(pointInPolygon({ lat: 0.5, lon: -0.1 }, rectangle)).toBe(false);
  });

  it('does not depend on the winding order', () => {
    expect(pointInPolygon({ lat: 0.5, lon: 1.5 }, [...rectangle].reverse())).toBe(true);
  });

  it('leaves the notch of a concave polygon outside', () => {
    expect(pointInPolygon({ lat: 1.5, lon: 0.5 }, ell)).toBe(true);
    expect(pointInPolygon({ lat: 0.5, lon: 1.5 }, ell)).toBe(true);
    expect(pointInPolygon({ lat: 1.5, lon: 1.5 }, ell)).toBe(false);
  });
});
