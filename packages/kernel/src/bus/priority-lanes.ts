/**
 * A FIFO queue with two lanes: whatever is urgent is taken before anything routine, and each
 * lane keeps its order. The routine lane is an array read from a moving head, compacted now and
 * then, because `shift()` is O(n) on the long backlogs telemetry builds up.
 */
export class PriorityLanes<T> {
  private readonly urgent: T[] = [];
  private readonly routine: T[] = [];
  private routineHead = 0;

  get size(): number {
    return this.urgent.length + this.routine.length - this.routineHead;
  }

  push(item: T, urgent: boolean): void {
    if (urgent) this.urgent.push(item);
    else this.routine.push(item);
  }

  /** The next item: the oldest urgent one, else the oldest routine one. */
  take(): T | undefined {
    if (this.urgent.length > 0) return this.urgent.shift();
    if (this.routineHead >= this.routine.length) return undefined;
    const item = this.routine[this.routineHead++];
    if (this.routineHead > 1024 && this.routineHead * 2 > this.routine.length) {
      this.routine.splice(0, this.routineHead);
      this.routineHead = 0;
    }
    return item;
  }

  /** Empties the queue, returning what waited (urgent first). */
  drain(): T[] {
    const items = [...this.urgent, ...this.routine.slice(this.routineHead)];
    this.urgent.length = 0;
    this.routine.length = 0;
    this.routineHead = 0;
    return items;
  }
}
