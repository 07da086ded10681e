import type { ReadableIds } from '@polis/contracts';
import { safety, traffic } from '@polis/contracts';
import type { Clock, CloudEvent, EventPriority, HandlerScope, Logger } from '@polis/plugin-api';
import type { PublicSafetyConfig } from './config.js';
import type { Incident, IncidentBook, UnitKind } from './incident-book.js';
import type { Report } from './report.js';
import type { Unit, UnitRoster } from './unit-roster.js';

/** Everything public safety publishes. */
export type SafetyPublishes =
  | typeof safety.IncidentOpened
  | typeof safety.IncidentUpdated
  | typeof safety.UnitDispatched
  | typeof safety.UnitOnScene
  | typeof safety.DispatchUnavailable
  | typeof safety.IncidentClosed
  | typeof traffic.CorridorRequested;

/** Publishing and routing on behalf of one causal chain. */
export type SafetyScope = HandlerScope<SafetyPublishes, typeof traffic.RouteFind>;

/** What the dispatcher works with; the plugin's setup builds it. */
export interface DispatchDeskOptions {
  readonly config: PublicSafetyConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly ids: ReadableIds;
  readonly book: IncidentBook;
  readonly roster: UnitRoster;
  /** A scope continuing the chain of `cause`, for work a timer resumes after the handler returned. */
  readonly continueFrom: (cause: CloudEvent) => SafetyScope;
}

/**
 * The dispatcher: turns reports into incidents, sends units, and follows each incident until it
 * closes. Every event it publishes continues the chain of the report that started the work.
 */
export class DispatchDesk {
  constructor(private readonly options: DispatchDeskOptions) {}

  /**
   * Opens an incident for a report, or merges the report into the open incident it describes.
   * Safe to run again for the same report: the kernel sends what a handler published only once
   * it succeeded and hands an event it handled to the end no second time; a known report
   * resumes dispatching.
   */
  async receive(report: Report, cause: CloudEvent, scope: SafetyScope): Promise<void> {
    const { book, ids, logger } = this.options;
    const known = book.incidentOfReport(report.reportId);
    if (known) {
      logger.debug('report already part of an open incident', { reportId: report.reportId, incidentId: known.id });
      await this.dispatchNeeded(known, cause, scope);
      return;
    }
    const target = book.mergeTarget(report);
    if (target) {
      book.merge(target, report);
      logger.debug('report merged', { incidentId: target.id, reportId: report.reportId, channel: report.channel, casualties: target.casualties });
      const updated = await scope.publish(
        safety.IncidentUpdated,
        {
          incidentId: target.id,
          position: target.position,
          severity: target.severity,
          casualties: target.casualties,
          reportIds: [...target.reportIds],
          mergedReportId: report.reportId,
        },
        this.envelopeOf(target),
      );
      await this.dispatchNeeded(target, updated, scope);
      return;
    }
    const incident = book.open(ids.next('INC'), report);
    logger.debug('incident opened', { incidentId: incident.id, reportId: report.reportId, channel: report.channel, severity: incident.severity });
    const opened = await scope.publish(
      safety.IncidentOpened,
      {
        incidentId: incident.id,
        kind: incident.kind,
        position: incident.position,
        openedAt: this.now(),
        severity: incident.severity,
        casualties: incident.casualties,
        reportIds: [...incident.reportIds],
      },
      this.envelopeOf(incident),
    );
    await this.dispatchNeeded(incident, opened, scope);
  }

  /** Sends one unit of every kind the incident needs and has not been tried for yet. */
  private async dispatchNeeded(incident: Incident, cause: CloudEvent, scope: SafetyScope): Promise<void> {
    const needed = new Set(Array.from(incident.kinds, (kind) => this.options.config.unitsNeeded[kind]).flat());
    for (const kind of needed) {
      if (incident.unitKindsTried.has(kind)) continue;
      incident.unitKindsTried.add(kind);
      try {
        await this.dispatchUnit(incident, kind, scope);
      } catch (error) {
        // Tried again when the kernel retries the handler.
        incident.unitKindsTried.delete(kind);
        throw error;
      }
    }
    // Nobody on the way: the incident closes after the clear time, counted from now.
    if (incident.unitsEnRoute.size === 0 && incident.closeTimer === undefined) this.scheduleClose(incident, cause);
  }

  private async dispatchUnit(incident: Incident, kind: UnitKind, scope: SafetyScope): Promise<void> {
    const { config, roster, logger } = this.options;
    const candidates = roster.available(kind);
    if (candidates.length === 0) return this.unavailable(incident, kind, `no ${kind} unit is available`, scope);
    // A unit is coming: the incident must not close while its route is computed.
    this.cancelClose(incident);
    const ranking = await traffic.rankByEta(candidates, (unit) => ({ from: unit.position, to: incident.position }), {
      findRoute: (leg) => scope.request(traffic.RouteFind, leg, { timeoutMs: config.routeTimeoutMs }),
      fallbackSpeedKph: config.fallbackSpeedKph,
      maxCandidates: config.routeCandidates,
      logger,
    });
    // Another incident may have taken a unit while the routes were computed.
    const best = ranking.reachable.find((eta) => roster.isAvailable(eta.candidate.id));
    if (!best) {
      const reason =
        ranking.reachable.length === 0
          ? `no available ${kind} unit can reach the scene (${ranking.unreachable} without a route)`
          : `every ${kind} unit that can reach the scene was sent elsewhere meanwhile`;
      return this.unavailable(incident, kind, reason, scope);
    }

    const unit = best.candidate;
    const etaS = Math.round(best.etaS * 10) / 10;
    const emergency = this.isEmergency(incident);
    const corridorId = emergency ? this.options.ids.next(`COR-${unit.id}`) : undefined;
    const from = unit.position;
    roster.assign(unit, incident.id);
    incident.unitsEnRoute.add(unit.id);
    logger.debug('unit dispatched', { incidentId: incident.id, unitId: unit.id, etaS, estimated: best.estimated, emergency });
    // The kernel sends what this handler publishes only once it succeeded, so nothing is undone here.
    const dispatched = await scope.publish(
      safety.UnitDispatched,
      { incidentId: incident.id, unitId: unit.id, unitKind: kind, etaS, ...(corridorId === undefined ? {} : { corridorId }) },
      this.envelopeOf(incident),
    );
    this.options.clock.setTimeout(() => this.arrive(incident, unit, dispatched), etaS * 1000);
    if (corridorId !== undefined) {
      await scope.publish(
        traffic.CorridorRequested,
        { corridorId, vehicleId: unit.id, vehicleKind: kind, incidentId: incident.id, from, to: incident.position },
        { subject: incident.id },
      );
    }
  }

  private async arrive(incident: Incident, unit: Unit, dispatched: CloudEvent): Promise<void> {
    incident.unitsEnRoute.delete(unit.id);
    incident.unitsOnScene.add(unit.id);
    const onScene = await this.options.continueFrom(dispatched).publish(
      safety.UnitOnScene,
      { incidentId: incident.id, unitId: unit.id, arrivedAt: this.now() },
      { subject: incident.id },
    );
    if (incident.unitsEnRoute.size === 0) this.scheduleClose(incident, onScene);
  }

  /** (Re)starts the clear time; `cause` is the event the closing continues from. */
  private scheduleClose(incident: Incident, cause: CloudEvent): void {
    this.cancelClose(incident);
    const { clearAfterS } = this.options.config;
    const reason =
      incident.unitsOnScene.size > 0
        ? `cleared ${clearAfterS} s after the last unit arrived`
        : incident.unitKindsTried.size === 0
          ? `no police or fire unit needed; closed after ${clearAfterS} s`
          : `no unit could be sent; closed after ${clearAfterS} s`;
    incident.closeTimer = this.options.clock.setTimeout(() => this.close(incident, cause, reason), clearAfterS * 1000);
  }

  private cancelClose(incident: Incident): void {
    if (incident.closeTimer === undefined) return;
    this.options.clock.clearTimer(incident.closeTimer);
    incident.closeTimer = undefined;
  }

  private async close(incident: Incident, cause: CloudEvent, reason: string): Promise<void> {
    const { book, roster, logger } = this.options;
    incident.closeTimer = undefined;
    book.close(incident.id);
    for (const unitId of incident.unitsOnScene) roster.release(unitId, incident.position);
    logger.debug('incident closed', { incidentId: incident.id, reason });
    await this.options.continueFrom(cause).publish(
      safety.IncidentClosed,
      { incidentId: incident.id, closedAt: this.now(), reason },
      { subject: incident.id },
    );
  }

  private async unavailable(incident: Incident, kind: UnitKind, reason: string, scope: SafetyScope): Promise<void> {
    this.options.logger.warn('no unit dispatched', { incidentId: incident.id, unitKind: kind, reason });
    await scope.publish(safety.DispatchUnavailable, { incidentId: incident.id, unitKind: kind, reason }, this.envelopeOf(incident));
  }

  private isEmergency(incident: Incident): boolean {
    return incident.severity >= this.options.config.corridorMinSeverity;
  }

  /** Incidents at or above the corridor severity travel in the emergency lane, and so does their dispatch. */
  private envelopeOf(incident: Incident): { subject: string; priority: EventPriority } {
    return { subject: incident.id, priority: this.isEmergency(incident) ? 'emergency' : 'routine' };
  }

  private now(): string {
    return new Date(this.options.clock.now()).toISOString();
  }
}
