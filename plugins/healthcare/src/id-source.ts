import type { Clock } from '@polis/plugin-api';

/**
 * Readable ids that stay unique when the plugin restarts: the clock's UTC second plus a
 * sequence, e.g. `COR-amb-1-20260101T080000-1`. A bare counter would hand out the same id again after
 * a restart, while traffic may still hold a corridor under it.
 */
export class IdSource {
  private sequence = 0;

  constructor(private readonly clock: Clock) {}

  next(prefix: string): string {
    const stamp = new Date(this.clock.now()).toISOString().slice(0, 19).replace(/[-:]/g, '');
    return `${prefix}-${stamp}-${++this.sequence}`;
  }
}
