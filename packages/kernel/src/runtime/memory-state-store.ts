import type { StateStore } from '@polis/plugin-api';
import { encodeStateValue } from './guarded-state-store.js';

/**
 * A plugin's key-value state kept in the process. Values are stored as JSON, as a remote store
 * would. Plugins reach it through guardedStateStore, which checks every key and value first.
 */
export class MemoryStateStore implements StateStore {
  private readonly values = new Map<string, string>();

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const value = this.values.get(key);
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.values.set(key, encodeStateValue(key, value));
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  async keys(prefix = ''): Promise<string[]> {
    return [...this.values.keys()].filter((key) => key.startsWith(prefix)).sort();
  }
}
