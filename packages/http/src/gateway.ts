import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import cors from 'cors';
import { cityLayers } from './dashboard/city-layers.js';
import { dashboardRoutes } from './dashboard/dashboard-routes.js';
import express from 'express';
import type { Express } from 'express';
import helmet from 'helmet';
import type { Kernel, PluginEntry } from '@polis/kernel';
import type { Logger } from '@polis/plugin-api';
import { PluginCatalogue } from './admin/plugin-catalogue.js';
import { adminRoutes } from './admin/admin-routes.js';
import type { PluginResolver } from './admin/admin-routes.js';
import { Principals } from './auth/principals.js';
import type { SourceCredentials } from './auth/principals.js';
import type { NgsiLdEntitySpec } from './config/gateway-spec.js';
import { asyncApiDocument } from './describe/asyncapi-document.js';
import type { SourceDescription } from './describe/city-description.js';
import { openApiDocument } from './describe/openapi-document.js';
import { authenticated, notFound, problemHandler } from './express/middleware.js';
import { ExternalPublisher } from './ingest/external-publisher.js';
import { ingestHandler } from './ingest/ingest-handler.js';
import { httpMetrics } from './metrics/http-metrics.js';
import { httpTracing } from './express/tracing.js';
import { PromMetricsService } from '@polis/kernel';
import { Registry } from 'prom-client';
import { ngsiLdNotifyHandler } from './ngsi-ld/notify-handler.js';
import { TransportProbe, readiness } from './ops/health.js';
import type { ReadinessCheck } from './ops/health.js';
import { open311Routes } from './open311/open311-routes.js';
import type { Open311Options } from './open311/open311-routes.js';
import type { ServiceRequest } from './open311/request-store.js';
import { accountabilityView } from './open311/accountability-view.js';
import type { AccountabilityRules } from './open311/accountability-view.js';
import { ChainRecorder } from './open311/chain-recorder.js';
import { followCases } from './open311/case-follower.js';
import { transparencyPage } from './open311/transparency-page.js';
import { queryHandler } from './queries/query-handler.js';
import type { EventFeed } from './stream/event-feed.js';
import { JetStreamFeed, isNatsTransport } from './stream/jetstream-feed.js';
import { MemoryFeed } from './stream/memory-feed.js';
import { LiveStreams } from './stream/stream-route.js';
import { HttpErrorCodes, HttpProblem } from './problems/problem.js';
import { OPEN311_SOURCE } from './config/gateway-publishers.js';

export interface GatewayOptions {
  /** A started kernel; the gateway is stopped before it. */
  readonly kernel: Kernel;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port (see `address`). */
  readonly port?: number;
  /** Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Default 1000. */
  readonly maxBatchEvents?: number;
  /** Browser origins CORS allows (default none; `*` for any). */
  readonly corsOrigins?: readonly string[];
  readonly sources?: readonly SourceCredentials[];
  /** Without it there is no admin API. */
  readonly adminToken?: string;
  readonly stream?: { readonly bufferSize?: number; readonly maxClients?: number; readonly heartbeatS?: number };
  readonly queryTimeoutMs?: number;
  readonly ngsiLd?: { readonly entities: readonly NgsiLdEntitySpec[] };
  /**
   * The gateway's own metrics (HTTP, connectors, process; default: a new registry). `/metrics`
   * serves it merged with the kernel's (`kernel.metrics`, the bus counters), which must not share its names.
   */
  readonly metrics?: PromMetricsService;
  /** The plugins the kernel was started with (their manifests feed AsyncAPI and the admin API). */
  readonly plugins?: readonly PluginEntry[];
  /** Imports a plugin by package name or path, for the admin API. */
  readonly resolvePlugin?: PluginResolver;
  /** The deployment's name, for the descriptions (default `polis`). */
  readonly name?: string;
  /** Systems that reach the city other than through this gateway (an MQTT connector), for AsyncAPI. */
  readonly otherSources?: readonly SourceDescription[];
  /** NATS servers and prefix, for AsyncAPI, when the city runs on NATS. */
  readonly nats?: { readonly servers: readonly string[]; readonly prefix: string };
  /** More readiness conditions (connectors). */
  readonly readiness?: readonly ReadinessCheck[];
  /** Serves Open311 GeoReport v2 at `/open311/v2` for citizens' requests. */
  readonly open311?: Open311Options;
  /** Serves `/accountability.json` and the `/transparency` page, computed from the bus's causal chains. */
  readonly accountability?: { readonly rules: AccountabilityRules; readonly now?: () => number };
  readonly logger?: Logger;
}

/** A running gateway. */
export interface Gateway {
  /** Where it listens, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly address: AddressInfo;
  readonly app: Express;
  readonly metrics: PromMetricsService;
  /** Closes live streams and the listener; requests in flight finish. */
  stop(): Promise<void>;
}

/**
 * Starts the city's front door on a running kernel: `POST /events`, `POST /queries/<type>`,
 * `GET /events/stream`, `/healthz`, `/readyz`, `/metrics`, `/asyncapi.json`, `/openapi.json`,
 * the admin API (with an admin token) and `POST /ngsi-ld/notify` (with an `ngsiLd` mapping).
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { kernel } = options;
  const logger = options.logger ?? kernel.logger.child({ component: 'http' });
  const metrics = options.metrics ?? new PromMetricsService();
  // The bus's counters live in the kernel's registry; a kernel given another MetricsService keeps them to itself.
  const kernelMetrics = kernel.metrics instanceof PromMetricsService && kernel.metrics !== metrics ? kernel.metrics : undefined;
  const principals = new Principals(options.sources ?? [], options.adminToken);
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const maxBatchEvents = options.maxBatchEvents ?? 1000;
  const catalogue = new PluginCatalogue(kernel, options.plugins ?? []);
  const publisher = new ExternalPublisher(kernel);
  const probe = await TransportProbe.watch(kernel);
  const consumed = principals.sources.flatMap((source) => source.consumes);
  const feed: EventFeed | undefined =
    consumed.length === 0 ? undefined : isNatsTransport(kernel.bus.transport) ? await JetStreamFeed.start(kernel, kernel.bus.transport, logger) : await MemoryFeed.start(kernel, consumed, options.stream?.bufferSize ?? 10_000);

  const app = express();
  app.disable('x-powered-by');
  // Replies to POSTs and live documents: an ETag (a hash of every body) would only cost.
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(httpMetrics(metrics));
  app.use(httpTracing());
  app.use(helmet());
  const origins = options.corsOrigins ?? [];
  if (origins.length > 0) {
    app.use(cors({ origin: origins.includes('*') ? '*' : [...origins], allowedHeaders: ['authorization', 'content-type', 'last-event-id', 'ce-specversion', 'ce-id', 'ce-source', 'ce-type', 'ce-subject', 'ce-time', 'ce-dataschema', 'ce-priority', 'ce-traceparent', 'ce-tracestate', 'traceparent', 'tracestate'], maxAge: 600 }));
  }
  // Bodies are read raw, whatever their type, so each route parses (and refuses) them itself.
  const body = express.raw({ type: () => true, limit: maxBodyBytes });
  const sources = (handler: Parameters<typeof authenticated>[2], tokenInQuery = false) => authenticated(principals, ['source'], handler, { tokenInQuery });

  app.post('/events', body, sources(ingestHandler(publisher, maxBatchEvents)));
  app.post('/queries/:type', body, sources(queryHandler(kernel, options.queryTimeoutMs ?? 5_000)));
  const streams = feed === undefined ? undefined : new LiveStreams(feed, { maxClients: options.stream?.maxClients ?? 100, heartbeatMs: (options.stream?.heartbeatS ?? 15) * 1000 });
  app.get(
    '/events/stream',
    sources((_req, _res, principal) => {
      if (streams === undefined) throw new HttpProblem(403, HttpErrorCodes.FORBIDDEN, `source '${principal.name}' may not read any event stream (no source of this city consumes events)`);
      return streams.handler(_req, _res, principal);
    }, true),
  );
  if (options.ngsiLd !== undefined) app.post('/ngsi-ld/notify', body, sources(ngsiLdNotifyHandler(publisher, options.ngsiLd.entities)));
  if (options.adminToken !== undefined) app.use('/admin', body, adminRoutes({ kernel, principals, catalogue, metrics: kernelMetrics ?? metrics, resolvePlugin: options.resolvePlugin }));

  let caseFollower: Awaited<ReturnType<typeof followCases>> | undefined;
  if (options.open311 !== undefined) {
    const { onCase } = options.open311;
    // A case becomes citizen.request.filed when the city knows that contract (citizen-services is loaded).
    const fileCase = async (request: ServiceRequest, attributes: Readonly<Record<string, string>>) => {
      await onCase?.(request, attributes);
      if (request.lat === undefined || !kernel.registry.has('citizen.request.filed', 1)) return;
      const { priority, ...rest } = attributes;
      await kernel.bus.publish(OPEN311_SOURCE, 'citizen.request.filed', 1, {
        requestId: request.service_request_id,
        serviceCode: request.service_code,
        position: { lat: request.lat, lon: request.long },
        filedAt: request.requested_datetime,
        description: request.description,
        ...(priority === undefined ? {} : { priority }),
        ...(Object.keys(rest).length === 0 ? {} : { attributes: rest }),
      });
    };
    const open311 = open311Routes({ ...options.open311, onCase: fileCase });
    app.use('/open311/v2', open311.router);
    caseFollower = await followCases(kernel, open311.store);
  }
  const chains = options.accountability === undefined ? undefined : await ChainRecorder.start(kernel);
  if (chains !== undefined && options.accountability !== undefined) {
    const { rules, now = Date.now } = options.accountability;
    app.get('/accountability.json', (_req, res) => {
      res.json(accountabilityView(chains.events(), rules, now()));
    });
    app.get('/transparency', (_req, res) => {
      res.type('html').send(transparencyPage(accountabilityView(chains.events(), rules, now()), options.name ?? 'polis'));
    });
  }

  // The page asks for the accountability view only where the city serves one.
  app.use(dashboardRoutes(sources((_req, res) => void res.json({ ...cityLayers(catalogue.running()), accountability: chains !== undefined }))));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const state = readiness(kernel, probe, options.readiness ?? []);
    res.status(state.ready ? 200 : 503).json({ status: state.ready ? 'ready' : 'not ready', ...state });
  });
  app.get('/metrics', async (_req, res, next) => {
    try {
      // Merged per scrape (it only lists the families), so a family registered later is served too.
      const registry = kernelMetrics === undefined ? metrics.registry : Registry.merge([metrics.registry, kernelMetrics.registry]);
      res.type(registry.contentType).send(await registry.metrics());
    } catch (error) {
      next(error);
    }
  });

  const server = await listen(app, options.host ?? '127.0.0.1', options.port ?? 8080);
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  const describedSources: SourceDescription[] = [
    ...principals.sources.map((source) => ({ name: source.name, via: 'http' as const, publishes: source.publishes, consumes: source.consumes, requests: source.requests })),
    ...(options.otherSources ?? []),
  ];
  app.get('/asyncapi.json', (_req, res) => {
    res.json(asyncApiDocument({ name: options.name ?? 'polis', plugins: catalogue.plugins(), sources: describedSources, http: `${address.address}:${address.port}`, ...(options.nats ? { nats: options.nats } : {}) }));
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument({ title: options.name ?? 'polis', server: url, registry: kernel.registry, admin: options.adminToken !== undefined, ngsiLd: options.ngsiLd !== undefined }));
  });
  app.use(notFound);
  app.use(problemHandler(logger));
  logger.info(`gateway listening on ${url}`, { sources: principals.sources.length, admin: options.adminToken !== undefined });
  // Simulated or scripted citizens inside the city learn where the desk is (the port may be chosen at start).
  if (options.open311 !== undefined && kernel.registry.has('citizen.desk.opened', 1)) await kernel.bus.publish(OPEN311_SOURCE, 'citizen.desk.opened', 1, { open311Url: `${url}/open311/v2` });

  return {
    url,
    address,
    app,
    metrics,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Streams never end by themselves; requests in flight do.
      streams?.closeAll();
      server.closeIdleConnections();
      await feed?.close();
      await chains?.close();
      await caseFollower?.close();
      await closed;
    },
  };
}

function listen(app: Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
    server.keepAliveTimeout = 5_000;
  });
}
