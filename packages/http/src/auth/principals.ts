import { createHash } from 'node:crypto';
import { matchesPattern, patternCovers } from '@polis/kernel';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import { HttpErrorCodes, HttpProblem } from '../problems/problem.js';

/** Who is calling, once the token is checked: a declared source, or the operator (admin). */
export interface Principal {
  readonly kind: 'source' | 'admin';
  /** The source's name (the `source` of the events it sends); `admin` for the operator. */
  readonly name: string;
  readonly publishes: readonly string[];
  readonly consumes: readonly string[];
  readonly requests: readonly string[];
}

/** A source with its token read. */
export interface SourceCredentials {
  readonly name: string;
  readonly token: string;
  readonly publishes: readonly string[];
  readonly consumes: readonly string[];
  readonly requests: readonly string[];
}

/**
 * Tokens by their SHA-256 digest: a lookup compares digests, never the tokens themselves, so a
 * reply's timing tells nothing about how close a guess was.
 */
export class Principals {
  private readonly byDigest = new Map<string, Principal>();
  readonly sources: readonly Principal[];

  constructor(sources: readonly SourceCredentials[], adminToken?: string) {
    const names = new Set<string>();
    const all: Principal[] = [];
    for (const source of sources) {
      if (names.has(source.name)) throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `http.sources: two sources are named '${source.name}'`);
      names.add(source.name);
      const principal: Principal = { kind: 'source', name: source.name, publishes: source.publishes, consumes: source.consumes, requests: source.requests };
      this.add(source.token, principal, `source '${source.name}'`);
      all.push(principal);
    }
    if (adminToken !== undefined) this.add(adminToken, { kind: 'admin', name: 'admin', publishes: [], consumes: [], requests: [] }, 'the admin');
    this.sources = all;
  }

  /** The caller of a request with this `Authorization` header; 401 without a known bearer token. */
  authenticate(authorization: string | undefined): Principal {
    const match = authorization === undefined ? null : /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization);
    if (!match) {
      throw new HttpProblem(401, HttpErrorCodes.UNAUTHORIZED, 'send a token as `Authorization: Bearer <token>`', [], { scheme: 'Bearer' });
    }
    const principal = this.byDigest.get(digest(match[1]!));
    if (!principal) throw new HttpProblem(401, HttpErrorCodes.UNAUTHORIZED, 'the token is not known here', [], { scheme: 'Bearer' });
    return principal;
  }

  private add(token: string, principal: Principal, what: string): void {
    const key = digest(token);
    const taken = this.byDigest.get(key);
    if (taken) throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `http: ${what} has the same token as ${taken.kind === 'admin' ? 'the admin' : `source '${taken.name}'`}; give each its own`);
    this.byDigest.set(key, principal);
  }
}

/** Whether `type` is one of the event or query types the list allows (exact or by pattern). */
export function allows(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => matchesPattern(pattern, type));
}

/** Whether every type `pattern` matches is allowed by one of `patterns`. */
export function allowsPattern(patterns: readonly string[], pattern: string): boolean {
  return patterns.some((allowed) => patternCovers(allowed, pattern));
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** Why `pattern` is no event type pattern (`*` one token, a final `>` the rest), or undefined. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length === 0 || pattern.length > 255) return 'a pattern is 1 to 255 characters long';
  const tokens = pattern.split('.');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '>' ? i !== tokens.length - 1 : token !== '*' && !TOKEN.test(token)) {
      return `'${pattern}': each dot-separated token is '*', a final '>', or letters, digits, '-' and '_'`;
    }
  }
  return undefined;
}
