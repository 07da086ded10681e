import type { Request, Response } from 'express';
import type { Principal } from '../auth/principals.js';
import { toProblem } from '../problems/problem.js';
import type { ProblemDocument } from '../problems/problem.js';
import type { AttributeCheck, IncomingEvent } from './cloudevent-attributes.js';
import type { Accepted, ExternalPublisher } from './external-publisher.js';
import { HttpErrorCodes, HttpProblem } from '../problems/problem.js';
import { readCloudEvents } from './http-binding.js';
import { traceOf } from '../express/tracing.js';
import type { TraceParent } from '@polis/kernel';

/** One event's outcome in a batch reply. */
export type BatchResult = ({ readonly status: 202 } & Accepted) | { readonly status: number; readonly problem: ProblemDocument };

/**
 * `POST /events`. A single event (binary or structured mode) is answered 202 with its id, or with
 * the problem that refused it. A batch is answered 202 when every event was accepted and 207
 * otherwise, with one result per event in order: a bad event never costs its neighbours.
 */
export function ingestHandler(publisher: ExternalPublisher, maxBatchEvents: number): (req: Request, res: Response, principal: Principal) => Promise<void> {
  return async (req, res, principal) => {
    const body = Buffer.isBuffer(req.body) ? (req.body as Buffer) : Buffer.alloc(0);
    const { mode, events } = readCloudEvents(req.headers, body, maxBatchEvents);
    if (mode !== 'batch') {
      const check = events[0]!;
      if (!check.ok) throw new HttpProblem(400, HttpErrorCodes.CLOUDEVENT_INVALID, 'the request is not a valid CloudEvent', check.errors);
      const accepted = await publisher.publish(principal, check.event, publisher.prepare(principal, check.event), check.event.trace ?? traceOf(res));
      res.status(202).json(accepted);
      return;
    }
    const results = await publishBatch(publisher, principal, events, traceOf(res));
    const allAccepted = results.every((result) => result.status === 202);
    res.status(allAccepted ? 202 : 207).json({
      accepted: results.filter((result) => result.status === 202).length,
      refused: results.filter((result) => result.status !== 202).length,
      results,
    });
  };
}

/**
 * Publishes a batch in order: every event is checked first, then the valid ones are handed to the
 * bus one after the other without waiting in between (the transport keeps the order), and the
 * acknowledgements are awaited together.
 */
async function publishBatch(publisher: ExternalPublisher, principal: Principal, checks: readonly AttributeCheck[], trace: TraceParent | undefined): Promise<BatchResult[]> {
  const pending: Array<Promise<BatchResult>> = checks.map((check) => {
    if (!check.ok) return Promise.resolve(refused(new HttpProblem(400, HttpErrorCodes.CLOUDEVENT_INVALID, 'not a valid CloudEvent', check.errors)));
    try {
      const event: IncomingEvent = check.event;
      return publisher.publish(principal, event, publisher.prepare(principal, event), event.trace ?? trace).then(
        (accepted): BatchResult => ({ status: 202, ...accepted }),
        refused,
      );
    } catch (error) {
      return Promise.resolve(refused(error));
    }
  });
  return Promise.all(pending);
}

function refused(error: unknown): BatchResult {
  const { problem } = toProblem(error);
  return { status: problem.status, problem };
}
