import { randomBytes } from 'node:crypto';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { StateStore } from '@polis/plugin-api';

/** Where the key lives in the kernel's own state store (`~kernel`: no plugin can take that name). */
const KEY = 'outbox-key';

/** 32 random bytes in hex, as this module writes it. */
const isKey = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);

/**
 * The deployment's outbox key (IdGenerator.outboxId): read from the kernel's state store, or made
 * and stored by the first kernel to start. Every kernel of the deployment, and each one after a
 * restart, then derives the same ids for what a handler sends, which is what lets the broker drop
 * a re-run's copies; no plugin login can read the store (only the kernel's user has the KV
 * subjects, docs/security.md), so no plugin can derive them. Read back after writing, so two
 * kernels starting together for the first time settle on the last one stored; one that read
 * before the other wrote keeps its own until it restarts (its re-runs are then not de-duplicated
 * against the other's).
 */
export async function sharedOutboxKey(store: StateStore): Promise<string> {
  const found = await store.get(KEY);
  if (isKey(found)) return found;
  if (found !== undefined) throw new PolisError(ErrorCodes.INVALID_STATE, `the kernel's state holds a malformed '${KEY}' (expected 64 hex digits): remove it to have a new one made`);
  await store.set(KEY, randomBytes(32).toString('hex'));
  const stored = await store.get(KEY);
  if (!isKey(stored)) throw new PolisError(ErrorCodes.INVALID_STATE, `the kernel's state store did not keep '${KEY}'`);
  return stored;
}
