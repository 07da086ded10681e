import { citizen } from '@polis/contracts';
import { Type, definePlugin } from '@polis/plugin-api';
import type { Static } from '@polis/plugin-api';

const StagedRequest = Type.Object({
  /** Simulated seconds after start when the citizen files it. */
  atS: Type.Number({ minimum: 0 }),
  serviceCode: Type.String({ minLength: 1 }),
  position: Type.Object({ lat: Type.Number(), lon: Type.Number() }),
  description: Type.String({ default: '' }),
  /** Open311 attributes, e.g. `{ state: dark, priority: urgent }`. */
  attributes: Type.Record(Type.String(), Type.String(), { default: {} }),
});

const CitizenSimulatorConfig = Type.Object({
  /** The api_key the city's app files with. */
  apiKey: Type.String({ minLength: 1, default: 'demo-citizens-app' }),
  requests: Type.Array(StagedRequest, { default: [] }),
});

export type CitizenSimulatorConfig = Static<typeof CitizenSimulatorConfig>;

/**
 * The demo's citizens: they file Open311 requests over real HTTP at the desk the gateway
 * announces (`citizen.desk.opened`), as a city's app would, at staged times. They publish
 * nothing on the bus themselves: what follows is the gateway's and the departments' doing.
 */
export default definePlugin({
  name: 'citizen-simulator',
  version: '1.0.0',
  kernel: '^1',
  description: 'Staged citizens filing Open311 requests at the gateway for the demo city.',
  config: CitizenSimulatorConfig,
  consumes: [citizen.DeskOpened],
  setup(ctx) {
    const startedAt = ctx.clock.now();
    const timers: object[] = [];
    const file = async (url: string, request: CitizenSimulatorConfig['requests'][number]) => {
      const fields = new URLSearchParams({ api_key: ctx.config.apiKey, service_code: request.serviceCode, lat: String(request.position.lat), long: String(request.position.lon), description: request.description });
      for (const [code, value] of Object.entries(request.attributes)) fields.set(`attribute[${code}]`, value);
      const response = await fetch(`${url}/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
      const answer = (await response.json()) as Array<{ service_request_id?: string; service_notice?: string; description?: string }>;
      if (!response.ok) ctx.logger.warn(`CITIZEN    ${request.serviceCode} refused (${response.status}): ${answer.map((a) => a.description).join('; ')}`);
      else ctx.logger.info(`CITIZEN    files ${request.serviceCode} over Open311 -> ${answer[0]?.service_request_id}: ${answer[0]?.service_notice}`);
    };
    ctx.on(citizen.DeskOpened, ({ data }) => {
      for (const request of ctx.config.requests) {
        const delayMs = Math.max(0, startedAt + request.atS * 1000 - ctx.clock.now());
        timers.push(ctx.clock.setTimeout(() => void file(data.open311Url, request).catch((error: unknown) => ctx.logger.error(`CITIZEN    could not reach the desk: ${String(error)}`)), delayMs));
      }
    });
    ctx.onStop(() => timers.forEach((timer) => ctx.clock.clearTimer(timer)));
  },
});
