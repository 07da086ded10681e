/** A refusal in the GeoReport v2 error format: a list of `{code, description}` with a 4xx status. */
export class GeoReportError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ReadonlyArray<{ readonly code: number; readonly description: string }>,
  ) {
    super(errors.map((e) => e.description).join('; '));
  }

  static of(status: number, description: string): GeoReportError {
    return new GeoReportError(status, [{ code: status, description }]);
  }
}
