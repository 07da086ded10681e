import type { Clock, TimerHandle } from '@polis/plugin-api';
import { assertTimer } from './plugin-clock.js';

/** Wall-clock time and Node timers. Timers are unref'd: a plugin's timer never keeps a process alive. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (callback: () => void, ms: number): TimerHandle => (assertTimer(callback, ms), setTimeout(callback, ms).unref()),
  setInterval: (callback: () => void, ms: number): TimerHandle => (assertTimer(callback, ms), setInterval(callback, ms).unref()),
  clearTimer: (handle: TimerHandle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  sleep: (ms: number) => new Promise<void>((resolve) => (assertTimer(resolve, ms), setTimeout(resolve, ms))),
});
