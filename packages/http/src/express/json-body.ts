import type { Request } from 'express';
import { HttpErrorCodes, HttpProblem } from '../problems/problem.js';

const JSON_MEDIA_TYPE = /^application\/([a-z0-9.!#$&^_-]+\+)?json$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The request's JSON body (read raw, with the gateway's size limit): 415 if it is not JSON, 400 if it does not parse. */
export function parseJsonBody(req: Request): unknown {
  const mediaType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === undefined || !JSON_MEDIA_TYPE.test(mediaType)) {
    throw new HttpProblem(415, HttpErrorCodes.UNSUPPORTED_MEDIA_TYPE, `send the body as application/json, not '${mediaType ?? 'nothing'}'`);
  }
  const body = req.body as unknown;
  if (!Buffer.isBuffer(body) || body.length === 0) throw new HttpProblem(400, HttpErrorCodes.BODY_MALFORMED, 'the body is empty; send a JSON document');
  try {
    return JSON.parse(utf8.decode(body));
  } catch (cause) {
    throw new HttpProblem(400, HttpErrorCodes.BODY_MALFORMED, `the body is not valid JSON: ${(cause as Error).message}`);
  }
}
