import type { SchemaRegistry } from '@polis/kernel';
import { replyTypeOf } from '@polis/plugin-api';

type JsonObject = Record<string, unknown>;

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
const json = (schema: JsonObject, description: string) => ({ description, content: { 'application/json': { schema } } });

/**
 * The OpenAPI 3.1 description of the gateway's HTTP API. Queries registered in the city get a
 * path each, with their request and response schemas from the registry.
 */
export function openApiDocument(options: { title: string; server: string | undefined; registry: SchemaRegistry; admin: boolean; ngsiLd: boolean }): JsonObject {
  const paths: Record<string, JsonObject> = {
    '/events': {
      post: {
        summary: 'Send events (CloudEvents HTTP binding: binary, structured or batch mode)',
        security: [{ sourceToken: [] }],
        parameters: ['id', 'source', 'type', 'specversion'].map((name) => ({ in: 'header', name: `ce-${name}`, required: false, schema: { type: 'string' }, description: `Binary mode: the ${name} attribute` })),
        requestBody: {
          required: true,
          content: {
            'application/cloudevents+json': { schema: { $ref: '#/components/schemas/CloudEvent' } },
            'application/cloudevents-batch+json': { schema: { type: 'array', items: { $ref: '#/components/schemas/CloudEvent' }, minItems: 1 } },
            'application/json': { schema: {}, description: 'Binary mode: the data, with the attributes in ce- headers' },
          },
        },
        responses: {
          '202': json({ oneOf: [{ $ref: '#/components/schemas/Accepted' }, { $ref: '#/components/schemas/BatchReply' }] }, 'Accepted: the event (or every event of the batch) is on the bus'),
          '207': json({ $ref: '#/components/schemas/BatchReply' }, 'A batch some of whose events were refused; each has its own result'),
          '400': problem('Not a CloudEvent, not JSON, or a malformed batch'),
          '401': problem('No valid token'),
          '403': problem('The source may not publish this type'),
          '413': problem('The body or the event data is too large'),
          '415': problem('Unsupported content type'),
          '422': problem('Unknown type, or data that fails its schema (errors[] names each path and rule)'),
          '503': problem('The bus is not available'),
        },
      },
    },
    '/events/stream': {
      get: {
        summary: 'Live events as Server-Sent Events, resumable with Last-Event-ID',
        security: [{ sourceToken: [] }],
        parameters: [
          { in: 'query', name: 'types', schema: { type: 'string' }, description: 'Comma-separated event types or patterns (default: all the source may consume)' },
          { in: 'header', name: 'Last-Event-ID', schema: { type: 'string' }, description: 'Resume after this event' },
          { in: 'query', name: 'access_token', schema: { type: 'string' }, description: 'The token, for clients that cannot send headers (EventSource)' },
        ],
        responses: {
          '200': { description: 'An event stream: each data line is a CloudEvent (structured JSON)', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          '400': problem('Invalid pattern or Last-Event-ID'),
          '401': problem('No valid token'),
          '403': problem('The source may not read these types'),
          '503': problem('Too many streams open'),
        },
      },
    },
    '/queries/{type}': {
      post: {
        summary: 'Ask a query (request/reply), e.g. traffic.route.find',
        security: [{ sourceToken: [] }],
        parameters: [
          { in: 'path', name: 'type', required: true, schema: { type: 'string' } },
          { in: 'query', name: 'version', schema: { type: 'integer', minimum: 1 } },
          { in: 'query', name: 'timeoutMs', schema: { type: 'integer', minimum: 1, maximum: 60000 } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: {} } } },
        responses: {
          '200': json({}, "The responder's answer, validated against the query's response schema"),
          '400': problem('Malformed body or parameter'),
          '401': problem('No valid token'),
          '403': problem('The source may not ask this query'),
          '404': problem('No such query'),
          '422': problem('The request fails its schema'),
          '502': problem('The responder failed'),
          '503': problem('Nobody answers the query'),
          '504': problem('No answer in time'),
        },
      },
    },
    '/healthz': { get: { summary: 'Liveness', responses: { '200': json({ type: 'object' }, 'The gateway answers') } } },
    '/readyz': { get: { summary: 'Readiness: transport connected, every plugin running', responses: { '200': json({ type: 'object' }, 'Ready'), '503': json({ type: 'object' }, 'Not ready, and why') } } },
    '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
    '/asyncapi.json': { get: { summary: "AsyncAPI 3.0 document of the city's events", responses: { '200': json({ type: 'object' }, 'The document') } } },
    '/openapi.json': { get: { summary: 'This document', responses: { '200': json({ type: 'object' }, 'The document') } } },
  };
  for (const type of options.registry.types()) {
    const reply = replyTypeOf(type);
    const versions = options.registry.versions(type).filter((version) => options.registry.has(reply, version));
    const latest = versions[versions.length - 1];
    if (latest === undefined) continue;
    paths[`/queries/${type}`] = {
      post: {
        summary: `Ask ${type} (v${latest}; ?version= for ${versions.join(', ')})`,
        security: [{ sourceToken: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: plain(options.registry.get(type, latest)!.schema) } } },
        responses: { '200': json(plain(options.registry.get(reply, latest)!.schema), 'The answer'), default: problem('Refused; see /queries/{type}') },
      },
    };
  }
  if (options.ngsiLd) {
    paths['/ngsi-ld/notify'] = {
      post: {
        summary: 'NGSI-LD notifications (Orion-LD, Scorpio): each entity becomes an event of its mapped type',
        security: [{ sourceToken: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['data'], properties: { data: { type: 'array', items: { type: 'object' } } } } } } },
        responses: { '200': json({ type: 'object' }, 'Every entity published'), '207': json({ type: 'object' }, 'Some entities refused; one result each'), default: problem('Refused') },
      },
    };
  }
  if (options.admin) {
    const pluginBody = { required: true, content: { 'application/json': { schema: { type: 'object', required: ['package'], properties: { package: { type: 'string' }, config: { type: 'object' } }, additionalProperties: false } } } };
    paths['/admin/plugins'] = {
      get: { summary: 'Plugins with state, version and event counts', security: [{ adminToken: [] }], responses: { '200': json({ type: 'object' }, 'The plugins'), '401': problem('No valid token'), '403': problem('Not the admin token') } },
      post: { summary: 'Load a plugin by package name or path', security: [{ adminToken: [] }], requestBody: pluginBody, responses: { '201': json({ type: 'object' }, 'Started'), '409': problem('Already loaded'), '422': problem('Invalid, or failed to start') } },
    };
    paths['/admin/plugins/{name}'] = {
      parameters: [{ in: 'path', name: 'name', required: true, schema: { type: 'string' } }],
      put: { summary: 'Upgrade a plugin to another version', security: [{ adminToken: [] }], requestBody: pluginBody, responses: { '200': json({ type: 'object' }, 'Upgraded'), '404': problem('Not loaded'), '422': problem('Invalid, or failed to start (the old version runs again)') } },
      delete: {
        summary: 'Unload a plugin',
        security: [{ adminToken: [] }],
        parameters: [{ in: 'query', name: 'cascade', schema: { type: 'boolean' } }],
        responses: { '200': json({ type: 'object' }, 'Unloaded'), '404': problem('Not loaded'), '409': problem('Others need its services (use cascade)') },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: `${options.title}: Polis gateway`, version: '1.0.0', description: 'The HTTP API of a Polis city. Errors are RFC 9457 problem documents with a stable code.' },
    ...(options.server === undefined ? {} : { servers: [{ url: options.server }] }),
    paths,
    components: {
      securitySchemes: {
        sourceToken: { type: 'http', scheme: 'bearer', description: 'The token of a source declared in the deployment file' },
        adminToken: { type: 'http', scheme: 'bearer', description: "The deployment's admin token" },
      },
      schemas: {
        CloudEvent: {
          type: 'object',
          required: ['specversion', 'id', 'source', 'type'],
          properties: {
            specversion: { const: '1.0' },
            id: { type: 'string' },
            source: { type: 'string', description: "Replaced by the declared source's name" },
            type: { type: 'string' },
            dataschema: { type: 'string', description: 'urn:polis:schema:<type>:<version> (default: the newest version)' },
            subject: { type: 'string' },
            time: { type: 'string', format: 'date-time' },
            priority: { enum: ['emergency', 'routine'] },
            data: {},
            data_base64: { type: 'string' },
          },
        },
        Accepted: { type: 'object', required: ['id', 'clientId', 'type', 'duplicate'], properties: { id: { type: 'string' }, clientId: { type: 'string' }, type: { type: 'string' }, duplicate: { type: 'boolean' } } },
        BatchReply: {
          type: 'object',
          properties: {
            accepted: { type: 'integer' },
            refused: { type: 'integer' },
            results: { type: 'array', items: { oneOf: [{ allOf: [{ $ref: '#/components/schemas/Accepted' }, { type: 'object', properties: { status: { const: 202 } } }] }, { type: 'object', properties: { status: { type: 'integer' }, problem: { $ref: '#/components/schemas/Problem' } } }] } },
          },
        },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code'],
          properties: {
            type: { type: 'string', format: 'uri' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            code: { type: 'string', description: 'Stable: POLIS_HTTP_* at the boundary, the kernel codes (POLIS_EVENT_INVALID, ...) beyond it' },
            errors: { type: 'array', items: { type: 'object', required: ['path', 'rule', 'message'], properties: { path: { type: 'string', description: 'JSON Pointer' }, rule: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  };
}

function plain(schema: unknown): JsonObject {
  return JSON.parse(JSON.stringify(schema)) as JsonObject;
}
