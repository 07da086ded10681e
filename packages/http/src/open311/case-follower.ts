import { randomBytes } from 'node:crypto';
import type { Kernel } from '@polis/kernel';
import type { TransportHandle } from '@polis/kernel/transport';
import type { RequestStore } from './request-store.js';

interface CaseUpdate {
  readonly caseId: string;
  readonly status: 'open' | 'acknowledged' | 'in_progress' | 'resolved';
  readonly note: string;
}

/**
 * Keeps each Open311 request's status and notes in step with its case: whatever department
 * moved it, `citizen.case.updated` says so and the requester reads it on the request.
 */
export async function followCases(kernel: Kernel, store: RequestStore): Promise<TransportHandle> {
  return kernel.bus.subscribe({
    owner: 'http-gateway',
    group: `http-open311-${randomBytes(4).toString('hex')}`,
    pattern: 'citizen.case.updated',
    durable: false,
    retry: { maxAttempts: 1 },
    handler: (event) => {
      const update = event.data as CaseUpdate;
      store.follow(update.caseId, update.status, update.note);
    },
  });
}
