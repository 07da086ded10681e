import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Tally } from './tally.js';

/**
 * A publisher that runs flat out hands control back to the event loop every this many events,
 * as a real one does between batches: handlers that run in a microtask or on the next turn
 * (Polis, Moleculer's promise chain) then keep up, and queues stay short. Every contender's
 * publisher follows the same pattern.
 */
const YIELD_EVERY = 1_000;

/** How a time-bounded measurement ran, for a result's notes. */
export function measuring(durationMs: number): string {
  return `each measurement publishes for ${durationMs} ms or more, yielding to the event loop every ${YIELD_EVERY.toLocaleString('en-US')} events`;
}

/** A run in which no event is handled for this long fails instead of hanging the bench. */
export const STALL_MS = 30_000;

/**
 * Events published and handled per second. `publish` is called in batches of YIELD_EVERY until
 * `durationMs` have passed, so a fast contender (EventEmitter) is measured over as long a time as
 * a slow one; the clock stops when `tally` has counted every event `fanout` times.
 */
export async function publishThroughput(what: string, durationMs: number, fanout: number, publish: () => unknown, tally: Tally): Promise<number> {
  const before = tally.count;
  let published = 0;
  const start = performance.now();
  do {
    for (let i = 0; i < YIELD_EVERY; i++) publish();
    published += YIELD_EVERY;
    await nextTurn();
  } while (performance.now() - start < durationMs);
  const expected = before + published * fanout;
  await tally.reach(expected, what, STALL_MS);
  const seconds = (performance.now() - start) / 1000;
  assertExact(what, tally, expected);
  return published / seconds;
}

/**
 * Events published and handled per second, with `window` publishes in flight at once: each of
 * `window` lanes awaits its publish before the next, as a publisher that waits for the broker's
 * acknowledgement does. The clock stops when `tally` has counted every event `fanout` times.
 */
export async function windowedThroughput(what: string, events: number, window: number, publish: () => Promise<unknown>, tally: Tally, fanout = 1): Promise<number> {
  const expected = tally.count + events * fanout;
  let sent = 0;
  const lane = async (): Promise<void> => {
    while (sent < events) {
      sent++;
      await publish();
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: window }, lane));
  await tally.reach(expected, what, STALL_MS);
  const seconds = (performance.now() - start) / 1000;
  assertExact(what, tally, expected);
  return events / seconds;
}

/** Every event was handled once, whole: a contender that drops or doubles events has no figure. */
function assertExact(what: string, tally: Tally, expected: number): void {
  if (tally.count !== expected) throw new Error(`${what}: ${tally.count - expected} more handler calls than events sent`);
  tally.assertIntact(what);
}

/** Publishes `events` events flat out, yielding every YIELD_EVERY, for a consumer elsewhere to time. */
export async function publishCount(events: number, publish: () => unknown): Promise<void> {
  for (let i = 1; i <= events; i++) {
    publish();
    if (i % YIELD_EVERY === 0) await nextTurn();
  }
}
