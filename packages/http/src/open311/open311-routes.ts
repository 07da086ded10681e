import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { GeoReportError } from './georeport-error.js';
import { KeyRateLimit } from './key-rate-limit.js';
import { RequestStore } from './request-store.js';
import type { Open311Status, RequestFilters, ServiceRequest } from './request-store.js';
import { defaultServices } from './service-catalogue.js';
import type { CityBounds, Open311Service } from './service-catalogue.js';
import { validateRequest } from './request-validation.js';

export interface Open311Options {
  readonly bounds: CityBounds;
  /** Default: the demo city's four services. */
  readonly services?: readonly Open311Service[];
  /** Requests one api_key may file per window (default 30 a minute). */
  readonly rateLimit?: { readonly requests: number; readonly windowMs: number };
  /** Called for each new case (not for duplicates), e.g. to publish it on the bus. */
  readonly onCase?: (request: ServiceRequest, attributes: Readonly<Record<string, string>>) => void | Promise<void>;
  readonly now?: () => number;
}

/** GeoReport v2 (`/open311/v2/...`), JSON only; every refusal in its error format. */
export function open311Routes(options: Open311Options): { router: Router; store: RequestStore } {
  const now = options.now ?? Date.now;
  const services = new Map((options.services ?? defaultServices).map((s) => [s.service_code, s]));
  const store = new RequestStore(now);
  const limit = new KeyRateLimit(options.rateLimit?.requests ?? 30, options.rateLimit?.windowMs ?? 60_000, now);
  const router = express.Router();
  const form = express.raw({ type: () => true, limit: 64 * 1024 });

  router.get('/services.json', (_req, res) => {
    res.json([...services.values()].map(({ service_code, service_name, description, group, attributes }) => ({ service_code, service_name, description, metadata: attributes.length > 0, type: 'realtime', keywords: '', group })));
  });
  router.get('/services/:code.json', (req, res) => {
    const service = services.get(String(req.params.code));
    if (service === undefined) throw GeoReportError.of(404, `service_code '${String(req.params.code)}' is not a service of this city`);
    res.json({
      service_code: service.service_code,
      attributes: service.attributes.map((a, i) => ({ variable: true, code: a.code, datatype: a.datatype, required: a.required, datatype_description: '', order: i + 1, description: a.description, ...(a.values ? { values: a.values } : {}) })),
    });
  });
  router.post('/requests.json', form, async (req, res) => {
    const fields = readFields(req);
    const filed = validateRequest(fields, services, options.bounds);
    if (!limit.take(filed.apiKey)) throw GeoReportError.of(429, 'too many requests from this api_key; try again later');
    const { request, merged } = store.file(filed);
    if (!merged) await options.onCase?.(request, filed.attributes);
    res.status(201).json([{ service_request_id: request.service_request_id, service_notice: merged ? 'joined an open request about the same thing' : request.status_notes, account_id: null }]);
  });
  router.get('/requests.json', (req, res) => {
    res.json(store.find(readFilters(req)));
  });
  router.get('/requests/:id.json', (req, res) => {
    const request = store.get(String(req.params.id));
    if (request === undefined) throw GeoReportError.of(404, `no service request '${String(req.params.id)}'`);
    res.json([request]);
  });
  router.use((_req: Request, _res: Response) => {
    throw GeoReportError.of(404, 'no such Open311 resource');
  });
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (error instanceof GeoReportError) return void res.status(error.status).json(error.errors);
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) return void res.status(status).json([{ code: status, description: (error as Error).message }]);
    next(error);
  });
  return { router, store };
}

/** Form fields (GeoReport's own encoding) or a flat JSON object. */
function readFields(req: Request): URLSearchParams {
  const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw GeoReportError.of(400, 'the body is not JSON');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw GeoReportError.of(400, 'the body must be a JSON object');
    const fields = new URLSearchParams();
    for (const [name, value] of Object.entries(parsed)) {
      if (name === 'attribute' && value !== null && typeof value === 'object') for (const [code, v] of Object.entries(value)) fields.append(`attribute[${code}]`, String(v));
      else if (value !== null && typeof value !== 'object') fields.append(name, String(value));
    }
    return fields;
  }
  if (type !== '' && !type.includes('application/x-www-form-urlencoded')) throw GeoReportError.of(415, 'send application/x-www-form-urlencoded or application/json');
  return new URLSearchParams(text);
}

function readFilters(req: Request): RequestFilters {
  const q = req.query as Record<string, string | undefined>;
  const list = (value: string | undefined) => (value === undefined || value === '' ? undefined : value.split(',').map((v) => v.trim()));
  const date = (name: string) => {
    const value = q[name];
    if (value === undefined) return undefined;
    const at = Date.parse(value);
    if (!Number.isFinite(at)) throw GeoReportError.of(400, `${name} must be a W3C date-time`);
    return at;
  };
  const statuses = list(q.status);
  if (statuses?.some((s) => s !== 'open' && s !== 'closed')) throw GeoReportError.of(400, 'status must be open or closed');
  return { ids: list(q.service_request_id), serviceCodes: list(q.service_code), start: date('start_date'), end: date('end_date'), statuses: statuses as Open311Status[] | undefined };
}
