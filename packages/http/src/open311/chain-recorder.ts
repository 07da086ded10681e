import { randomBytes } from 'node:crypto';
import type { Kernel } from '@polis/kernel';
import type { TransportHandle } from '@polis/kernel/transport';
import type { ChainEvent } from './accountability-view.js';

/**
 * Keeps what the accountability view needs of every event on the bus (not the data, but for a
 * status word: a citizen's description never lingers here), the last `capacity` of them.
 */
export class ChainRecorder {
  private readonly kept: ChainEvent[] = [];
  private handle: TransportHandle | undefined;

  private constructor(private readonly capacity: number) {}

  static async start(kernel: Kernel, capacity = 100_000): Promise<ChainRecorder> {
    const recorder = new ChainRecorder(capacity);
    recorder.handle = await kernel.bus.subscribe({
      owner: 'http-gateway',
      group: `http-accountability-${randomBytes(4).toString('hex')}`,
      pattern: '>',
      durable: false,
      retry: { maxAttempts: 1 },
      handler: (event) => {
        const { id, source, type, time, correlationid, causationid, subject } = event;
        // A status word (a case's `resolved`) is a state, not a citizen's text: it may be kept.
        const status = (event.data as { status?: unknown } | undefined)?.status;
        const state = typeof status === 'string' && status.length <= 32 ? { status } : {};
        recorder.kept.push({ id, source, type, time, correlationid, ...(causationid ? { causationid } : {}), ...(subject ? { subject } : {}), ...state });
        if (recorder.kept.length > recorder.capacity) recorder.kept.splice(0, recorder.kept.length - recorder.capacity);
      },
    });
    return recorder;
  }

  events(): readonly ChainEvent[] {
    return this.kept;
  }

  async close(): Promise<void> {
    await this.handle?.close();
  }
}
