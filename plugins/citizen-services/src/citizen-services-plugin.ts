import { citizen, safety, waste } from '@polis/contracts';
import { definePlugin } from '@polis/plugin-api';
import type { CloudEvent, EventData } from '@polis/plugin-api';
import { CaseBook, reached } from './case-book.js';
import type { CaseStatus, CitizenCase } from './case-book.js';
import { CitizenServicesConfig, DEPARTMENTS, serviceLevel } from './service-levels.js';
import type { Priority } from './service-levels.js';

const clockTime = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/**
 * Turns citizens' requests into cases for the responsible department. Where a department has a
 * request event of its own (waste's collection request, public safety's report) that is what
 * it gets, so it acts without knowing this plugin; the others get a neutral work order and
 * answer it with `citizen.case.progressed`. The department's events move the case (acknowledged,
 * in progress, resolved) and each move is told to the requester as `citizen.case.updated`, in
 * the request's causal chain; a missed time to acknowledge or to resolve escalates to the
 * department's supervisor.
 */
export const citizenServicesPlugin = definePlugin({
  name: 'citizen-services',
  version: '1.1.0',
  kernel: '^1',
  config: CitizenServicesConfig,
  consumes: [
    citizen.RequestFiled,
    citizen.CaseProgressed,
    waste.CollectionPlanned,
    waste.PickupConfirmed,
    waste.RouteCompleted,
    safety.IncidentOpened,
    safety.IncidentUpdated,
    safety.UnitDispatched,
    safety.IncidentClosed,
  ],
  publishes: [citizen.CaseRouted, citizen.CaseEscalated, citizen.CaseUpdated, waste.CollectionRequested, safety.ReportReceived],
  setup(ctx) {
    const book = new CaseBook();

    const tell = async (entry: CitizenCase, note: string) => {
      await ctx.scopeFor(entry.filed).publish(citizen.CaseUpdated, { caseId: entry.caseId, status: entry.status, note, ...(entry.incidentId ? { incidentId: entry.incidentId } : {}) }, { subject: entry.caseId });
    };
    const advance = async (entry: CitizenCase, status: CaseStatus, note: string) => {
      if (!book.advance(entry, status)) return;
      if (status === 'resolved') entry.timers.forEach((timer) => ctx.clock.clearTimer(timer));
      await tell(entry, note);
    };
    const escalate = async (entry: CitizenCase, missed: 'acknowledge' | 'resolve') => {
      const supervisor = `${entry.department}-supervisor`;
      await ctx.scopeFor(entry.filed).publish(citizen.CaseEscalated, { caseId: entry.caseId, department: entry.department, serviceCode: entry.serviceCode, missed, supervisor }, { subject: entry.caseId });
      await tell(entry, `the time to ${missed} was missed; escalated to ${supervisor}`);
    };

    ctx.on(citizen.RequestFiled, async (event: CloudEvent<EventData<typeof citizen.RequestFiled>>, scope) => {
      const request = event.data;
      const department = DEPARTMENTS[request.serviceCode];
      const priority: Priority = request.priority ?? 'normal';
      const level = serviceLevel(ctx.config, request.serviceCode, priority);
      if (department === undefined || level === undefined) {
        ctx.logger.warn(`no department answers service '${request.serviceCode}'; request ${request.requestId} left unrouted`);
        return;
      }
      const now = ctx.clock.now();
      const acknowledgeBy = now + level.acknowledgeMin * 60_000;
      const resolveBy = now + level.resolveMin * 60_000;
      const entry: CitizenCase = { caseId: request.requestId, serviceCode: request.serviceCode, department, priority, filed: event, status: 'open', timers: [] };
      book.add(entry);
      if (department === 'waste') {
        await scope.publish(waste.CollectionRequested, { requestId: request.requestId, shiftStart: new Date(now).toISOString(), reason: `citizen request ${request.requestId}: ${request.serviceCode}` });
      } else if (department === 'public-safety') {
        const kind = request.attributes?.hazard === 'crash' ? 'collision' : 'hazard';
        await scope.publish(safety.ReportReceived, { reportId: request.requestId, kind, position: request.position, reportedAt: request.filedAt, casualties: 0, description: request.description, channel: 'open311' });
      } else {
        await scope.publish(citizen.CaseRouted, {
          caseId: request.requestId,
          department,
          serviceCode: request.serviceCode,
          position: request.position,
          description: request.description,
          acknowledgeBy: new Date(acknowledgeBy).toISOString(),
          resolveBy: new Date(resolveBy).toISOString(),
        });
      }
      await scope.publish(citizen.CaseUpdated, { caseId: entry.caseId, status: 'open', note: `routed to ${department} (${priority}): acknowledge by ${clockTime(acknowledgeBy)}, resolve by ${clockTime(resolveBy)} UTC` }, { subject: entry.caseId });
      entry.timers.push(
        ctx.clock.setTimeout(() => (reached(entry, 'acknowledged') ? undefined : escalate(entry, 'acknowledge')), level.acknowledgeMin * 60_000),
        ctx.clock.setTimeout(() => (reached(entry, 'resolved') ? undefined : escalate(entry, 'resolve')), level.resolveMin * 60_000),
      );
    });

    // Departments that answer work orders.
    ctx.on(citizen.CaseProgressed, async ({ data }) => {
      const entry = book.get(data.caseId);
      if (entry !== undefined) await advance(entry, data.status, `${data.department}: ${data.note}`);
    });

    // Waste: the plan for the requested shift acknowledges, a pickup of it starts, its routes' end resolves.
    ctx.on(waste.CollectionPlanned, async ({ data, correlationid }) => {
      const entry = (data.requestId === undefined ? undefined : book.get(data.requestId)) ?? book.all().find((c) => c.filed.correlationid === correlationid);
      if (entry === undefined) return;
      entry.planId = data.planId;
      entry.routesLeft = data.routes.length;
      if (data.routes.length === 0) return advance(entry, 'resolved', `waste planned ${data.planId}: no bin needed collecting`);
      await advance(entry, 'acknowledged', `waste planned ${data.planId}: ${data.routes.length} truck(s) on the way`);
    });
    ctx.on(waste.PickupConfirmed, async ({ data }) => {
      for (const entry of data.planId === undefined ? [] : book.byPlan(data.planId)) await advance(entry, 'in_progress', `${data.truckId} is collecting (emptied ${data.binId})`);
    });
    ctx.on(waste.RouteCompleted, async ({ data }) => {
      for (const entry of book.byPlan(data.planId)) {
        entry.routesLeft = Math.max(0, (entry.routesLeft ?? 1) - 1);
        if (entry.routesLeft === 0) await advance(entry, 'resolved', `collection ${data.planId} done: the last truck is back`);
      }
    });

    // Public safety: the report opens an incident or joins one (a crash complaint links to the crash's incident).
    ctx.on(safety.IncidentOpened, async ({ data }) => {
      for (const reportId of data.reportIds) {
        const entry = book.get(reportId);
        if (entry === undefined) continue;
        entry.incidentId = data.incidentId;
        await advance(entry, 'acknowledged', `public safety opened incident ${data.incidentId}`);
      }
    });
    ctx.on(safety.IncidentUpdated, async ({ data }) => {
      const entry = book.get(data.mergedReportId);
      if (entry === undefined) return;
      entry.incidentId = data.incidentId;
      await advance(entry, 'acknowledged', `linked to incident ${data.incidentId}, which public safety is already handling`);
    });
    ctx.on(safety.UnitDispatched, async ({ data }) => {
      for (const entry of book.byIncident(data.incidentId)) await advance(entry, 'in_progress', `${data.unitId} is on its way to incident ${data.incidentId}`);
    });
    ctx.on(safety.IncidentClosed, async ({ data }) => {
      for (const entry of book.byIncident(data.incidentId)) await advance(entry, 'resolved', `incident ${data.incidentId} closed: ${data.reason}`);
    });

    ctx.onStop(() => book.all().forEach((entry) => entry.timers.forEach((timer) => ctx.clock.clearTimer(timer))));
  },
});
