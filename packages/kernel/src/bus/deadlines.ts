/**
 * The handler calls in flight on one subscription, each with its deadline. All share the
 * subscription's timeout, so insertion order is deadline order: one timer, armed for the oldest
 * call, serves them all (a timer per call would cost every event a setTimeout and a clearTimeout).
 * A call that ends just leaves the map; the timer, when it fires, re-arms for the next.
 */
export class Deadlines<T> {
  private readonly entries = new Map<T, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly onExpired: (item: T) => void,
  ) {}

  add(item: T): void {
    this.entries.set(item, Date.now() + this.timeoutMs);
    if (this.timer === undefined) this.arm(this.timeoutMs);
  }

  delete(item: T): void {
    this.entries.delete(item);
  }

  /** Forgets every call and stops the timer. */
  clear(): void {
    this.entries.clear();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(this.fire, ms);
    // A handler still running keeps nothing alive by itself; neither should its deadline.
    this.timer.unref?.();
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = Date.now();
    for (const [item, at] of this.entries) {
      if (at > now) {
        this.arm(at - now);
        return;
      }
      this.entries.delete(item);
      this.onExpired(item);
    }
  };
}
