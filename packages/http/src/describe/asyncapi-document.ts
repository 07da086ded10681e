import { smartDataModelReferences } from '@polis/contracts';
import { matchesPattern } from '@polis/kernel';
import { replyTypeOf } from '@polis/plugin-api';
import type { EventDefinition, JsonSchema, QueryDefinition } from '@polis/plugin-api';
import type { CityDescription } from './city-description.js';
import { SchemaComponents, sanitize } from './schema-components.js';

type JsonObject = Record<string, unknown>;

interface MessageSpec {
  readonly type: string;
  readonly version: number;
  readonly schema: JsonSchema;
  readonly description: string | undefined;
}

/** CloudEvents attributes in binary mode (`ce-` headers), shared by every message through a trait. */
const CLOUD_EVENT_HEADERS = {
  type: 'object',
  required: ['ce-specversion', 'ce-id', 'ce-source', 'ce-type'],
  properties: {
    'ce-specversion': { type: 'string', const: '1.0', description: 'CloudEvents version' },
    'ce-id': { type: 'string', description: 'Unique per source' },
    'ce-source': { type: 'string', description: 'The publishing plugin, or the declared source for events from outside' },
    'ce-type': { type: 'string', description: '<domain>.<entity>.<action>' },
    'ce-time': { type: 'string', format: 'date-time' },
    'ce-dataschema': { type: 'string', description: 'urn:polis:schema:<type>:<version>' },
    'ce-subject': { type: 'string' },
    'ce-traceparent': { type: 'string', description: 'W3C trace context' },
    'ce-correlationid': { type: 'string', description: 'Shared by every event of one causal chain' },
    'ce-causationid': { type: 'string', description: 'The id of the event whose handler published this one' },
    'ce-priority': { type: 'string', enum: ['emergency', 'routine'] },
  },
};

/**
 * The AsyncAPI 3.0 document of a city: a channel per event type (and per query and its reply),
 * `send` and `receive` operations per plugin and per external source, CloudEvents attributes as
 * a message trait, every data schema a component (its `$defs` with it, `$ref`s rewritten), and
 * the FIWARE Smart Data Models a schema embeds cited as external docs.
 */
export function asyncApiDocument(city: CityDescription): JsonObject {
  const components = new SchemaComponents();
  const messages: Record<string, JsonObject> = {};
  const channels: Record<string, JsonObject> = {};
  const operations: Record<string, JsonObject> = {};
  const messageOf = new Map<string, string[]>(); // channel id -> message ids

  const addMessage = (spec: MessageSpec): void => {
    const channelId = sanitize(spec.type);
    const messageId = sanitize(`${spec.type}.v${spec.version}`);
    if (messages[messageId]) return;
    const references = smartDataModelReferences(spec.schema);
    messages[messageId] = {
      name: spec.type,
      title: `${spec.type} v${spec.version}`,
      ...(spec.description ? { summary: spec.description } : {}),
      contentType: 'application/json',
      payload: { $ref: components.add(messageId, spec.schema) },
      correlationId: { location: '$message.header#/ce-correlationid' },
      traits: [{ $ref: '#/components/messageTraits/cloudEvent' }],
      ...(references.length > 0
        ? {
            externalDocs: {
              description: `FIWARE Smart Data Model: ${references.map((r) => `${r.title.replace(/^[\s-]+/, '')} ${r.schemaVersion}`).join(', ')}`,
              url: references.find((r) => r.url !== undefined)?.url ?? 'https://smart-data-models.github.io/',
            },
            tags: [{ name: 'fiware' }],
          }
        : {}),
    };
    channels[channelId] ??= {
      address: spec.type,
      title: spec.type,
      ...(spec.description ? { description: spec.description } : {}),
      messages: {},
    };
    (channels[channelId]!.messages as JsonObject)[messageId] = { $ref: `#/components/messages/${messageId}` };
    messageOf.set(channelId, [...(messageOf.get(channelId) ?? []), messageId]);
  };

  const events = new Map<string, EventDefinition>();
  const queries = new Map<string, QueryDefinition>();
  for (const plugin of city.plugins) {
    for (const event of [...(plugin.publishes ?? []), ...(plugin.consumes ?? []).filter((c): c is EventDefinition => typeof c !== 'string')]) {
      events.set(`${event.type}@${event.version}`, event);
    }
    for (const query of [...(plugin.requests ?? []), ...(plugin.answers ?? [])]) queries.set(`${query.type}@${query.version}`, query);
  }
  for (const event of events.values()) addMessage({ type: event.type, version: event.version, schema: event.schema, description: event.description });
  for (const query of queries.values()) {
    addMessage({ type: query.type, version: query.version, schema: query.request, description: query.description });
    addMessage({ type: replyTypeOf(query.type), version: query.version, schema: query.response, description: `The answer to ${query.type}` });
  }

  const channelRefs = (channelId: string) => ({
    channel: { $ref: `#/channels/${channelId}` },
    messages: (messageOf.get(channelId) ?? []).map((id) => ({ $ref: `#/channels/${channelId}/messages/${id}` })),
  });
  const eventChannels = (pattern: string) => [...new Set([...events.values()].map((e) => e.type))].filter((type) => matchesPattern(pattern, type));
  const queryTypes = (pattern: string) => [...new Set([...queries.values()].map((q) => q.type))].filter((type) => matchesPattern(pattern, type));
  const operation = (owner: string, action: 'send' | 'receive', type: string, summary: string, reply = false): void => {
    const id = sanitize(`${owner}.${action}.${type}`);
    const channelId = sanitize(type);
    operations[id] = {
      action,
      ...channelRefs(channelId),
      summary,
      ...(reply ? { reply: channelRefs(sanitize(replyTypeOf(type))) } : {}),
    };
  };

  for (const plugin of city.plugins) {
    for (const event of plugin.publishes ?? []) operation(plugin.name, 'send', event.type, `${plugin.name} publishes ${event.type}`);
    for (const consumed of plugin.consumes ?? []) {
      const pattern = typeof consumed === 'string' ? consumed : consumed.type;
      for (const type of eventChannels(pattern)) operation(plugin.name, 'receive', type, `${plugin.name} handles ${type}${pattern === type ? '' : ` (subscribed as ${pattern})`}`);
    }
    for (const query of plugin.requests ?? []) operation(plugin.name, 'send', query.type, `${plugin.name} asks ${query.type}`, true);
    for (const query of plugin.answers ?? []) operation(plugin.name, 'receive', query.type, `${plugin.name} answers ${query.type}`, true);
  }
  for (const source of city.sources) {
    const via = source.via === 'http' ? 'POST /events' : source.via === 'ngsi-ld' ? 'POST /ngsi-ld/notify' : 'the MQTT connector';
    for (const pattern of source.publishes) for (const type of eventChannels(pattern)) operation(source.name, 'send', type, `source ${source.name} sends ${type} through ${via}`);
    for (const pattern of source.consumes ?? []) for (const type of eventChannels(pattern)) operation(source.name, 'receive', type, `source ${source.name} reads ${type} from GET /events/stream`);
    for (const pattern of source.requests ?? []) for (const type of queryTypes(pattern)) operation(source.name, 'send', type, `source ${source.name} asks ${type} through POST /queries/${type}`, true);
  }

  const servers: Record<string, JsonObject> = {};
  if (city.http !== undefined) servers.gateway = { host: city.http, protocol: 'http', description: 'The Polis gateway: POST /events (CloudEvents HTTP binding), GET /events/stream (Server-Sent Events)' };
  if (city.nats !== undefined) {
    city.nats.servers.forEach((server, i) => {
      servers[`nats${i === 0 ? '' : i + 1}`] = { host: server.replace(/^nats:\/\//, ''), protocol: 'nats', description: `NATS; an event of type T from publisher P travels on ${city.nats!.prefix}.evt.P.T (CloudEvents NATS binding), a query on ${city.nats!.prefix}.rpc.T` };
    });
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: `${city.name}`,
      version: '1.0.0',
      description: `The events and queries of the Polis city '${city.name}': ${city.plugins.length} plugin(s), ${city.sources.length} external source(s). Every message is a CloudEvent whose data the schema describes.`,
    },
    ...(Object.keys(servers).length > 0 ? { servers } : {}),
    defaultContentType: 'application/json',
    channels,
    operations,
    components: {
      schemas: components.schemas,
      messages,
      messageTraits: { cloudEvent: { headers: CLOUD_EVENT_HEADERS, description: 'CloudEvents 1.0 attributes, as ce- headers in binary mode' } },
    },
  };
}
