/**
 * The most recent `capacity` event ids, in insertion order: enough memory to recognize a
 * redelivery (JetStream redelivers until it has an ack, so one that was lost brings the event
 * back) without growing for ever.
 */
export class IdWindow {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      // A Set iterates in insertion order: the first value is the oldest id.
      this.ids.delete(this.ids.values().next().value!);
    }
  }
}
