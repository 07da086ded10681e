import { Kernel, MemoryTransport, createLogger } from '@polis/kernel';
import type { LogRecord, PluginEntry, PluginInput } from '@polis/kernel';
import { PromMetricsService, startGateway } from '@polis/http';
import type { Gateway, GatewayOptions, SourceCredentials } from '@polis/http';
import { Type, defineEvent, definePlugin, defineQuery } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';

/** A report from outside the city, and what a small desk plugin makes of it. */
export const ReportReceived = defineEvent({
  type: 'test.report.received',
  version: 1,
  schema: Type.Object({ reportId: Type.String({ minLength: 1 }), casualties: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
});
export const IncidentOpened = defineEvent({
  type: 'test.incident.opened',
  version: 1,
  schema: Type.Object({ incidentId: Type.String(), casualties: Type.Integer({ minimum: 0 }) }),
});
export const IncidentCount = defineQuery({
  type: 'test.incident.count',
  version: 1,
  request: Type.Object({ minCasualties: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
  response: Type.Object({ count: Type.Integer({ minimum: 0 }) }),
});
/** Answered by nobody: a plugin only asks it. */
export const Unanswered = defineQuery({ type: 'test.nobody.answers', version: 1, request: Type.Object({}), response: Type.Object({}) });
/** Answered slowly or with a failure, on demand. */
export const Troublesome = defineQuery({
  type: 'test.trouble.make',
  version: 1,
  request: Type.Object({ kind: Type.Union([Type.Literal('slow'), Type.Literal('fail')]) }),
  response: Type.Object({ ok: Type.Boolean() }),
});

/** Opens an incident for every report and counts them; records what it received. */
export function incidentDesk(received: CloudEvent[] = []) {
  return definePlugin({
    name: 'incident-desk',
    version: '1.2.0',
    kernel: '^1',
    consumes: [ReportReceived],
    publishes: [IncidentOpened],
    answers: [IncidentCount, Troublesome],
    requests: [Unanswered],
    setup(ctx) {
      const incidents: Array<{ casualties: number }> = [];
      ctx.on(ReportReceived, async (event, scope) => {
        received.push(event);
        incidents.push({ casualties: event.data.casualties });
        await scope.publish(IncidentOpened, { incidentId: `INC-${event.data.reportId}`, casualties: event.data.casualties });
      });
      ctx.answer(IncidentCount, ({ minCasualties }) => ({ count: incidents.filter((i) => i.casualties >= minCasualties).length }));
      ctx.answer(Troublesome, async ({ kind }) => {
        if (kind === 'fail') throw new Error('the desk is on fire');
        await new Promise((resolve) => setTimeout(resolve, 500));
        return { ok: true };
      });
    },
  });
}

export const SENSOR_TOKEN = 'sensor-token-0123456789abcdef';
export const DASHBOARD_TOKEN = 'dashboard-token-0123456789abcdef';
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

export const SOURCES: readonly SourceCredentials[] = [
  { name: 'field-sensors', token: SENSOR_TOKEN, publishes: ['test.report.*', 'test.unknown.>'], consumes: [], requests: [] },
  { name: 'dashboard', token: DASHBOARD_TOKEN, publishes: [], consumes: ['test.>', 'kernel.>'], requests: ['test.incident.count', 'test.nobody.answers', 'test.trouble.make', 'test.other.>'] },
];

export interface TestCity {
  readonly kernel: Kernel;
  readonly gateway: Gateway;
  readonly received: CloudEvent[];
  readonly logs: LogRecord[];
  /** A request to the gateway; `token` becomes `Authorization: Bearer`. */
  fetch(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

/** A kernel on the memory transport with the incident desk, and a gateway on a free loopback port. */
export async function startTestCity(options: Omit<Partial<GatewayOptions>, 'plugins'> & { plugins?: readonly PluginInput[] } = {}): Promise<TestCity> {
  const logs: LogRecord[] = [];
  const kernel = new Kernel({ transport: new MemoryTransport(), logger: createLogger({ level: 'debug', write: (_line, record) => logs.push(record) }) });
  const received: CloudEvent[] = [];
  const { plugins: inputs, ...gatewayOptions } = options;
  const plugins: PluginEntry[] = (inputs ?? [incidentDesk(received)]).map((input) => ('setup' in input ? { plugin: input } : input));
  await kernel.start(plugins);
  const gateway = await startGateway({ sources: SOURCES, adminToken: ADMIN_TOKEN, metrics: new PromMetricsService(), ...gatewayOptions, plugins, kernel, port: 0 });
  return {
    kernel,
    gateway,
    received,
    logs,
    fetch: (path, init = {}) => {
      const { token, json, headers, ...rest } = init;
      const merged = new Headers(headers);
      if (token !== undefined) merged.set('authorization', `Bearer ${token}`);
      if (json !== undefined && !merged.has('content-type')) merged.set('content-type', 'application/json');
      return fetch(`${gateway.url}${path}`, { ...rest, headers: merged, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    },
    stop: async () => {
      await gateway.stop();
      await kernel.stop();
    },
  };
}

/** A structured-mode CloudEvent of `test.report.received`. */
export function reportEvent(id: string, data: unknown = { reportId: id, casualties: 1 }): Record<string, unknown> {
  return { specversion: '1.0', id, source: 'urn:sensor:42', type: 'test.report.received', data };
}
