/** What the view needs of an event: who published what, when, and in which causal chain. */
export interface ChainEvent {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  readonly correlationid: string;
  readonly causationid?: string;
  /** What the event is about (a bin, an intersection); shown in the case's chain. */
  readonly subject?: string;
  /** The data's `status` word, when it has one (e.g. a case `resolved`). */
  readonly status?: string;
}

/** Time to acknowledge and to resolve, in milliseconds, for one service. */
export interface ServiceLevel {
  readonly acknowledgeMs: number;
  readonly resolveMs: number;
}

export interface AccountabilityRules {
  /** Event types that open a case or incident, each named as the service it is about. */
  readonly openers: Readonly<Record<string, string>>;
  /** Event types that resolve it (a pickup confirmed, an incident closed, a patient admitted), or `type:status` for an event with that status word. */
  readonly resolvers: readonly string[];
  readonly slas: Readonly<Record<string, ServiceLevel>>;
}

export interface Spread {
  readonly median: number | null;
  readonly p90: number | null;
}

export interface DepartmentFigures {
  readonly department: string;
  readonly service: string;
  readonly handled: number;
  readonly resolved: number;
  readonly firstActionMs: Spread;
  readonly resolutionMs: Spread;
  /** Share of cases whose acknowledgement and resolution both met the SLA (null without one). */
  readonly withinSla: number | null;
  readonly openOverdue: number;
}

export interface CaseChain {
  readonly correlationId: string;
  readonly service: string;
  readonly department: string;
  readonly openedAt: string;
  readonly status: 'open' | 'acknowledged' | 'resolved';
  readonly overdue: boolean;
  readonly steps: ReadonlyArray<{ readonly at: string; readonly by: string; readonly did: string; readonly about?: string; readonly causedBy?: string }>;
}

export interface AccountabilityView {
  readonly generatedAt: string;
  readonly departments: readonly DepartmentFigures[];
  readonly cases: readonly CaseChain[];
}

/**
 * Computes who handled what, and how fast, from the causal chains alone: a chain is every event
 * sharing a correlation id; its first event of an opener type opens the case, the first event
 * published by another party is the first action (that party is the responsible department), and
 * the first event of a resolver type resolves it. Nothing is reported by hand.
 */
export function accountabilityView(events: readonly ChainEvent[], rules: AccountabilityRules, now: number): AccountabilityView {
  const chains = new Map<string, ChainEvent[]>();
  for (const event of events) {
    const chain = chains.get(event.correlationid);
    if (chain === undefined) chains.set(event.correlationid, [event]);
    else chain.push(event);
  }
  const cases: Array<CaseChain & { ackMs?: number; resolveMs?: number; met: boolean | null }> = [];
  for (const [correlationId, chain] of chains) {
    chain.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    const opener = chain.find((e) => rules.openers[e.type] !== undefined);
    if (opener === undefined) continue;
    const service = rules.openers[opener.type]!;
    const opened = Date.parse(opener.time);
    const after = chain.filter((e) => e !== opener && Date.parse(e.time) >= opened);
    const first = after.find((e) => e.source !== opener.source);
    const resolver = after.find((e) => rules.resolvers.includes(e.type) || (e.status !== undefined && rules.resolvers.includes(`${e.type}:${e.status}`)));
    const ackMs = first === undefined ? undefined : Date.parse(first.time) - opened;
    const resolveMs = resolver === undefined ? undefined : Date.parse(resolver.time) - opened;
    const sla = rules.slas[service];
    const ackLate = sla !== undefined && (ackMs ?? now - opened) > sla.acknowledgeMs;
    const resolveLate = sla !== undefined && (resolveMs ?? now - opened) > sla.resolveMs;
    const met = sla === undefined ? null : !ackLate && !resolveLate;
    cases.push({
      correlationId,
      service,
      department: first?.source ?? 'unassigned',
      openedAt: opener.time,
      status: resolver !== undefined ? 'resolved' : first !== undefined ? 'acknowledged' : 'open',
      overdue: resolver === undefined && (ackLate || resolveLate),
      steps: [opener, ...after].map((e) => ({ at: e.time, by: e.source, did: e.type, ...(e.subject ? { about: e.subject } : {}), ...(e.causationid ? { causedBy: e.causationid } : {}) })),
      ackMs,
      resolveMs,
      met,
    });
  }
  const groups = new Map<string, typeof cases>();
  for (const c of cases) {
    const key = `${c.department}\u0000${c.service}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const departments = [...groups.values()].map((group): DepartmentFigures => {
    const judged = group.filter((c) => c.met !== null && (c.status === 'resolved' || c.overdue));
    return {
      department: group[0]!.department,
      service: group[0]!.service,
      handled: group.length,
      resolved: group.filter((c) => c.status === 'resolved').length,
      firstActionMs: spread(group.flatMap((c) => (c.ackMs === undefined ? [] : [c.ackMs]))),
      resolutionMs: spread(group.flatMap((c) => (c.resolveMs === undefined ? [] : [c.resolveMs]))),
      withinSla: judged.length === 0 ? null : judged.filter((c) => c.met).length / judged.length,
      openOverdue: group.filter((c) => c.overdue).length,
    };
  });
  departments.sort((a, b) => a.department.localeCompare(b.department) || a.service.localeCompare(b.service));
  return { generatedAt: new Date(now).toISOString(), departments, cases: cases.map(({ ackMs: _a, resolveMs: _r, met: _m, ...chain }) => chain) };
}

/** Nearest-rank median and 90th percentile: each is a time some case actually took. */
function spread(values: number[]): Spread {
  if (values.length === 0) return { median: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  return { median: rank(0.5), p90: rank(0.9) };
}
