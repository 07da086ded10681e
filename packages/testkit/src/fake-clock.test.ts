import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.js';

describe('FakeClock', () => {
  it('stands still until advanced, then fires due timers in time order', async () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 200);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 100);
    const tick = clock.setInterval(() => fired.push(`tick@${clock.now()}`), 150);
    expect(clock.now()).toBe(0);
    await clock.advance(320);
    expect(fired).toEqual(['a@100', 'tick@150', 'b@200', 'tick@300']);
    expect(clock.now()).toBe(320);
    clock.clearTimer(tick);
    await clock.advance(1000);
    expect(fired).toHaveLength(4);
    expect(clock.pendingTimers).toBe(0);
  });

  it('lets async work started by a timer settle before the next timer fires', async () => {
    const clock = new FakeClock(0);
    const order: string[] = [];
    clock.setTimeout(() => {
      void (async () => {
        await Promise.resolve();
        await new Promise((r) => setImmediate(r));
        order.push('first finished');
      })();
    }, 10);
    clock.setTimeout(() => order.push('second fired'), 20);
    await clock.advance(30);
    expect(order).toEqual(['first finished', 'second fired']);
  });

  it('resolves sleep when time passes it', async () => {
    const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    let woke = false;
    void clock.sleep(5000).then(() => (woke = true));
    await clock.advance(4999);
    expect(woke).toBe(false);
    await clock.advance(1);
    expect(woke).toBe(true);
    expect(new Date(clock.now()).toISOString()).toBe('2026-01-01T00:00:05.000Z');
  });
});
