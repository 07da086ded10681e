import type { Clock, TimerHandle } from '@polis/plugin-api';
import { invalidArgument } from './invalid-argument.js';
import { assertTimer } from './plugin-clock.js';

/**
 * A clock running `speed` times faster than the wall clock, from `startAt`. Simulations and
 * demos use it so that a four-minute ambulance trip plays out in seconds while every plugin
 * still reasons in real minutes.
 */
export function createScaledClock(speed: number, startAt: number = Date.now()): Clock {
  if (typeof speed !== 'number' || !(speed > 0) || !Number.isFinite(speed)) throw invalidArgument('clock speed', 'a positive number', speed);
  if (typeof startAt !== 'number' || !Number.isFinite(startAt)) throw invalidArgument('startAt', 'a time in milliseconds', startAt);
  const origin = performance.now();
  const now = () => startAt + (performance.now() - origin) * speed;
  return {
    now,
    setTimeout: (callback, ms): TimerHandle => (assertTimer(callback, ms), setTimeout(callback, ms / speed).unref()),
    setInterval: (callback, ms): TimerHandle => (assertTimer(callback, ms), setInterval(callback, ms / speed).unref()),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    sleep: (ms) => new Promise<void>((resolve) => (assertTimer(resolve, ms), setTimeout(resolve, ms / speed))),
  };
}
