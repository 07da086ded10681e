import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '@polis/plugin-api';
import type { Principal, Principals } from '../auth/principals.js';
import { HttpErrorCodes, HttpProblem, PROBLEM_CONTENT_TYPE, toProblem } from '../problems/problem.js';
import type { ProblemDocument } from '../problems/problem.js';

/** A route handler that runs for an authenticated caller. */
export type AuthenticatedHandler = (req: Request, res: Response, principal: Principal) => Promise<void> | void;

/**
 * Wraps a handler: the caller's bearer token is checked first (401), `kinds` says who may call at
 * all (403), and whatever the handler throws becomes a problem reply.
 */
export function authenticated(principals: Principals, kinds: readonly Principal['kind'][], handler: AuthenticatedHandler, options: { tokenInQuery?: boolean } = {}): RequestHandler {
  return async (req, res, next) => {
    try {
      const queryToken = options.tokenInQuery && typeof req.query.access_token === 'string' ? `Bearer ${req.query.access_token}` : undefined;
      const principal = principals.authenticate(req.headers.authorization ?? queryToken);
      if (!kinds.includes(principal.kind)) {
        throw new HttpProblem(403, HttpErrorCodes.FORBIDDEN, principal.kind === 'admin' ? 'the admin token is for /admin only' : 'this needs the admin token');
      }
      await handler(req, res, principal);
    } catch (error) {
      next(error);
    }
  };
}

/** Sends a problem document (RFC 9457). */
export function sendProblem(res: Response, problem: ProblemDocument): void {
  if (problem.status === 401) res.setHeader('www-authenticate', 'Bearer realm="polis"');
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify({ ...problem, instance: res.req.originalUrl.split('?')[0] }));
}

/**
 * The last middleware: every error becomes a problem document. body-parser's own errors (size,
 * encoding) are mapped to the gateway's codes; anything unexpected is logged whole and answered
 * with a generic 500, so no stack trace or internal message ever reaches a caller.
 */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const mapped = fromBodyParser(error) ?? error;
    const { problem, internal } = toProblem(mapped);
    if (internal) logger.error(`${req.method} ${req.path} failed`, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    if (res.headersSent) {
      res.end();
      return;
    }
    sendProblem(res, problem);
  };
}

/** 404 for every path no route took. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpProblem(404, HttpErrorCodes.NOT_FOUND, `no ${req.method} ${req.path} here; see /openapi.json`));
};

function fromBodyParser(error: unknown): HttpProblem | undefined {
  const candidate = error as { type?: unknown; status?: unknown; limit?: unknown; expose?: unknown } | null;
  if (candidate === null || typeof candidate !== 'object' || typeof candidate.type !== 'string') return undefined;
  switch (candidate.type) {
    case 'entity.too.large':
      return new HttpProblem(413, HttpErrorCodes.BODY_TOO_LARGE, `the body is over the ${String(candidate.limit)}-byte limit`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem(415, HttpErrorCodes.UNSUPPORTED_MEDIA_TYPE, 'unsupported content encoding or charset');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new HttpProblem(400, HttpErrorCodes.BODY_MALFORMED, 'the body could not be read whole');
    default:
      return typeof candidate.status === 'number' && candidate.status < 500 && candidate.expose === true
        ? new HttpProblem(candidate.status, HttpErrorCodes.BODY_MALFORMED, 'the body could not be read')
        : undefined;
  }
}
