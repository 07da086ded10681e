import type { CloudEvent } from '@polis/plugin-api';
import type { Priority } from './service-levels.js';

export type CaseStatus = 'open' | 'acknowledged' | 'in_progress' | 'resolved';
const RANK: Readonly<Record<CaseStatus, number>> = { open: 0, acknowledged: 1, in_progress: 2, resolved: 3 };

/** One open case and what links the department's events to it. */
export interface CitizenCase {
  readonly caseId: string;
  readonly serviceCode: string;
  readonly department: string;
  readonly priority: Priority;
  /** The request's event: the case's updates continue its causal chain. */
  readonly filed: CloudEvent;
  status: CaseStatus;
  /** Waste's plan for it, and the plan's routes not yet completed. */
  planId?: string;
  routesLeft?: number;
  /** The bin a complaint names (Open311 attribute `bin_id`): the case follows that bin's truck, not a whole plan. */
  readonly binId?: string;
  /** The route that has the named bin as a stop. */
  routeId?: string;
  /** The public-safety incident the report opened or joined. */
  incidentId?: string;
  readonly timers: object[];
}

/** The open cases, found by whatever the departments' events name: case, plan or incident. */
export class CaseBook {
  private readonly cases = new Map<string, CitizenCase>();

  add(entry: CitizenCase): void {
    this.cases.set(entry.caseId, entry);
  }

  get(caseId: string): CitizenCase | undefined {
    return this.cases.get(caseId);
  }

  byPlan(planId: string): CitizenCase[] {
    return [...this.cases.values()].filter((c) => c.planId === planId);
  }

  byBin(binId: string): CitizenCase[] {
    return [...this.cases.values()].filter((c) => c.binId === binId);
  }

  byIncident(incidentId: string): CitizenCase[] {
    return [...this.cases.values()].filter((c) => c.incidentId === incidentId);
  }

  /** Moves a case forward (never back); false when it already is that far. Resolved cases leave the book. */
  advance(entry: CitizenCase, status: CaseStatus): boolean {
    if (RANK[status] <= RANK[entry.status]) return false;
    entry.status = status;
    if (status === 'resolved') this.cases.delete(entry.caseId);
    return true;
  }

  all(): CitizenCase[] {
    return [...this.cases.values()];
  }
}

export function reached(entry: CitizenCase, status: CaseStatus): boolean {
  return RANK[entry.status] >= RANK[status];
}
