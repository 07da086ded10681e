import { ErrorCodes, PolisAggregateError, PolisError } from '@polis/plugin-api';

/** Codes of refusals that happen at the HTTP boundary, before anything reaches the kernel. */
export const HttpErrorCodes = {
  /** No `Authorization: Bearer <token>`, or a token no source (or the admin) has. */
  UNAUTHORIZED: 'POLIS_HTTP_UNAUTHORIZED',
  /** The caller's token does not allow this event type, query, stream or the admin API. */
  FORBIDDEN: 'POLIS_HTTP_FORBIDDEN',
  /** No such route, plugin or query. */
  NOT_FOUND: 'POLIS_HTTP_NOT_FOUND',
  /** The body is not what its content type says (not JSON, not UTF-8, not an object). */
  BODY_MALFORMED: 'POLIS_HTTP_BODY_MALFORMED',
  /** The body is over the gateway's size limit. */
  BODY_TOO_LARGE: 'POLIS_HTTP_BODY_TOO_LARGE',
  /** The content type is not one this route reads. */
  UNSUPPORTED_MEDIA_TYPE: 'POLIS_HTTP_UNSUPPORTED_MEDIA_TYPE',
  /** A CloudEvent's attributes break the CloudEvents 1.0 spec (or its HTTP binding). */
  CLOUDEVENT_INVALID: 'POLIS_HTTP_CLOUDEVENT_INVALID',
  /** A batch is not a non-empty array within the batch size limit. */
  BATCH_INVALID: 'POLIS_HTTP_BATCH_INVALID',
  /** A query-string parameter or path parameter is invalid. */
  PARAMETER_INVALID: 'POLIS_HTTP_PARAMETER_INVALID',
  /** An NGSI-LD notification is not a notification (no `data` array of entities). */
  NOTIFICATION_INVALID: 'POLIS_HTTP_NOTIFICATION_INVALID',
  /** An entity's type is mapped to no event type in this city (`http.ngsiLd.entities`). */
  ENTITY_UNMAPPED: 'POLIS_HTTP_ENTITY_UNMAPPED',
  /** Too many live streams are open; try again later. */
  TOO_MANY_STREAMS: 'POLIS_HTTP_TOO_MANY_STREAMS',
  /** Something failed inside the gateway; the log has the details. */
  INTERNAL: 'POLIS_HTTP_INTERNAL',
} as const;

export type HttpErrorCode = (typeof HttpErrorCodes)[keyof typeof HttpErrorCodes];

/** One reason input is refused: where (JSON Pointer), which rule, why. */
export interface ProblemDetail {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

/** An RFC 9457 problem document, with Polis's stable `code` and the failing places in `errors`. */
export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  readonly errors?: readonly ProblemDetail[];
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A refusal the gateway answers with a problem document. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: readonly ProblemDetail[] = [],
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** Where each kernel error code lands on the HTTP status scale. */
const STATUS_OF_POLIS_CODE: Partial<Record<string, number>> = {
  [ErrorCodes.EVENT_INVALID]: 422,
  [ErrorCodes.EVENT_UNKNOWN_TYPE]: 422,
  [ErrorCodes.EVENT_TOO_LARGE]: 413,
  [ErrorCodes.EVENT_UNDECODABLE]: 400,
  [ErrorCodes.REQUEST_TIMEOUT]: 504,
  [ErrorCodes.NO_RESPONDER]: 503,
  [ErrorCodes.REQUEST_FAILED]: 502,
  [ErrorCodes.INVALID_STATE]: 503,
  [ErrorCodes.TRANSPORT_FAILED]: 503,
  [ErrorCodes.PLUGIN_NOT_FOUND]: 404,
  [ErrorCodes.PLUGIN_DUPLICATE]: 409,
  [ErrorCodes.PLUGIN_HAS_DEPENDENTS]: 409,
  [ErrorCodes.STARTUP_FAILED]: 422,
  [ErrorCodes.MANIFEST_INVALID]: 422,
  [ErrorCodes.CONFIG_INVALID]: 422,
  [ErrorCodes.KERNEL_VERSION_MISMATCH]: 422,
  [ErrorCodes.DEPENDENCY_MISSING]: 422,
  [ErrorCodes.DEPENDENCY_CYCLE]: 422,
  [ErrorCodes.SERVICE_DUPLICATE]: 422,
  [ErrorCodes.SCHEMA_INCOMPATIBLE]: 422,
  [ErrorCodes.SCHEMA_CONFLICT]: 422,
  [ErrorCodes.SCHEMA_INVALID]: 422,
  [ErrorCodes.DEPLOYMENT_INVALID]: 422,
};

/**
 * Turns anything thrown while serving a request into a problem document. Kernel errors keep
 * their code and their validation problems; anything else is an internal error whose message
 * and stack stay in the log, never in the reply.
 */
export function toProblem(error: unknown): { problem: ProblemDocument; internal: boolean } {
  if (error instanceof HttpProblem) {
    return { problem: document(error.status, error.code, error.message, error.errors, error.extensions), internal: false };
  }
  // An aggregate of one problem is that problem (a duplicate plugin is a 409, not a 422).
  if (error instanceof PolisAggregateError && error.errors.length === 1 && STATUS_OF_POLIS_CODE[error.errors[0]!.code] !== undefined) {
    return toProblem(error.errors[0]);
  }
  if (error instanceof PolisError) {
    const status = STATUS_OF_POLIS_CODE[error.code];
    if (status !== undefined) {
      const extensions: Record<string, unknown> = {};
      if (error.plugin !== undefined) extensions.plugin = error.plugin;
      if (error instanceof PolisAggregateError) {
        extensions.problems = error.errors.map((inner) => ({ code: inner.code, plugin: inner.plugin, message: inner.message }));
      }
      return { problem: document(status, error.code, error.message, validationProblems(error), extensions), internal: false };
    }
  }
  return { problem: document(500, HttpErrorCodes.INTERNAL, 'the gateway failed to handle this request; the error is in its log', []), internal: true };
}

export function document(status: number, code: string, detail: string, errors: readonly ProblemDetail[] = [], extensions: Readonly<Record<string, unknown>> = {}): ProblemDocument {
  return {
    type: `urn:polis:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors.length > 0 ? { errors } : {}),
    ...extensions,
  };
}

/** The kernel's validation problems (`details.problems`), when the error has them. */
function validationProblems(error: PolisError): ProblemDetail[] {
  const problems = error.details.problems;
  if (!Array.isArray(problems)) return [];
  return problems.filter(isProblemDetail).map(({ path, rule, message }) => ({ path, rule, message }));
}

function isProblemDetail(value: unknown): value is ProblemDetail {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.path === 'string' && typeof candidate.rule === 'string' && typeof candidate.message === 'string';
}
