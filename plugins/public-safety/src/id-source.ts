import type { Clock } from '@polis/plugin-api';

/**
 * Readable ids that stay unique when the plugin restarts: the clock's UTC second plus a
 * sequence, e.g. `INC-20260101T080000-1`. A bare counter would hand out `INC-1` again after a
 * restart, and other plugins still remember the first one.
 */
export class IdSource {
  private sequence = 0;

  constructor(private readonly clock: Clock) {}

  next(prefix: string): string {
    const stamp = new Date(this.clock.now()).toISOString().slice(0, 19).replace(/[-:]/g, '');
    return `${prefix}-${stamp}-${++this.sequence}`;
  }
}
