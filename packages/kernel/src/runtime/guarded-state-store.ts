import type { StateStore } from '@polis/plugin-api';
import { invalidArgument } from './invalid-argument.js';

/** Throws ARGUMENT_INVALID unless `key` is a non-empty string (every state store's rule). */
export function assertStateKey(key: unknown, argument = 'a state key'): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw invalidArgument(argument, 'a non-empty string', key);
}

/** `value` as JSON, or ARGUMENT_INVALID if it has no JSON form (undefined, a function, a BigInt, a cycle). */
export function encodeStateValue(key: string, value: unknown): string {
  let encoded: string | undefined;
  try {
    encoded = JSON.stringify(value);
  } catch {
    encoded = undefined;
  }
  if (encoded === undefined) throw invalidArgument(`the value of state '${key}'`, 'JSON-serializable', value);
  return encoded;
}

/**
 * A plugin's state store as its `ctx.state`: every argument checked before the store sees it, so
 * a bad key or value is ARGUMENT_INVALID whatever store a deployment plugs in.
 */
export function guardedStateStore(store: StateStore): StateStore {
  return {
    get: async (key) => {
      assertStateKey(key);
      return store.get(key);
    },
    set: async (key, value) => {
      assertStateKey(key);
      encodeStateValue(key, value);
      return store.set(key, value);
    },
    delete: async (key) => {
      assertStateKey(key);
      return store.delete(key);
    },
    keys: async (prefix = '') => {
      if (typeof prefix !== 'string') throw invalidArgument('a key prefix', 'a string', prefix);
      return store.keys(prefix);
    },
  };
}
