import type { safety, traffic } from '@polis/contracts';
import type { EventData } from '@polis/plugin-api';
import type { LatLon } from '@polis/contracts';

/** What happened, as the contracts name it: collision, fire, medical, crime, hazard, other. */
export type IncidentKind = EventData<typeof safety.ReportReceived>['kind'];

/** What public safety needs of a report, whichever channel it came through. */
export interface Report {
  readonly reportId: string;
  readonly kind: IncidentKind;
  readonly position: LatLon;
  /** When it happened by the reporter's clock: merging compares event time, not arrival time. */
  readonly reportedAtMs: number;
  readonly casualties: number;
  readonly channel: string;
}

/** A report from a caller, an app or a sensor (`safety.report.received`). */
export function reportFromCall(data: EventData<typeof safety.ReportReceived>): Report {
  return {
    reportId: data.reportId,
    kind: data.kind,
    position: data.position,
    reportedAtMs: Date.parse(data.reportedAt),
    casualties: data.casualties,
    channel: data.channel,
  };
}

/** A traffic detection (`traffic.incident.detected`): a probable crash, nobody known hurt yet. */
export function reportFromDetection(data: EventData<typeof traffic.IncidentDetected>): Report {
  return {
    reportId: data.detectionId,
    kind: 'collision',
    position: data.position,
    reportedAtMs: Date.parse(data.detectedAt),
    casualties: 0,
    channel: 'traffic',
  };
}
