import { citizen, safety, waste } from '@polis/contracts';
import { definePlugin } from '@polis/plugin-api';
import type { CloudEvent, EventData } from '@polis/plugin-api';

/** Who answers a service code, and how fast (minutes). */
interface Route {
  readonly department: string;
  readonly acknowledgeMin: number;
  readonly resolveMin: number;
}

const ROUTES: Readonly<Record<string, Route>> = {
  'bin-overflow': { department: 'waste', acknowledgeMin: 30, resolveMin: 240 },
  'signal-broken': { department: 'traffic', acknowledgeMin: 15, resolveMin: 120 },
  'smoke-smell': { department: 'environment', acknowledgeMin: 20, resolveMin: 180 },
  'road-hazard': { department: 'public-safety', acknowledgeMin: 5, resolveMin: 60 },
};

interface OpenCase {
  readonly caseId: string;
  readonly serviceCode: string;
  readonly department: string;
  acknowledged: boolean;
}

/**
 * Turns citizens' requests into cases for the responsible department. Where a department has a
 * request event of its own (waste's collection request, public safety's report) that is what
 * it gets, so it acts without knowing this plugin; the others get a neutral work order. The
 * case's correlation id is the request's, so the department's answers land in its chain, and a
 * missed time to acknowledge escalates to the department's supervisor.
 */
export const citizenServicesPlugin = definePlugin({
  name: 'citizen-services',
  version: '1.0.0',
  kernel: '^1',
  consumes: [citizen.RequestFiled, waste.CollectionPlanned],
  publishes: [citizen.CaseRouted, citizen.CaseEscalated, waste.CollectionRequested, safety.ReportReceived],
  setup(ctx) {
    const open = new Map<string, OpenCase>();
    ctx.on(citizen.RequestFiled, async (event: CloudEvent<EventData<typeof citizen.RequestFiled>>, scope) => {
      const request = event.data;
      const route = ROUTES[request.serviceCode];
      if (route === undefined) {
        ctx.logger.warn(`no department answers service '${request.serviceCode}'; request ${request.requestId} left unrouted`);
        return;
      }
      const now = ctx.clock.now();
      const entry: OpenCase = { caseId: request.requestId, serviceCode: request.serviceCode, department: route.department, acknowledged: false };
      open.set(event.correlationid, entry);
      if (route.department === 'waste') {
        await scope.publish(waste.CollectionRequested, { requestId: request.requestId, shiftStart: new Date(now).toISOString(), reason: `citizen request ${request.requestId}: ${request.serviceCode}` });
      } else if (route.department === 'public-safety') {
        await scope.publish(safety.ReportReceived, { reportId: request.requestId, kind: 'hazard', position: request.position, reportedAt: request.filedAt, casualties: 0, description: request.description, channel: 'open311' });
      } else {
        await scope.publish(citizen.CaseRouted, {
          caseId: request.requestId,
          department: route.department,
          serviceCode: request.serviceCode,
          position: request.position,
          description: request.description,
          acknowledgeBy: new Date(now + route.acknowledgeMin * 60_000).toISOString(),
          resolveBy: new Date(now + route.resolveMin * 60_000).toISOString(),
        });
      }
      ctx.clock.setTimeout(async () => {
        if (entry.acknowledged) return;
        await scope.publish(citizen.CaseEscalated, { caseId: entry.caseId, department: entry.department, serviceCode: entry.serviceCode, missed: 'acknowledge', supervisor: `${entry.department}-supervisor` });
      }, route.acknowledgeMin * 60_000);
    });
    ctx.on(waste.CollectionPlanned, (event) => {
      const entry = open.get(event.correlationid);
      if (entry !== undefined) entry.acknowledged = true;
    });
  },
});
