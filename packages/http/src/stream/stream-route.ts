import type { Request, Response } from 'express';
import type { CloudEvent } from '@polis/plugin-api';
import { allowsPattern, patternProblem } from '../auth/principals.js';
import type { Principal } from '../auth/principals.js';
import { HttpErrorCodes, HttpProblem } from '../problems/problem.js';
import type { EventFeed } from './event-feed.js';
import { SseConnection } from './sse-connection.js';

export interface StreamLimits {
  readonly maxClients: number;
  readonly heartbeatMs: number;
}

/**
 * `GET /events/stream?types=safety.>,health.*`: the events of those types as Server-Sent Events,
 * each `data:` the CloudEvent in structured JSON and `id:` its resume point. A client that
 * reconnects with `Last-Event-ID` (EventSource does it by itself) gets what it missed, as far as
 * the feed still holds it; what it cannot get is announced by a `polis.stream.gap` event.
 * Without `types`, everything the caller may consume.
 */
export class LiveStreams {
  private readonly open = new Set<SseConnection>();
  /** Streams whose feed is being opened: they count against the limit too. */
  private opening = 0;

  constructor(
    private readonly feed: EventFeed,
    private readonly limits: StreamLimits,
  ) {}

  readonly handler = async (req: Request, res: Response, principal: Principal): Promise<void> => {
    const patterns = requestedPatterns(req.query.types, principal);
    if (this.open.size + this.opening >= this.limits.maxClients) throw new HttpProblem(503, HttpErrorCodes.TOO_MANY_STREAMS, `${this.open.size} streams are open, the most this gateway serves; retry later`);
    const lastEventId = lastEventIdOf(req);
    // The feed is opened before the response starts: a client that has the headers is already
    // subscribed (it may publish and expect to see its own event), and a feed that cannot open
    // is answered with a problem, not with a broken stream.
    let connection: SseConnection | undefined;
    const early: Array<(open: SseConnection) => void> = [];
    const deliver = (write: (open: SseConnection) => void) => (connection ? write(connection) : early.push(write));
    this.opening++;
    let handle: { close(): Promise<void> };
    try {
      handle = await this.feed.open(patterns, lastEventId, {
        event: (id: string, event: CloudEvent) => deliver((open) => open.send(id, JSON.stringify(event))),
        gap: (detail) => deliver((open) => open.notice('polis.stream.gap', detail)),
      });
    } finally {
      this.opening--;
    }
    if (res.destroyed || req.socket.destroyed) {
      await handle.close();
      return;
    }
    const opened = new SseConnection(res, this.limits.heartbeatMs);
    connection = opened;
    this.open.add(opened);
    opened.whenClosed(() => {
      this.open.delete(opened);
      void handle.close();
    });
    for (const write of early.splice(0)) write(opened);
  };

  /** Ends every stream (the gateway is stopping); clients reconnect elsewhere with their last id. */
  closeAll(): void {
    for (const connection of [...this.open]) connection.end();
  }
}

function requestedPatterns(types: unknown, principal: Principal): string[] {
  if (types === undefined) {
    if (principal.consumes.length === 0) throw new HttpProblem(403, HttpErrorCodes.FORBIDDEN, `source '${principal.name}' may not read any event stream`);
    return [...principal.consumes];
  }
  if (typeof types !== 'string' || types.trim() === '') {
    throw new HttpProblem(400, HttpErrorCodes.PARAMETER_INVALID, 'types is a comma-separated list of event types or patterns', [{ path: '/types', rule: 'type', message: 'must be a string' }]);
  }
  const patterns = types.split(',').map((type) => type.trim());
  if (patterns.length > 32) throw new HttpProblem(400, HttpErrorCodes.PARAMETER_INVALID, 'at most 32 patterns in one stream', [{ path: '/types', rule: 'maxItems', message: 'at most 32 patterns' }]);
  patterns.forEach((pattern, index) => {
    const problem = patternProblem(pattern);
    if (problem) throw new HttpProblem(400, HttpErrorCodes.PARAMETER_INVALID, problem, [{ path: `/types/${index}`, rule: 'pattern', message: problem }]);
    if (!allowsPattern(principal.consumes, pattern)) {
      throw new HttpProblem(403, HttpErrorCodes.FORBIDDEN, `source '${principal.name}' may not read '${pattern}'`, [{ path: `/types/${index}`, rule: 'consumes', message: 'is not covered by what this source may consume' }]);
    }
  });
  return patterns;
}

function lastEventIdOf(req: Request): string | undefined {
  const header = req.headers['last-event-id'];
  const value = typeof header === 'string' ? header : typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined;
  if (value === undefined || value === '') return undefined;
  if (value.length > 64 || !/^[A-Za-z0-9-]+$/.test(value)) {
    throw new HttpProblem(400, HttpErrorCodes.PARAMETER_INVALID, 'Last-Event-ID is not an id this stream sent', [{ path: '/last-event-id', rule: 'pattern', message: 'must be an id sent by this stream' }]);
  }
  return value;
}
