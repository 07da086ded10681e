/**
 * The most recent `capacity` event ids: enough memory to recognize a redelivery (JetStream
 * redelivers until it has an ack, so one that was lost brings the event back) without growing
 * for ever. A ring of ids beside a set: the oldest id is dropped by position, with no iterator
 * allocated per event.
 */
export class IdWindow {
  private readonly ids = new Set<string>();
  private readonly ring: Array<string | undefined>;
  private next = 0;

  constructor(capacity: number) {
    this.ring = new Array<string | undefined>(Math.max(1, capacity));
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    const oldest = this.ring[this.next];
    if (oldest !== undefined) this.ids.delete(oldest);
    this.ring[this.next] = id;
    this.next = (this.next + 1) % this.ring.length;
    this.ids.add(id);
  }
}
