import { Router } from 'express';
import { DASHBOARD_PAGE, DASHBOARD_SCRIPT } from './dashboard-assets.js';

/**
 * `GET /` (the page) and `GET /dashboard.js` (its script): the live dashboard. The page holds no
 * secret; the operator opens `/?token=<source token>[&admin=<admin token>]` and the script uses
 * those for `GET /events/stream` and `GET /admin/plugins`. The script is served from its own
 * URL because helmet's Content-Security-Policy (script-src 'self') forbids inline scripts,
 * which is also what keeps an injected payload from running.
 */
export function dashboardRoutes(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.type('html').send(DASHBOARD_PAGE);
  });
  router.get('/dashboard.js', (_req, res) => {
    res.type('js').send(DASHBOARD_SCRIPT);
  });
  return router;
}
