import { citizen, safety, waste } from '@polis/contracts';
import { definePlugin } from '@polis/plugin-api';
import type { CloudEvent, EventData, QueryResponse } from '@polis/plugin-api';
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
  version: '1.2.0',
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
  requests: [waste.BinStatus],
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
      const binId = department === 'waste' ? request.attributes?.bin_id : undefined;
      const entry: CitizenCase = { caseId: request.requestId, serviceCode: request.serviceCode, department, priority, filed: event, status: 'open', timers: [], ...(binId === undefined ? {} : { binId }) };
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

    // Waste: a complaint that names its bin follows that bin: the route that has it as a stop
    // (the complaint's own plan, or an earlier one that already took it), that truck's pickups,
    // and the bin's own pickup, which resolves it. Without a bin, the plan for the requested
    // shift acknowledges, a pickup of it starts, its routes' end resolves.
    ctx.on(waste.CollectionPlanned, async ({ data, correlationid }) => {
      const entry = (data.requestId === undefined ? undefined : book.get(data.requestId)) ?? book.all().find((c) => c.filed.correlationid === correlationid);
      if (entry === undefined) return;
      if (entry.binId !== undefined) return followBin(entry, entry.binId, data);
      entry.planId = data.planId;
      entry.routesLeft = data.routes.length;
      if (data.routes.length === 0) return advance(entry, 'resolved', `waste planned ${data.planId}: no bin needed collecting`);
      await advance(entry, 'acknowledged', `waste planned ${data.planId}: ${data.routes.length} truck(s) on the way`);
    });
    const followBin = async (entry: CitizenCase, binId: string, plan: EventData<typeof waste.CollectionPlanned>) => {
      const route = plan.routes.find((r) => r.stops.some((stop) => stop.binId === binId));
      if (route !== undefined) {
        const stop = route.stops.findIndex((s) => s.binId === binId);
        Object.assign(entry, { planId: plan.planId, routeId: route.routeId });
        return advance(entry, 'acknowledged', `${binId} is stop ${stop + 1} of ${route.truckId} (plan ${plan.planId}), due at ${clockTime(Date.parse(route.stops[stop]!.etaAt))} UTC`);
      }
      const deferred = plan.deferred.find((d) => d.binId === binId);
      if (deferred !== undefined) return advance(entry, 'acknowledged', `waste deferred ${binId} in plan ${plan.planId}: ${deferred.reason}`);
      // Not in this plan: an earlier plan may have it (its truck is on the way), or no route does.
      let status: QueryResponse<typeof waste.BinStatus>;
      try {
        status = await ctx.request(waste.BinStatus, { binId });
      } catch (error) {
        return advance(entry, 'acknowledged', `plan ${plan.planId} left ${binId} out, and waste could not say why (${error instanceof Error ? error.message : String(error)})`);
      }
      const pickup = status.plannedPickup;
      if (pickup !== undefined) {
        Object.assign(entry, { planId: pickup.planId, routeId: pickup.routeId });
        return advance(entry, 'acknowledged', `${binId} is already a stop of ${pickup.truckId} (plan ${pickup.planId}, route ${pickup.routeId}), due at ${clockTime(Date.parse(pickup.etaAt))} UTC`);
      }
      const why = !status.found ? 'waste knows no such bin' : status.fillPct === undefined ? 'the bin has not reported its fill' : `fill ${Math.round(status.fillPct)} % of a ${status.thresholdPct ?? 100} % threshold`;
      return advance(entry, 'acknowledged', `${binId} is on no route of waste (plan ${plan.planId} left it out: ${why})`);
    };
    ctx.on(waste.PickupConfirmed, async ({ data }) => {
      for (const entry of book.byBin(data.binId)) await advance(entry, 'resolved', `${data.truckId} emptied ${data.binId} at ${clockTime(Date.parse(data.emptiedAt))} UTC`);
      for (const entry of data.planId === undefined ? [] : book.byPlan(data.planId)) {
        if (entry.binId === undefined) await advance(entry, 'in_progress', `${data.truckId} is collecting (emptied ${data.binId})`);
        else if (entry.routeId === data.routeId) await advance(entry, 'in_progress', `${data.truckId} is collecting on its way to ${entry.binId} (emptied ${data.binId})`);
      }
    });
    ctx.on(waste.RouteCompleted, async ({ data }) => {
      for (const entry of book.byPlan(data.planId)) {
        // A named bin's case ends with that bin's pickup; a route that missed it is told, and waste replans the bin.
        if (entry.binId !== undefined) {
          if (entry.routeId === data.routeId && data.missed.includes(entry.binId)) await tell(entry, `${data.truckId} came back without emptying ${entry.binId}; waste plans it again`);
          continue;
        }
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
