import { ReadableIds, safety, traffic } from '@polis/contracts';
import { definePlugin } from '@polis/plugin-api';
import { PublicSafetyConfigSchema } from './config.js';
import { DispatchDesk } from './dispatch-desk.js';
import type { SafetyScope } from './dispatch-desk.js';
import { IncidentBook } from './incident-book.js';
import { reportFromCall, reportFromDetection } from './report.js';
import { UnitRoster } from './unit-roster.js';

/**
 * Public safety: merges duplicate reports into incidents, dispatches the police and fire units
 * with the least route ETA, and asks traffic for a green corridor when the incident is severe.
 * Without traffic it keeps dispatching on straight-line ETAs.
 */
export const publicSafetyPlugin = definePlugin({
  name: 'public-safety',
  version: '1.0.0',
  kernel: '^1',
  description: 'Incidents from reports and traffic detections; police and fire dispatch by route ETA; green corridors for emergencies.',
  config: PublicSafetyConfigSchema,
  consumes: [safety.ReportReceived, traffic.IncidentDetected],
  publishes: [
    safety.IncidentOpened,
    safety.IncidentUpdated,
    safety.UnitDispatched,
    safety.UnitOnScene,
    safety.DispatchUnavailable,
    safety.IncidentClosed,
    traffic.CorridorRequested,
  ],
  requests: [traffic.RouteFind],
  setup(ctx) {
    const { config, clock, logger } = ctx;
    const desk = new DispatchDesk({
      config,
      clock,
      logger,
      ids: new ReadableIds(clock),
      book: new IncidentBook(config),
      roster: new UnitRoster(config.units, ctx.name),
      continueFrom: (cause): SafetyScope => ctx.scopeFor(cause),
    });
    ctx.on(safety.ReportReceived, (event, scope) => desk.receive(reportFromCall(event.data), event, scope));
    ctx.on(traffic.IncidentDetected, (event, scope) => desk.receive(reportFromDetection(event.data), event, scope));
  },
});
