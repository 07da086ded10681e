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

  constructor(
    private readonly feed: EventFeed,
    private readonly limits: StreamLimits,
  ) {}

  readonly handler = async (req: Request, res: Response, principal: Principal): Promise<void> => {
    const feed = this.feed;
    const patterns = requestedPatterns(req.query.types, principal);
    if (this.open.size >= this.limits.maxClients) throw new HttpProblem(503, HttpErrorCodes.TOO_MANY_STREAMS, `${this.open.size} streams are open, the most this gateway serves; retry later`);
    const lastEventId = lastEventIdOf(req);
    const connection = new SseConnection(res, this.limits.heartbeatMs);
    this.open.add(connection);
    let handle: { close(): Promise<void> } | undefined;
    connection.whenClosed(() => {
      this.open.delete(connection);
      void handle?.close();
    });
    try {
      handle = await feed.open(patterns, lastEventId, {
        event: (id: string, event: CloudEvent) => connection.send(id, JSON.stringify(event)),
        gap: (detail) => connection.notice('polis.stream.gap', detail),
      });
      if (!connection.isOpen) await handle.close();
    } catch (error) {
      connection.notice('polis.stream.error', { reason: error instanceof Error ? error.message : String(error) });
      connection.end();
    }
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
