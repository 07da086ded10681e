/**
 * Thrown when the traffic algorithms get input they cannot use. `path` names the offending
 * value (for example `links[3].to` or `reading.occupancyPct`) so a caller can point at it; the
 * message repeats the path and says what was expected.
 */
export class TrafficInputError extends Error {
  override readonly name = 'TrafficInputError';
  /** Where the bad value is, as a property path into the input. */
  readonly path: string;

  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.path = path;
  }
}
