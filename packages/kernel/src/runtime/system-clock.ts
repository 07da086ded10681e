import type { Clock, TimerHandle } from '@polis/plugin-api';

/** Wall-clock time and Node timers. Timers are unref'd: a plugin's timer never keeps a process alive. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (callback: () => void, ms: number): TimerHandle => setTimeout(callback, ms).unref(),
  setInterval: (callback: () => void, ms: number): TimerHandle => setInterval(callback, ms).unref(),
  clearTimer: (handle: TimerHandle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
});
