import { describe, expect, it } from 'vitest';
import { emergencySpeedKph } from './emergency-travel-time.js';

describe('emergencySpeedKph', () => {
  it('drives above the limit on a free road', () => {
    expect(emergencySpeedKph(50, 50)).toBeCloseTo(60, 9);
  });

  it('slows less than the traffic in congestion', () => {
    expect(emergencySpeedKph(50, 12.5)).toBeCloseTo(30, 9);
  });

  it('is as slow as the traffic with exponent 1, and never slowed with 0', () => {
    expect(emergencySpeedKph(50, 10, { speedFactor: 1, congestionExponent: 1, maxSpeedKph: 200 })).toBeCloseTo(10, 9);
    expect(emergencySpeedKph(50, 10, { speedFactor: 1, congestionExponent: 0, maxSpeedKph: 200 })).toBe(50);
  });

  it('caps the speed', () => {
    expect(emergencySpeedKph(120, 120, { speedFactor: 1.2, congestionExponent: 0.5, maxSpeedKph: 110 })).toBe(110);
  });

  it('refuses a stopped traffic speed (a link never takes forever: callers floor it)', () => {
    expect(() => emergencySpeedKph(50, 0)).toThrow(/trafficSpeedKph/);
  });
});
