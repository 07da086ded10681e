import type { CompatibilityMode, JsonSchema } from '@polis/plugin-api';

export interface SchemaRecord {
  readonly type: string;
  readonly version: number;
  readonly schema: JsonSchema;
  readonly compatibility: CompatibilityMode;
}

/**
 * Where registered schemas are kept. The default keeps them in the process; the NATS
 * transport offers a JetStream KV store so every node shares one registry.
 */
export interface SchemaStore {
  /** Every record known now. */
  list(): Promise<SchemaRecord[]>;
  /**
   * Stores the record unless (type, version) is already taken; resolves with the record that
   * is stored afterwards, which is another node's if it was first.
   */
  putIfAbsent(record: SchemaRecord): Promise<SchemaRecord>;
  /**
   * Calls `listener` with records other nodes add, and `onRemoved` with the (type, version) of
   * records taken back (another node's failed load rolling back); returns a function that stops
   * watching.
   */
  watch(listener: (record: SchemaRecord) => void, onRemoved?: (type: string, version: number) => void): Promise<() => void>;
  /**
   * Takes back a record this store wrote with `putIfAbsent` (a load that failed half-way rolls
   * back what it registered); a record another writer owns, or one already gone, is left alone.
   */
  remove(record: SchemaRecord): Promise<void>;
}

export class MemorySchemaStore implements SchemaStore {
  private readonly records = new Map<string, SchemaRecord>();

  async list(): Promise<SchemaRecord[]> {
    return [...this.records.values()];
  }

  async putIfAbsent(record: SchemaRecord): Promise<SchemaRecord> {
    const key = `${record.type}@${record.version}`;
    const existing = this.records.get(key);
    if (existing) return existing;
    this.records.set(key, record);
    return record;
  }

  async watch(): Promise<() => void> {
    return () => {};
  }

  async remove(record: SchemaRecord): Promise<void> {
    const key = `${record.type}@${record.version}`;
    if (this.records.get(key) === record) this.records.delete(key);
  }
}
