import { ErrorCodes, PolisError } from '@polis/plugin-api';

/** Where in a deployment's files something is: the file, and the line and column when known. */
export interface SourcePosition {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** `city.yaml:12:5` (or `city.yaml` when the line is not known). */
export function formatPosition(at: SourcePosition): string {
  if (at.line === undefined) return at.file;
  return `${at.file}:${at.line}${at.column === undefined ? '' : `:${at.column}`}`;
}

/**
 * A problem in a deployment's files, with its position in the message and in `details`.
 * Messages say where and why, never what a file contains: a deployment may point at secrets.
 */
export function deploymentProblem(message: string, at: SourcePosition, details: Record<string, unknown> = {}): PolisError {
  return new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `${formatPosition(at)}: ${message}`, {
    details: { file: at.file, line: at.line, column: at.column, ...details },
  });
}
