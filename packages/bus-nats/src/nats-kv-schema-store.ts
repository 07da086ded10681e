import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { SchemaRecord, SchemaStore } from '@polis/kernel';
import { ErrorCodes, PolisError } from '@polis/plugin-api';

export const DEFAULT_SCHEMA_BUCKET = 'polis_schemas';

export interface NatsKvSchemaStoreOptions {
  /** The connection to use, opened on first use (a NatsTransport's `kernelConnection`, typically). */
  connection: () => Promise<NatsConnection>;
  /** KV bucket holding the registry (default `polis_schemas`); one per deployment. */
  bucket?: string;
  /** Default 1. */
  replicas?: number;
}

/**
 * The schema registry's records in a NATS KV bucket, so every node of a deployment shares one
 * registry. A record is written with `create`, which succeeds only if the key is new: when two
 * nodes register the same (type, version) at once, one wins and the other adopts its record. Each
 * node watches the bucket and learns what the others register; compatibility is checked by each
 * registering node against the versions it knows.
 */
export class NatsKvSchemaStore implements SchemaStore {
  private kv: Promise<KV> | undefined;
  private readonly bucket: string;
  /** The KV revision of each record this store created, so `remove` takes back only its own writes. */
  private readonly created = new WeakMap<SchemaRecord, number>();

  constructor(private readonly options: NatsKvSchemaStoreOptions) {
    this.bucket = options.bucket ?? DEFAULT_SCHEMA_BUCKET;
  }

  async list(): Promise<SchemaRecord[]> {
    const kv = await this.open();
    const records: SchemaRecord[] = [];
    for await (const key of await kv.keys()) {
      const entry = await kv.get(key);
      if (entry?.operation !== 'PUT') continue;
      try {
        records.push(decode(entry.json<SchemaRecord>()));
      } catch {
        // As in watch(): a record this node cannot read stays unknown here.
      }
    }
    return records;
  }

  async putIfAbsent(record: SchemaRecord): Promise<SchemaRecord> {
    const kv = await this.open();
    const key = keyOf(record.type, record.version);
    try {
      this.created.set(record, await kv.create(key, JSON.stringify(record)));
      return record;
    } catch (createError) {
      // `create` fails when the key exists: the stored record is the one that counts.
      const entry = await kv.get(key).catch(() => null);
      if (entry?.operation === 'PUT') return decode(entry.json<SchemaRecord>());
      throw new PolisError(ErrorCodes.TRANSPORT_FAILED, `cannot store schema ${record.type} v${record.version} in KV bucket '${this.bucket}': ${(createError as Error).message}`, {
        cause: createError,
        details: { bucket: this.bucket, type: record.type, version: record.version },
      });
    }
  }

  /**
   * Deletes a record at the revision this store created it, so a record another node has since
   * written under the key is never touched. Nodes that adopted the record meanwhile learn of the
   * deletion through `watch`.
   */
  async remove(record: SchemaRecord): Promise<void> {
    const revision = this.created.get(record);
    if (revision === undefined) return;
    const kv = await this.open();
    try {
      await kv.delete(keyOf(record.type, record.version), { previousSeq: revision });
    } catch {
      // Changed since: no longer this store's record to take back.
    }
    this.created.delete(record);
  }

  async watch(listener: (record: SchemaRecord) => void, onRemoved?: (type: string, version: number) => void): Promise<() => void> {
    const kv = await this.open();
    // Current values first, then changes: nothing registered between list() and here is missed.
    const updates = await kv.watch({ key: '>' });
    void (async () => {
      for await (const entry of updates) {
        if (entry.operation !== 'PUT') {
          // A DEL or PURGE: another node's failed load took its record back, and nodes that
          // adopted it meanwhile must not keep checking new versions against it.
          const key = parseKey(entry.key);
          if (key) onRemoved?.(key.type, key.version);
          continue;
        }
        try {
          listener(decode(entry.json<SchemaRecord>()));
        } catch {
          // A record this node cannot read stays unknown here, as the registry does for one it cannot compile.
        }
      }
    })();
    return () => updates.stop();
  }

  private open(): Promise<KV> {
    this.kv ??= (async () => {
      try {
        return await new Kvm(await this.options.connection()).create(this.bucket, { history: 1, replicas: this.options.replicas ?? 1 });
      } catch (cause) {
        this.kv = undefined;
        throw new PolisError(ErrorCodes.TRANSPORT_FAILED, `cannot open the schema registry's KV bucket '${this.bucket}': ${(cause as Error).message}`, {
          cause,
          details: { bucket: this.bucket },
        });
      }
    })();
    return this.kv;
  }
}

/** KV keys are subject-like: `<type>.v<version>` keeps a type's versions together. */
function keyOf(type: string, version: number): string {
  return `${type}.v${version}`;
}

function parseKey(key: string): { type: string; version: number } | undefined {
  const match = /^(.+)\.v(\d+)$/.exec(key);
  return match ? { type: match[1]!, version: Number(match[2]) } : undefined;
}

function decode(record: SchemaRecord): SchemaRecord {
  if (typeof record?.type !== 'string' || !Number.isInteger(record.version) || typeof record.schema !== 'object') {
    throw new PolisError(ErrorCodes.SCHEMA_INVALID, 'a schema record in the KV bucket is malformed');
  }
  return record;
}
