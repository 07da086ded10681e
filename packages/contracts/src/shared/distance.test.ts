import { describe, expect, it } from 'vitest';
import { haversineM, straightLineEtaS } from './distance.js';

describe('haversine distance', () => {
  it('measures one degree of latitude as 111 195 m on the mean-radius sphere', () => {
    // 6 371 008.8 m * pi / 180 = 111 195.08 m
    expect(haversineM({ lat: 30, lon: 120 }, { lat: 31, lon: 120 })).toBeCloseTo(111_195.08, 1);
  });

  it('shrinks a degree of longitude by the cosine of the latitude', () => {
    // At 60 degrees the parallel is half as long (55 597.5 m per degree); the great circle between
    // the two points cuts the corner: 2R asin(cos 60 sin 0.5) = 55 597.01 m.
    expect(haversineM({ lat: 60, lon: 10 }, { lat: 60, lon: 11 })).toBeCloseTo(55_597.01, 1);
  });

  it('gives the straight-line travel time at a speed: 1 km at 36 km/h takes 100 s', () => {
    const from = { lat: 0, lon: 0 };
    const to = { lat: 1000 / 111_195.08, lon: 0 };
    expect(straightLineEtaS(from, to, 36)).toBeCloseTo(100, 3);
  });
});
