import type { energy } from '@polis/contracts';
import type { CloudEvent, EventData } from '@polis/plugin-api';
import { planCurtailment, rampedCapKw } from './algorithms/curtailment.js';
import type { KwByClass } from './algorithms/curtailment.js';
import { EnergyInputError } from './algorithms/errors.js';
import { isoDurationMs } from './algorithms/iso-duration.js';
import type { ChargingNetwork } from './charging-network.js';

type Request = EventData<typeof energy.DemandResponseRequested>;
type Report = EventData<typeof energy.DemandResponseReported>;

/** A session's load as demand response sees it. */
export interface SessionLoad {
  readonly feederId: string;
  readonly class: energy.PriorityClass;
  /** What its charger may draw now (the limit it accepted). */
  readonly inForceKw: number;
  /** For the emergency fleet: what its missions need (all it can take until mission-ready). */
  readonly missionNeedKw: number;
}

interface Curtailment {
  /** The loads when the event started: a modified event is planned again from them. */
  readonly baseline: readonly SessionLoad[];
  readonly baselineKw: number;
  readonly baselineByClass: KwByClass;
  readonly capKw: ReadonlyMap<string, number>;
  readonly protectedEmergencyKw: number;
  lowestKw: number;
}

interface GridEvent {
  readonly request: Request;
  readonly cause: CloudEvent;
  readonly feederIds: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
  readonly rampMs: number;
  /** Set when the event starts: the load then, and the caps that meet the reduction. */
  curtailment: Curtailment | undefined;
  reported: 'none' | 'curtailed' | 'restored';
}

/** A report to publish, under the request's causal chain. */
export interface PendingReport {
  readonly report: Report;
  readonly cause: CloudEvent;
}

/**
 * Grid demand-response events (OpenADR 3-style): which feeder caps are in force now. At the
 * first allocation cycle after an event starts, its targeted feeders are capped at their load
 * then less the reduction, taken lowest priority first ({@link planCurtailment}); the emergency
 * fleet's mission need is kept above every cap, including for ambulances plugging in during the
 * event. After the end, caps climb back to the feeder limits over the restore ramp.
 */
export class DemandResponse {
  private readonly events = new Map<string, GridEvent>();

  constructor(
    private readonly network: ChargingNetwork,
    private readonly defaultRampMs: number,
  ) {}

  /** Takes in a request (replacing an earlier one with the same id), or throws what is wrong with it. */
  request(request: Request, cause: CloudEvent): void {
    const feederIds = new Set<string>();
    request.targets.feederIds?.forEach((id, i) => {
      if (!this.network.feeders.has(id)) throw new EnergyInputError(`/targets/feederIds/${i}`, `unknown feeder ${JSON.stringify(id)}`);
      feederIds.add(id);
    });
    request.targets.zones?.forEach((zone, i) => {
      const inZone = this.network.feederIdsIn(zone);
      if (inZone.length === 0) throw new EnergyInputError(`/targets/zones/${i}`, `no feeder is in zone ${JSON.stringify(zone)}`);
      for (const id of inZone) feederIds.add(id);
    });
    let durationMs: number;
    try {
      durationMs = isoDurationMs(request.intervalPeriod.duration);
    } catch (error) {
      throw new EnergyInputError('/intervalPeriod/duration', (error as EnergyInputError).message.slice('duration: '.length));
    }
    const startMs = Date.parse(request.intervalPeriod.start);
    const previous = this.events.get(request.eventId);
    const event: GridEvent = {
      request,
      cause,
      feederIds: [...feederIds],
      startMs,
      endMs: startMs + durationMs,
      rampMs: request.restoreRampS === undefined ? this.defaultRampMs : request.restoreRampS * 1000,
      curtailment: undefined,
      reported: previous?.reported === 'curtailed' ? 'curtailed' : 'none',
    };
    // A modified event that had started is planned again from the load at its start.
    if (previous?.curtailment !== undefined) event.curtailment = this.plan(event, previous.curtailment.baseline);
    this.events.set(request.eventId, event);
  }

  /** Whether any event is active or restoring: its caps then change from cycle to cycle. */
  get active(): boolean {
    return this.events.size > 0;
  }

  /**
   * The cap on each feeder an event holds now (feeders without one are absent). Starts events
   * whose time has come, planning their curtailment from the load in force.
   */
  capsAt(nowMs: number, loads: readonly SessionLoad[]): Map<string, number> {
    const caps = new Map<string, number>();
    const needByFeeder = new Map<string, number>();
    for (const load of loads) if (load.class === 'emergency') needByFeeder.set(load.feederId, (needByFeeder.get(load.feederId) ?? 0) + load.missionNeedKw);
    for (const event of this.events.values()) {
      if (nowMs < event.startMs) continue;
      if (event.curtailment === undefined && nowMs < event.endMs) event.curtailment = this.plan(event, loads);
      const curtailment = event.curtailment;
      if (curtailment === undefined) continue;
      for (const feederId of event.feederIds) {
        const limit = this.network.feeders.get(feederId)!.limitKw;
        const eventCap = curtailment.capKw.get(feederId)!;
        const cap = nowMs < event.endMs ? eventCap : rampedCapKw(eventCap, limit, nowMs - event.endMs, event.rampMs);
        // Never below what the emergency fleet there needs now, whoever plugged in since the start.
        const held = Math.max(cap, needByFeeder.get(feederId) ?? 0);
        caps.set(feederId, Math.min(caps.get(feederId) ?? Number.POSITIVE_INFINITY, held));
      }
    }
    return caps;
  }

  /**
   * After a cycle's limits are in force: the curtailment an event achieved (once, at its start)
   * and its restoration (once the ramp is over, when the event is forgotten).
   */
  reportsAfterCycle(nowMs: number, loads: readonly SessionLoad[]): PendingReport[] {
    const reports: PendingReport[] = [];
    for (const [id, event] of this.events) {
      const curtailment = event.curtailment;
      if (curtailment === undefined) {
        if (nowMs >= event.endMs) this.events.delete(id); // never started (cancelled by a zero duration)
        continue;
      }
      const { loadKw, byClass } = loadOn(event.feederIds, loads);
      if (nowMs < event.endMs) curtailment.lowestKw = Math.min(curtailment.lowestKw, loadKw);
      if (event.reported === 'none') {
        event.reported = 'curtailed';
        reports.push({ report: this.report(event, 'curtailed', nowMs, loadKw, byClass), cause: event.cause });
      } else if (nowMs >= event.endMs + event.rampMs) {
        this.events.delete(id);
        reports.push({ report: this.report(event, 'restored', nowMs, loadKw, byClass), cause: event.cause });
      }
    }
    return reports;
  }

  private plan(event: GridEvent, loads: readonly SessionLoad[]): Curtailment {
    const plan = planCurtailment(
      event.feederIds,
      loads.map((load) => ({ feederId: load.feederId, class: load.class, kw: load.inForceKw, missionNeedKw: load.missionNeedKw })),
      event.request.reductionKw,
    );
    const { byClass } = loadOn(event.feederIds, loads);
    const baseline = loads.filter((load) => event.feederIds.includes(load.feederId));
    return { baseline, baselineKw: plan.baselineKw, baselineByClass: byClass, capKw: plan.capKw, lowestKw: plan.baselineKw, protectedEmergencyKw: plan.protectedEmergencyKw };
  }

  private report(event: GridEvent, status: Report['status'], nowMs: number, loadKw: number, byClass: KwByClass): Report {
    const curtailment = event.curtailment!;
    const cut = (cls: energy.PriorityClass) => round(Math.max(0, curtailment.baselineByClass[cls] - byClass[cls]));
    return {
      eventId: event.request.eventId,
      programId: event.request.programId,
      status,
      at: new Date(nowMs).toISOString(),
      feederIds: [...event.feederIds],
      requestedKw: event.request.reductionKw,
      baselineKw: round(curtailment.baselineKw),
      loadKw: round(loadKw),
      achievedKw: round(Math.max(0, curtailment.baselineKw - curtailment.lowestKw)),
      curtailedByClass: status === 'curtailed' ? { emergency: cut('emergency'), transit: cut('transit'), taxi: cut('taxi'), private: cut('private') } : { emergency: 0, transit: 0, taxi: 0, private: 0 },
      protectedEmergencyKw: round(curtailment.protectedEmergencyKw),
    };
  }
}

function loadOn(feederIds: readonly string[], loads: readonly SessionLoad[]): { loadKw: number; byClass: KwByClass } {
  const targeted = new Set(feederIds);
  const byClass: KwByClass = { emergency: 0, transit: 0, taxi: 0, private: 0 };
  let loadKw = 0;
  for (const load of loads) {
    if (!targeted.has(load.feederId)) continue;
    loadKw += load.inForceKw;
    byClass[load.class] += load.inForceKw;
  }
  return { loadKw, byClass };
}

const round = (kw: number) => Math.round(kw * 100) / 100;
