import { describe, expect, it } from 'vitest';
import { createScaledClock } from './scaled-clock.js';

describe('createScaledClock', () => {
  it('runs time and timers faster by its speed', async () => {
    const clock = createScaledClock(100, 0);
    const started = performance.now();
    await clock.sleep(2000);
    const realMs = performance.now() - started;
    expect(realMs).toBeLessThan(200);
    expect(clock.now()).toBeGreaterThanOrEqual(2000);
  });

  it('refuses a speed that is not a positive number', () => {
    expect(() => createScaledClock(0)).toThrow(/positive/);
  });
});
