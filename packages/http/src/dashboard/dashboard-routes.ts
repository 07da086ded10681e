import { Router } from 'express';
import type { RequestHandler } from 'express';
import { DASHBOARD_PAGE, DASHBOARD_SCRIPT } from './dashboard-assets.js';

/**
 * `GET /` (the page), `GET /dashboard.js` (its script) and `GET /dashboard/city.json` (the
 * deployment's roads and placed things, see city-layers.ts; behind a source token): the live
 * dashboard. The page holds no secret; the operator opens `/?token=<source token>[&admin=<admin
 * token>]` and the script uses those for the stream, the layers and `GET /admin/plugins`. The
 * script is served from its own URL because helmet's Content-Security-Policy (script-src
 * 'self') forbids inline scripts, which is also what keeps an injected payload from running.
 */
export function dashboardRoutes(layers: RequestHandler): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.type('html').send(DASHBOARD_PAGE);
  });
  router.get('/dashboard.js', (_req, res) => {
    res.type('js').send(DASHBOARD_SCRIPT);
  });
  router.get('/dashboard/city.json', layers);
  return router;
}
