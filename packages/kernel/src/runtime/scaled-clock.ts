import type { Clock, TimerHandle } from '@polis/plugin-api';

/**
 * A clock running `speed` times faster than the wall clock, from `startAt`. Simulations and
 * demos use it so that a four-minute ambulance trip plays out in seconds while every plugin
 * still reasons in real minutes.
 */
export function createScaledClock(speed: number, startAt: number = Date.now()): Clock {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`clock speed must be a positive number, got ${speed}`);
  const origin = performance.now();
  const now = () => startAt + (performance.now() - origin) * speed;
  return {
    now,
    setTimeout: (callback, ms): TimerHandle => setTimeout(callback, ms / speed).unref(),
    setInterval: (callback, ms): TimerHandle => setInterval(callback, ms / speed).unref(),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms / speed)),
  };
}
