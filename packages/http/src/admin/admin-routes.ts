import { Router } from 'express';
import type { Request } from 'express';
import { createAjv, toValidationProblems } from '@polis/kernel';
import type { Kernel, PromMetricsService } from '@polis/kernel';
import { ErrorCodes, PolisError, Type } from '@polis/plugin-api';
import type { AnyPlugin } from '@polis/plugin-api';
import type { Principals } from '../auth/principals.js';
import { parseJsonBody } from '../express/json-body.js';
import { authenticated } from '../express/middleware.js';
import { HttpErrorCodes, HttpProblem } from '../problems/problem.js';
import type { PluginCatalogue } from './plugin-catalogue.js';

/** Imports a plugin by npm package name or path, as the deployment file names plugins. */
export type PluginResolver = (specifier: string) => Promise<AnyPlugin>;

const PluginRequest = Type.Object(
  {
    /** An npm package name or a path (relative to the deployment's folder); its default export is the plugin. */
    package: Type.String({ minLength: 1, maxLength: 1024 }),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
const validatePluginRequest = createAjv().compile(PluginRequest);

export interface AdminOptions {
  readonly kernel: Kernel;
  readonly principals: Principals;
  readonly catalogue: PluginCatalogue;
  /** Where the bus's counts are read (the kernel's metrics). */
  readonly metrics: PromMetricsService;
  readonly resolvePlugin: PluginResolver | undefined;
}

/**
 * The admin API (admin token only): `GET /admin/plugins` lists plugins with state, version and
 * event counts; `POST /admin/plugins` loads one, `PUT /admin/plugins/<name>` upgrades it and
 * `DELETE /admin/plugins/<name>[?cascade=true]` unloads it, while the rest of the city runs.
 */
export function adminRoutes(options: AdminOptions): Router {
  const { kernel, principals, catalogue, metrics } = options;
  const router = Router();
  const admin = (handler: Parameters<typeof authenticated>[2]) => authenticated(principals, ['admin'], handler);

  router.get(
    '/plugins',
    admin((_req, res) => {
      const published = metrics.totalsBy('polis_events_published_total', 'plugin');
      const handled = metrics.totalsBy('polis_events_handled_total', 'plugin');
      const deadLettered = metrics.totalsBy('polis_events_dead_lettered_total', 'plugin');
      res.json({
        plugins: kernel.plugins().map((status) => ({
          ...status,
          counts: { published: published.get(status.name) ?? 0, handled: handled.get(status.name) ?? 0, deadLettered: deadLettered.get(status.name) ?? 0 },
        })),
      });
    }),
  );

  router.post(
    '/plugins',
    admin(async (req, res) => {
      const entry = await pluginEntry(req, options.resolvePlugin);
      const report = await kernel.load(entry);
      catalogue.remember(entry);
      sendReport(res, 201, entry.plugin.name, report);
    }),
  );

  router.put(
    '/plugins/:name',
    admin(async (req, res) => {
      const entry = await pluginEntry(req, options.resolvePlugin);
      if (entry.plugin.name !== req.params.name) {
        throw new HttpProblem(409, HttpErrorCodes.PARAMETER_INVALID, `the package holds plugin '${entry.plugin.name}', not '${String(req.params.name)}'`);
      }
      const report = await kernel.upgrade(entry);
      if (report.started.includes(entry.plugin.name)) catalogue.remember(entry);
      sendReport(res, 200, entry.plugin.name, report);
    }),
  );

  router.delete(
    '/plugins/:name',
    admin(async (req, res) => {
      const cascade = req.query.cascade === undefined ? false : req.query.cascade === 'true' ? true : req.query.cascade === 'false' ? false : undefined;
      if (cascade === undefined) throw new HttpProblem(400, HttpErrorCodes.PARAMETER_INVALID, 'cascade is true or false', [{ path: '/cascade', rule: 'enum', message: 'must be true or false' }]);
      const name = req.params.name as string;
      const dependents = await kernel.unload(name, { cascade });
      res.json({ unloaded: [...dependents, name] });
    }),
  );
  return router;
}

async function pluginEntry(req: Request, resolvePlugin: PluginResolver | undefined): Promise<{ plugin: AnyPlugin; config: unknown }> {
  const body = parseJsonBody(req);
  if (!validatePluginRequest(body)) {
    throw new HttpProblem(422, HttpErrorCodes.PARAMETER_INVALID, 'send { "package": "<npm name or path>", "config": { ... } }', toValidationProblems(validatePluginRequest.errors));
  }
  if (resolvePlugin === undefined) throw new PolisError(ErrorCodes.INVALID_STATE, 'this gateway was started without a way to import plugin packages');
  const request = body as { package: string; config?: Record<string, unknown> };
  let plugin: AnyPlugin;
  try {
    plugin = await resolvePlugin(request.package);
  } catch (error) {
    if (error instanceof PolisError) throw error;
    throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `cannot load '${request.package}': ${(error as Error).message}`);
  }
  return { plugin, config: request.config };
}

function sendReport(res: Parameters<Parameters<typeof authenticated>[2]>[1], status: number, name: string, report: { started: readonly string[]; failed: readonly PolisError[] }): void {
  const failed = report.failed.map((error) => ({ code: error.code, plugin: error.plugin, message: error.message }));
  if (!report.started.includes(name)) {
    const first = report.failed.find((error) => error.plugin === name) ?? report.failed[0];
    throw new HttpProblem(422, first?.code ?? ErrorCodes.PLUGIN_SETUP_FAILED, `'${name}' did not start: ${first?.message ?? 'no reason given'}`, [], { started: report.started, failed });
  }
  res.status(status).json({ started: report.started, failed });
}
