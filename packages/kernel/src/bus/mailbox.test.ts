import type { CloudEvent } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';
import { Mailbox } from './mailbox.js';
import type { DeadLetter, TransportSubscription } from './transport.js';

const event = (id: string, priority?: 'emergency'): CloudEvent =>
  ({ id, type: 'test.thing.happened', ...(priority ? { priority } : {}) }) as unknown as CloudEvent;

function subscription(handle: TransportSubscription['handle'], overrides: Partial<TransportSubscription> = {}): TransportSubscription {
  return {
    pattern: 'test.>',
    group: 'g',
    owner: 'tester',
    concurrency: 1,
    durable: false,
    timeoutMs: 5_000,
    retry: { maxAttempts: 3, initialDelayMs: 1, backoffFactor: 2, maxDelayMs: 10 },
    handle,
    ...overrides,
  };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(condition()).toBe(true);
};

describe('Mailbox', () => {
  it('hands emergency events to the handler before routine ones already waiting', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const mailbox = new Mailbox(
      subscription(async (e) => {
        order.push(e.id);
        if (e.id === 'r0') await gate;
      }),
      async () => {},
    );
    mailbox.push(event('r0'));
    await until(() => order.length === 1);
    for (let i = 1; i <= 5; i++) mailbox.push(event(`r${i}`));
    mailbox.push(event('e1', 'emergency'));
    release();
    await until(() => order.length === 7);
    expect(order).toEqual(['r0', 'e1', 'r1', 'r2', 'r3', 'r4', 'r5']);
  });

  it('retries a failing event with backoff, then dead-letters it with the last error', async () => {
    const attempts: number[] = [];
    const letters: DeadLetter[] = [];
    const mailbox = new Mailbox(
      subscription(async () => {
        attempts.push(Date.now());
        throw new Error(`boom ${attempts.length}`);
      }),
      async (letter) => void letters.push(letter),
    );
    mailbox.push(event('x'));
    await until(() => letters.length === 1);
    expect(attempts).toHaveLength(3);
    // Backoff of 1 ms then 2 ms: the attempts are spaced, never immediate.
    expect(attempts[2]! - attempts[0]!).toBeGreaterThanOrEqual(3);
    expect(letters[0]).toMatchObject({ owner: 'tester', pattern: 'test.>', attempts: 3, event: { id: 'x' } });
    expect((letters[0]!.error as Error).message).toBe('boom 3');
  });

  it('keeps handling later events while a failed one waits for its retry', async () => {
    const handled: string[] = [];
    let failOnce = true;
    const mailbox = new Mailbox(
      subscription(
        async (e) => {
          if (e.id === 'a' && failOnce) {
            failOnce = false;
            throw new Error('transient');
          }
          handled.push(e.id);
        },
        { retry: { maxAttempts: 2, initialDelayMs: 30, backoffFactor: 1, maxDelayMs: 30 } },
      ),
      async () => {},
    );
    mailbox.push(event('a'));
    mailbox.push(event('b'));
    await until(() => handled.length === 2);
    expect(handled).toEqual(['b', 'a']);
  });

  it('never runs more handlers at once than its concurrency', async () => {
    let running = 0;
    let peak = 0;
    const mailbox = new Mailbox(
      subscription(
        async () => {
          peak = Math.max(peak, ++running);
          await new Promise((r) => setTimeout(r, 1));
          running--;
        },
        { concurrency: 3 },
      ),
      async () => {},
    );
    for (let i = 0; i < 20; i++) mailbox.push(event(String(i)));
    await until(() => mailbox.pending === 0);
    expect(peak).toBe(3);
  });

  it('waits for handlers in flight when closed and takes nothing afterwards', async () => {
    let finished = false;
    const mailbox = new Mailbox(
      subscription(async () => {
        await new Promise((r) => setTimeout(r, 20));
        finished = true;
      }),
      async () => {},
    );
    mailbox.push(event('a'));
    await new Promise((r) => setTimeout(r, 1));
    await mailbox.close();
    expect(finished).toBe(true);
    mailbox.push(event('b'));
    expect(mailbox.pending).toBe(0);
  });
});
