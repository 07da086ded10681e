import type { Clock } from '@polis/plugin-api';

/**
 * Readable domain ids that stay unique when a plugin restarts: a prefix, the clock's UTC second
 * and a sequence, e.g. `INC-20260101T080000-1` or `COR-amb-1-20260101T080000-2`. A bare counter
 * would hand out `INC-1` again after a restart, while other plugins still remember the first one.
 */
export class ReadableIds {
  private sequence = 0;

  constructor(private readonly clock: Clock) {}

  next(prefix: string): string {
    const stamp = new Date(this.clock.now()).toISOString().slice(0, 19).replace(/[-:]/g, '');
    return `${prefix}-${stamp}-${++this.sequence}`;
  }
}
