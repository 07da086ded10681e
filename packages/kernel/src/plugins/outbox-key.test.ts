import { ErrorCodes } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';
import { IdGenerator, isOutboxEventId } from '../bus/envelope.js';
import { MemoryStateStore } from '../runtime/memory-state-store.js';
import { sharedOutboxKey } from './outbox-key.js';

const SEED = 'desk\u0000desk\u0000detector\u00000f6c1a52-9a7e-4f0e-8a7a-2d3b1c9e8f10';

describe('outbox ids', () => {
  it('are the same for the same seed under one key, and cannot be derived without it', () => {
    const a = new IdGenerator();
    const b = new IdGenerator();
    // Each process's own key until the deployment's is read: a stranger's generator derives other ids.
    expect(a.outboxId(SEED, 0)).not.toBe(b.outboxId(SEED, 0));
    const key = 'ab'.repeat(32);
    a.useOutboxKey(key);
    b.useOutboxKey(key);
    expect(a.outboxId(SEED, 0)).toBe(b.outboxId(SEED, 0));
    expect(a.outboxId(SEED, 0)).not.toBe(a.outboxId(SEED, 1));
    expect(isOutboxEventId(a.outboxId(SEED, 3))).toBe(true);
    expect(isOutboxEventId(a.nextId())).toBe(false);
  });

  it('use one key per deployment: made by the first kernel, read by every later one', async () => {
    const store = new MemoryStateStore();
    const first = await sharedOutboxKey(store);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    await expect(sharedOutboxKey(store)).resolves.toBe(first);
    await expect(sharedOutboxKey(new MemoryStateStore())).resolves.not.toBe(first);
  });

  it('refuse a malformed stored key instead of keying ids with it', async () => {
    const store = new MemoryStateStore();
    await store.set('outbox-key', 'short');
    await expect(sharedOutboxKey(store)).rejects.toMatchObject({ code: ErrorCodes.INVALID_STATE, message: expect.stringContaining("malformed 'outbox-key'") });
  });
});
