import type { safety } from '@polis/contracts';
import type { EventData, TimerHandle } from '@polis/plugin-api';
import { haversineM } from '@polis/contracts';
import type { LatLon } from '@polis/contracts';
import type { IncidentKind, Report } from './report.js';
import { severityOf } from './severity.js';

export type UnitKind = EventData<typeof safety.UnitDispatched>['unitKind'];

/** An open incident and the units working it. */
export interface Incident {
  readonly id: string;
  /** The first report's kind: what the incident is published as. */
  readonly kind: IncidentKind;
  readonly position: LatLon;
  /** Every merged report's kind: together they decide which units are needed. */
  readonly kinds: Set<IncidentKind>;
  readonly reportIds: string[];
  latestReportAtMs: number;
  /** The most any report said: several callers describe the same people. */
  casualties: number;
  severity: number;
  /** Unit kinds a dispatch was tried for, found or not, so a merge never sends a second one. */
  readonly unitKindsTried: Set<UnitKind>;
  readonly unitsEnRoute: Set<string>;
  readonly unitsOnScene: Set<string>;
  closeTimer: TimerHandle | undefined;
}

/** How close in space and time a report must be to an open incident to be merged into it. */
export interface MergeWindow {
  readonly mergeDistanceM: number;
  readonly mergeWindowS: number;
}

/**
 * Two reports can describe one incident when their kinds agree, or when one of them is a
 * medical call or an unspecific report: a caller at a crash reports an injury, not a second
 * crash. A fire and a crime at one place stay apart: they need different units.
 */
export function kindsCompatible(a: IncidentKind, b: IncidentKind): boolean {
  return a === b || a === 'medical' || b === 'medical' || a === 'other' || b === 'other';
}

/** The open incidents, and the rule that merges duplicate reports into them. */
export class IncidentBook {
  private readonly incidents = new Map<string, Incident>();

  constructor(private readonly window: MergeWindow) {}

  /** The open incident the report is already part of (a redelivery, a retry, or a resent report). */
  incidentOfReport(reportId: string): Incident | undefined {
    for (const incident of this.incidents.values()) if (incident.reportIds.includes(reportId)) return incident;
    return undefined;
  }

  /**
   * The open incident this report describes too: of a compatible kind, within the merge distance
   * and within the merge window of its latest report (either side: reports arrive out of order).
   * The nearest wins when several qualify.
   */
  mergeTarget(report: Report): Incident | undefined {
    let best: { incident: Incident; distanceM: number } | undefined;
    for (const incident of this.incidents.values()) {
      if (!kindsCompatible(incident.kind, report.kind)) continue;
      if (Math.abs(report.reportedAtMs - incident.latestReportAtMs) > this.window.mergeWindowS * 1000) continue;
      const distanceM = haversineM(report.position, incident.position);
      if (distanceM > this.window.mergeDistanceM) continue;
      if (!best || distanceM < best.distanceM) best = { incident, distanceM };
    }
    return best?.incident;
  }

  open(id: string, report: Report): Incident {
    const incident: Incident = {
      id,
      kind: report.kind,
      position: report.position,
      kinds: new Set([report.kind]),
      reportIds: [report.reportId],
      latestReportAtMs: report.reportedAtMs,
      casualties: report.casualties,
      severity: severityOf([report.kind], report.casualties),
      unitKindsTried: new Set(),
      unitsEnRoute: new Set(),
      unitsOnScene: new Set(),
      closeTimer: undefined,
    };
    this.incidents.set(id, incident);
    return incident;
  }

  /** Merges a report into the incident it describes. */
  merge(incident: Incident, report: Report): void {
    incident.kinds.add(report.kind);
    incident.reportIds.push(report.reportId);
    incident.latestReportAtMs = Math.max(incident.latestReportAtMs, report.reportedAtMs);
    incident.casualties = Math.max(incident.casualties, report.casualties);
    incident.severity = severityOf(incident.kinds, incident.casualties);
  }

  close(id: string): void {
    this.incidents.delete(id);
  }
}
