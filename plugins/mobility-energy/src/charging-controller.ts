import { energy } from '@polis/contracts';
import type { Clock, EventData, Logger, TimerHandle } from '@polis/plugin-api';
import { KW_EPSILON, allocateCharging } from './algorithms/allocate.js';
import type { ChargingDemand, ChargingPlan, GridLimits } from './algorithms/allocate.js';
import { fitRaises, splitTransition } from './algorithms/transition.js';
import type { ChargingDesk } from './charging-desk.js';
import type { Charger, ChargingNetwork } from './charging-network.js';
import type { DemandResponse, SessionLoad } from './demand-response.js';
import type { DepotPlanner } from './depot-planner.js';
import type { Fleet } from './fleet.js';
import type { CentralSystem } from './ocpp/central-system.js';
import { kwOfLimit, limitFor, txDefaultProfile, txProfile } from './ocpp/charging-profiles.js';
import type { Publish } from './publisher.js';
import type { Session, SessionBook } from './session-book.js';

const RANK = new Map(energy.PRIORITY_CLASSES.map((cls, rank) => [cls, rank]));

export interface ChargingControllerOptions {
  readonly network: ChargingNetwork;
  readonly fleet: Fleet;
  readonly sessions: SessionBook;
  readonly desk: ChargingDesk;
  readonly centralSystem: CentralSystem;
  readonly demandResponse: DemandResponse;
  readonly depots: readonly DepotPlanner[];
  readonly publish: Publish;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly cycleMs: number;
  readonly loadReportMs: number;
  /** An emergency vehicle below this state of charge keeps all its power through demand response. */
  readonly readySocPct: number;
  /** Where a cycle's or a report's failure goes (logged, unless the plugin is stopping). */
  readonly failed: (what: string, error: unknown) => void;
}

/**
 * The allocation cycle. Every `cycleMs` it allocates power to every open session under the
 * feeder and transformer limits in force (demand-response caps included), then applies the
 * allocation to the chargers with OCPP SetChargingProfile (TxProfile) in two steps: first every
 * limit that goes down, then, once those are accepted, the limits that go up, each only as far
 * as the limits in force leave room for while a charger that did not come down still draws its
 * old limit. So no feeder carries more than its limit at any instant, even during the change. A
 * session that starts or stops, a limit that changes, a grid event that begins: each is acted on
 * at the next cycle, and each feeder whose allocation changed gets `energy.allocation.changed`.
 */
export class ChargingController {
  private cycle = 0;
  private running: Promise<void> | undefined;
  private timers: TimerHandle[] = [];
  private readonly published = new Map<string, string>();
  /** Sessions whose charger refused or missed a limit: told once, not every cycle. */
  private readonly warned = new Set<string>();
  private lastLimits: GridLimits | undefined;
  private stopped = false;

  constructor(private readonly options: ChargingControllerOptions) {}

  start(): void {
    const { clock, cycleMs, loadReportMs } = this.options;
    this.timers.push(
      clock.setInterval(() => this.runCycle(), cycleMs),
      clock.setInterval(() => this.reportLoads(), loadReportMs),
    );
  }

  /** Stops the timers and lets a cycle in flight finish (its chargers may be going away meanwhile). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) this.options.clock.clearTimer(timer);
    this.timers = [];
    await this.running;
  }

  /** Runs a cycle now, or, if one is running, waits for it (cycles never overlap: a transition is in flight). */
  runCycle(): Promise<void> {
    if (this.running) return this.running;
    if (this.stopped) return Promise.resolve();
    this.running = this.allocate()
      .catch((error: unknown) => this.options.failed('allocation cycle failed', error))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** A charger was accepted: its TxDefaultProfile holds new transactions at 0 until the allocator reaches them. */
  async prepareCharger(chargerId: string): Promise<void> {
    const { network, desk, centralSystem, logger } = this.options;
    const charger = network.chargers.get(chargerId)!;
    try {
      const status = await centralSystem.setChargingProfile(chargerId, txDefaultProfile(0, charger.electrics));
      if (status === 'Accepted') desk.chargers.get(chargerId)!.defaultLimitKw = 0;
      else logger.warn(`${chargerId} answered ${status} to its TxDefaultProfile: its new sessions count at full power until their own limit is accepted`, { chargerId });
    } catch (error) {
      logger.warn(`${chargerId}: TxDefaultProfile not set: ${(error as Error).message}`, { chargerId });
    }
  }

  /** Stops a session at its charger (RemoteStopTransaction); resolves with the charger's answer. */
  async stopSession(session: Session): Promise<'Accepted' | 'Rejected'> {
    return this.options.centralSystem.remoteStopTransaction(session.chargerId, session.transactionId);
  }

  /** Each open session's load as demand response sees it, with the emergency fleet's mission need. */
  loads(): SessionLoad[] {
    const { sessions, fleet, network, readySocPct } = this.options;
    return [...sessions.active()].map((session) => {
      const vehicle = session.vehicleId === undefined ? undefined : fleet.get(session.vehicleId);
      const soc = session.socPct ?? vehicle?.socPct;
      const missionReady = soc !== undefined && soc >= readySocPct;
      const need = session.class === 'emergency' && !missionReady ? network.chargers.get(session.chargerId)!.maxKw : 0;
      return { feederId: session.feederId, class: session.class, inForceKw: session.inForceKw, missionNeedKw: need };
    });
  }

  private async allocate(): Promise<void> {
    const { network, sessions, demandResponse, depots, clock, publish } = this.options;
    const nowMs = clock.now();
    const cycle = ++this.cycle;
    const caps = demandResponse.capsAt(nowMs, this.loads());
    const limits = network.limits((feeder) => caps.get(feeder.id) ?? Number.POSITIVE_INFINITY);
    for (const depot of depots) {
      const feederCap = limits.feeders.find((feeder) => feeder.id === depot.depotFeederId)!.capKw;
      const schedule = depot.refresh(nowMs, feederCap);
      if (schedule && !this.stopped) await publish(energy.DepotSchedulePlanned, schedule, { subject: depot.id });
    }

    const open = [...sessions.active()];
    const chargers = open.map((session) => network.chargers.get(session.chargerId)!);
    const demands = open.map((session, i) => this.demandOf(session, chargers[i]!, nowMs));
    const plan = allocateCharging(limits, demands, nowMs);
    // What each charger will be told, in its own unit, rounded down: never more than allocated.
    const target = open.map((session, i) => (demands[i]!.pinnedKw !== undefined ? session.inForceKw : kwOfLimit(limitFor(plan.kw[i]!, chargers[i]!.electrics), chargers[i]!.electrics)));
    const inForce = open.map((session) => session.inForceKw);
    const { lower, raise } = splitTransition(inForce, target);
    // A session whose limit was never confirmed only has a worst case in force: send it its
    // target even where that equals the worst case (the charger may in fact hold it at 0).
    const moving = new Set([...lower, ...raise]);
    open.forEach((session, i) => {
      if (!session.limitConfirmed && !moving.has(i) && demands[i]!.pinnedKw === undefined) lower.push(i);
    });

    await Promise.all(lower.map((i) => this.send(open[i]!, chargers[i]!, target[i]!, 'lower')));
    const granted = fitRaises(
      limits,
      open.map((session, i) => ({ feederId: session.feederId, minKw: demands[i]!.minKw, rank: RANK.get(session.class)! })),
      open.map((session) => session.inForceKw),
      target,
      raise,
    );
    await Promise.all(raise.map((i, k) => (granted[k]! > open[i]!.inForceKw + KW_EPSILON ? this.send(open[i]!, chargers[i]!, granted[k]!, 'raise') : undefined)));

    this.lastLimits = limits;
    // Stopped while the chargers were being told: the limits are in force, but nothing more is said.
    if (this.stopped) return;
    await this.publishAllocations(cycle, nowMs, limits, open, plan, target);
    for (const { report, cause } of demandResponse.reportsAfterCycle(nowMs, this.loads())) {
      await publish(energy.DemandResponseReported, report, { subject: report.eventId, causedBy: cause });
    }
    this.options.logger.debug('allocation cycle done', { cycle, sessions: open.length, lowered: lower.length, raised: raise.length });
  }

  private demandOf(session: Session, charger: Charger, nowMs: number): ChargingDemand {
    const { fleet, depots, centralSystem } = this.options;
    const vehicle = session.vehicleId === undefined ? undefined : fleet.get(session.vehicleId);
    let minKw = charger.minKw;
    let maxKw = Math.min(charger.maxKw, vehicle?.maxChargeKw ?? Number.POSITIVE_INFINITY);
    const depot = depots.find((candidate) => candidate.serves(session.vehicleId));
    const planned = depot?.plannedKw(session.vehicleId!, nowMs);
    if (planned !== undefined) maxKw = Math.min(maxKw, planned);
    // Not authorized, or allowed less than the charger's minimum (a depot plan's quiet slot): paused.
    if (!session.authorized || maxKw < minKw) {
      minKw = 0;
      maxKw = 0;
    }
    // A vehicle that said when it leaves and how full: a deadline (depot buses follow their plan instead).
    let deadline: ChargingDemand['deadline'];
    if (depot === undefined && vehicle?.departAtMs !== undefined && vehicle.targetSocPct !== undefined && vehicle.batteryKwh !== undefined) {
      const soc = session.socPct ?? vehicle.socPct;
      if (soc !== undefined) deadline = { departAtMs: vehicle.departAtMs, energyKwh: Math.max(0, ((vehicle.targetSocPct - soc) / 100) * vehicle.batteryKwh) };
    }
    // A charger out of reach holds its last limit: the allocator must count it as drawn.
    const pinnedKw = centralSystem.isConnected(session.chargerId) ? undefined : session.inForceKw;
    return { id: session.id, feederId: session.feederId, class: session.class, minKw, maxKw, arrivedAtMs: session.startedAtMs, deadline, pinnedKw };
  }

  private async send(session: Session, charger: Charger, kw: number, step: 'lower' | 'raise'): Promise<void> {
    const { centralSystem } = this.options;
    const limit = limitFor(kw, charger.electrics);
    const kwAtLimit = kwOfLimit(limit, charger.electrics);
    try {
      const status = await centralSystem.setChargingProfile(session.chargerId, txProfile(session.connectorId, session.transactionId, limit, charger.electrics));
      if (status === 'Accepted') {
        session.inForceKw = kwAtLimit;
        session.limitConfirmed = true;
        this.warned.delete(session.id);
        return;
      }
      this.warnOnce(session, `${session.chargerId} answered ${status} to the ${limit} ${charger.electrics.rateUnit} limit of ${session.id}`);
    } catch (error) {
      // Unanswered: the charger may have taken the new limit or not; count the higher of the two.
      if (step === 'raise') session.inForceKw = Math.max(session.inForceKw, kwAtLimit);
      // A charger that went away is announced as disconnected (and pinned at its limit from the
      // next cycle on); only one that stays connected and does not answer is worth a warning.
      if (centralSystem.isConnected(session.chargerId)) this.warnOnce(session, `${session.id}: ${(error as Error).message}`);
      else this.options.logger.debug(`${session.id}: ${(error as Error).message}`, { sessionId: session.id });
    }
  }

  private warnOnce(session: Session, message: string): void {
    if (this.warned.has(session.id)) return;
    this.warned.add(session.id);
    this.options.logger.warn(`${message}; it keeps its last accepted limit until a later cycle gets through`, { sessionId: session.id });
  }

  private async publishAllocations(cycle: number, nowMs: number, limits: GridLimits, open: readonly Session[], plan: ChargingPlan, target: readonly number[]): Promise<void> {
    const { network, publish } = this.options;
    const byFeeder = new Map<string, number[]>();
    open.forEach((session, i) => byFeeder.set(session.feederId, [...(byFeeder.get(session.feederId) ?? []), i]));
    const risks = new Map(plan.atRisk.map((risk) => [risk.index, risk]));
    for (const limit of limits.feeders) {
      const members = (byFeeder.get(limit.id) ?? []).sort((a, b) => (open[a]!.id < open[b]!.id ? -1 : 1));
      const allocated = members.map((i) => ({ sessionId: open[i]!.id, vehicleId: open[i]!.vehicleId, class: open[i]!.class, kw: round(target[i]!), paused: plan.paused[i] === 1 || target[i]! <= 0 }));
      const deadlinesAtRisk = members.flatMap((i) => {
        const risk = risks.get(i);
        return risk === undefined ? [] : [{ sessionId: open[i]!.id, departAt: new Date(risk.departAtMs).toISOString(), neededKwh: round(risk.neededKwh), shortfallKwh: round(risk.shortfallKwh), reason: risk.reason }];
      });
      const feeder = network.feeders.get(limit.id)!;
      const data: EventData<typeof energy.AllocationChanged> = {
        feederId: limit.id,
        transformerId: feeder.transformerId,
        cycle,
        at: new Date(nowMs).toISOString(),
        limitKw: feeder.limitKw,
        capKw: round(limit.capKw),
        allocatedKw: round(members.reduce((sum, i) => sum + target[i]!, 0)),
        sessions: allocated,
        deadlinesAtRisk,
      };
      const signature = JSON.stringify([data.capKw, data.sessions, data.deadlinesAtRisk.map((risk) => [risk.sessionId, risk.reason])]);
      if (this.published.get(limit.id) === signature) continue;
      this.published.set(limit.id, signature);
      await publish(energy.AllocationChanged, data, { subject: limit.id });
    }
  }

  /** Each feeder's limits in force and what the meters measure: `energy.feeder.loaded`. */
  private async reportLoads(): Promise<void> {
    const { network, sessions, publish, clock } = this.options;
    const at = new Date(clock.now()).toISOString();
    const caps = new Map((this.lastLimits?.feeders ?? []).map((feeder) => [feeder.id, feeder.capKw]));
    const totals = new Map<string, { allocated: number; measured: number; count: number }>();
    for (const session of sessions.active()) {
      const total = totals.get(session.feederId) ?? { allocated: 0, measured: 0, count: 0 };
      total.allocated += session.inForceKw;
      total.measured += session.powerKw ?? 0;
      total.count++;
      totals.set(session.feederId, total);
    }
    try {
      for (const feeder of network.feeders.values()) {
        const total = totals.get(feeder.id) ?? { allocated: 0, measured: 0, count: 0 };
        await publish(
          energy.FeederLoaded,
          { feederId: feeder.id, at, limitKw: feeder.limitKw, capKw: round(caps.get(feeder.id) ?? feeder.limitKw), allocatedKw: round(total.allocated), measuredKw: round(total.measured), sessions: total.count },
          { subject: feeder.id },
        );
      }
    } catch (error) {
      this.options.failed('feeder load report failed', error);
    }
  }
}

const round = (kw: number) => Math.round(kw * 100) / 100;
