import { Kvm } from '@nats-io/kv';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { StateStore } from '@polis/plugin-api';
import { subjectToken } from './subject-scheme.js';

export const DEFAULT_STATE_BUCKET = 'polis_state';

export interface NatsKvStateOptions {
  /** The connection to use, opened on first use (a NatsTransport's `kernelConnection`, typically). */
  connection: () => Promise<NatsConnection>;
  /** KV bucket holding every plugin's state (default `polis_state`); one per deployment. */
  bucket?: string;
  /** Default 1. */
  replicas?: number;
}

/** KV keys allow `[-/_=.A-Za-z0-9]`; everything else in a state key (and `=`, `.`) is written `=XX`. */
const KEY_SAFE = /^[A-Za-z0-9_/-]$/;

/**
 * Plugin state in a NATS KV bucket, for `KernelOptions.stateStore`: it survives restarts and is
 * shared by a plugin's replicas. Each plugin's keys live under its own first token, so one
 * plugin's `keys()` never lists another's.
 */
export function natsKvStateStores(options: NatsKvStateOptions): (plugin: string) => StateStore {
  const bucket = options.bucket ?? DEFAULT_STATE_BUCKET;
  let kv: Promise<KV> | undefined;
  const open = (): Promise<KV> => {
    kv ??= (async () => new Kvm(await options.connection()).create(bucket, { history: 1, replicas: options.replicas ?? 1 }))().catch((cause: unknown) => {
      kv = undefined;
      throw new PolisError(ErrorCodes.TRANSPORT_FAILED, `cannot open the state KV bucket '${bucket}': ${(cause as Error).message}`, { cause, details: { bucket } });
    });
    return kv;
  };
  return (plugin) => new NatsKvStateStore(open, plugin);
}

class NatsKvStateStore implements StateStore {
  private readonly root: string;

  constructor(
    private readonly kv: () => Promise<KV>,
    plugin: string,
  ) {
    this.root = `${subjectToken(plugin)}.`;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const entry = await (await this.kv()).get(this.root + encodeKey(key));
    return entry?.operation === 'PUT' ? entry.json<T>() : undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    let encoded: string | undefined;
    try {
      encoded = JSON.stringify(value);
    } catch {
      // A BigInt or a cycle: no JSON form, as for undefined below.
    }
    if (encoded === undefined) throw new PolisError(ErrorCodes.ARGUMENT_INVALID, `state '${key}': value must be JSON-serializable`, { details: { argument: 'value' } });
    await (await this.kv()).put(this.root + encodeKey(key), encoded);
  }

  async delete(key: string): Promise<void> {
    await (await this.kv()).delete(this.root + encodeKey(key));
  }

  async keys(prefix = ''): Promise<string[]> {
    const kv = await this.kv();
    const keys: string[] = [];
    for await (const stored of await kv.keys(`${this.root}>`)) {
      const key = decodeKey(stored.slice(this.root.length));
      if (key.startsWith(prefix)) keys.push(key);
    }
    return keys.sort();
  }
}

function encodeKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) throw new PolisError(ErrorCodes.ARGUMENT_INVALID, 'a state key must be a non-empty string', { details: { argument: 'key' } });
  let out = '';
  for (const char of key) {
    if (KEY_SAFE.test(char)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function decodeKey(stored: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < stored.length; i++) {
    if (stored[i] === '=') {
      bytes.push(Number.parseInt(stored.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(stored.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
