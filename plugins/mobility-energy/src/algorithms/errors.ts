/**
 * Thrown when the mobility-energy algorithms get input they cannot use. `path` names the
 * offending value (for example `feeders[2].transformerId` or `demands[7].maxKw`) so a caller can
 * point at it; the message repeats the path and says what was expected.
 */
export class EnergyInputError extends Error {
  override readonly name = 'EnergyInputError';
  /** Where the bad value is, as a property path into the input. */
  readonly path: string;

  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.path = path;
  }
}
