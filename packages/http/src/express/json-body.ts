import type { Request } from 'express';
import { HttpErrorCodes, HttpProblem } from '../problems/problem.js';

/** `application/json` and every `+json` type. */
export const JSON_MEDIA_TYPE = /^application\/([a-z0-9.!#$&^_-]+\+)?json$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a raw body as UTF-8 JSON; `what` names it in the 400 problem when it is not. */
export function decodeJson(body: Buffer, what: string): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new HttpProblem(400, HttpErrorCodes.BODY_MALFORMED, `${what} is not valid UTF-8`);
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new HttpProblem(400, HttpErrorCodes.BODY_MALFORMED, `${what} is not valid JSON: ${(cause as Error).message}`);
  }
}

/** The request's JSON body (read raw, with the gateway's size limit): 415 if it is not JSON, 400 if it does not parse. */
export function parseJsonBody(req: Request): unknown {
  const mediaType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === undefined || !JSON_MEDIA_TYPE.test(mediaType)) {
    throw new HttpProblem(415, HttpErrorCodes.UNSUPPORTED_MEDIA_TYPE, `send the body as application/json, not '${mediaType ?? 'nothing'}'`);
  }
  const body = req.body as unknown;
  if (!Buffer.isBuffer(body) || body.length === 0) throw new HttpProblem(400, HttpErrorCodes.BODY_MALFORMED, 'the body is empty; send a JSON document');
  return decodeJson(body, 'the body');
}
