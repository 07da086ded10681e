import type { Request, Response } from 'express';
import type { Kernel } from '@polis/kernel';
import { ErrorCodes, replyTypeOf } from '@polis/plugin-api';
import { allows } from '../auth/principals.js';
import type { Principal } from '../auth/principals.js';
import { HttpErrorCodes, HttpProblem } from '../problems/problem.js';
import { parseJsonBody } from '../express/json-body.js';
import { traceOf } from '../express/tracing.js';

/**
 * `POST /queries/<type>`: the body is the query's request data; the reply is the responder's
 * answer, validated against the query's response schema. `?version=` picks a schema version
 * (default: the newest), `?timeoutMs=` the wait (default the gateway's, at most 60 s).
 */
export function queryHandler(kernel: Kernel, defaultTimeoutMs: number): (req: Request, res: Response, principal: Principal) => Promise<void> {
  return async (req, res, principal) => {
    const type = req.params.type as string;
    if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/.test(type)) {
      throw new HttpProblem(400, HttpErrorCodes.PARAMETER_INVALID, `'${type}' is no query type`, [{ path: '/type', rule: 'pattern', message: 'must be dot-separated tokens' }]);
    }
    if (!allows(principal.requests, type)) {
      throw new HttpProblem(403, HttpErrorCodes.FORBIDDEN, `source '${principal.name}' may not ask '${type}'`, [{ path: '/type', rule: 'requests', message: 'is not among the queries this source may ask' }]);
    }
    const versions = kernel.registry.versions(type).filter((version) => kernel.registry.has(replyTypeOf(type), version));
    if (versions.length === 0) throw new HttpProblem(404, ErrorCodes.EVENT_UNKNOWN_TYPE, `no query '${type}' is registered in this city`);
    const version = integerParameter(req.query.version, 'version', versions[versions.length - 1]!, 1, Number.MAX_SAFE_INTEGER);
    if (!versions.includes(version)) throw new HttpProblem(404, ErrorCodes.EVENT_UNKNOWN_TYPE, `${type} has no version ${version} (registered: ${versions.join(', ')})`);
    const timeoutMs = integerParameter(req.query.timeoutMs, 'timeoutMs', defaultTimeoutMs, 1, 60_000);
    const data = parseJsonBody(req);
    const answer = await kernel.bus.request(principal.name, type, version, data, { timeoutMs, parent: traceOf(res) });
    res.status(200).json(answer);
  };
}

export function integerParameter(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new HttpProblem(400, HttpErrorCodes.PARAMETER_INVALID, `${name} must be an integer from ${min} to ${max}`, [{ path: `/${name}`, rule: 'type', message: `must be an integer from ${min} to ${max}` }]);
  }
  return number;
}
