import mqtt from 'mqtt';
import type { IPublishPacket, MqttClient } from 'mqtt';
import { fiwareEntityValidator, isFiwareModelName } from '@polis/contracts';
import type { FiwareEntity, FiwareModelName, FiwareValidation } from '@polis/contracts';
import type { CounterMetric, MetricsService, ReadinessCheck } from '@polis/http';
import type { Kernel } from '@polis/kernel';
import { ErrorCodes, EventDeadLettered, PolisError, isPolisError } from '@polis/plugin-api';
import type { Logger } from '@polis/plugin-api';
import type { TopicMapping } from './connector-spec.js';
import { MappingError, mapFields, valueOf } from './field-mapping.js';
import { topicFilterProblem, topicMatches } from './topic-filter.js';

/** Codes of the connector's own dead letters (the kernel's codes cover invalid data). */
export const MqttErrorCodes = {
  /** The payload could not be turned into the event's data (a pointer through a scalar, a conversion). */
  MAPPING_FAILED: 'POLIS_MQTT_MAPPING_FAILED',
  /** The payload is over `maxPayloadBytes`. */
  PAYLOAD_TOO_LARGE: 'POLIS_MQTT_PAYLOAD_TOO_LARGE',
} as const;

export interface MqttConnectorOptions {
  readonly kernel: Kernel;
  readonly url: string;
  /** The `source` of the events, and the connector's name. */
  readonly source: string;
  readonly clientId?: string;
  readonly username?: string;
  readonly password?: string;
  readonly qos?: 0 | 1 | 2;
  readonly reconnectPeriodMs?: number;
  readonly maxPayloadBytes?: number;
  readonly mappings: readonly TopicMapping[];
  /** How long `start` waits for the first connection (default 10 s). */
  readonly connectTimeoutMs?: number;
  readonly metrics?: MetricsService;
  readonly logger?: Logger;
}

/** A mapping ready to run: its filter checked, its FIWARE validator made. */
interface Route {
  readonly mapping: TopicMapping;
  readonly validate: ((entity: FiwareEntity) => FiwareValidation) | undefined;
  readonly published: CounterMetric | undefined;
  readonly deadLettered: CounterMetric | undefined;
}

/** A transient bus failure is retried this often, with this first pause (doubling), before the message is a dead letter. */
const PUBLISH_ATTEMPTS = 5;
const FIRST_RETRY_MS = 100;

/**
 * Sensors into the city over MQTT: each message on a mapped topic filter becomes an event of the
 * mapped type, its data built by the field mapping (or the payload as it is, or a FIWARE entity
 * converted to key-values and validated against its Smart Data Model), published as `source`.
 * At least once: with QoS 1 and a persistent session, the broker's PUBACK is sent only once the
 * event is on the bus (nats.js JetStream: stored), so a message is not lost when Polis stops
 * between receipt and publish. A payload that does not map or validate is a dead letter
 * (`kernel.event.deadlettered`, with a code and the raw payload), never a crash.
 */
export class MqttConnector {
  private connected = false;
  private readonly routes: Route[];

  private constructor(
    private readonly client: MqttClient,
    private readonly options: MqttConnectorOptions,
    private readonly logger: Logger,
  ) {
    const messages = options.metrics?.counter({ name: 'polis_mqtt_messages_total', help: 'MQTT messages by topic filter and outcome', labelNames: ['connector', 'filter', 'outcome'] });
    this.routes = options.mappings.map((mapping) => ({
      mapping,
      validate: mapping.model === undefined ? undefined : fiwareEntityValidator(shippedModel(mapping.model)),
      published: messages?.labels({ connector: options.source, filter: mapping.topic, outcome: 'published' }),
      deadLettered: messages?.labels({ connector: options.source, filter: mapping.topic, outcome: 'deadlettered' }),
    }));
  }

  /** Connects, subscribes to every mapped filter, and resolves once the broker granted them. */
  static async start(options: MqttConnectorOptions): Promise<MqttConnector> {
    for (const mapping of options.mappings) {
      const problem = topicFilterProblem(mapping.topic);
      if (problem) throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `mqtt.mappings: ${problem}`, { details: { topic: mapping.topic } });
      if (mapping.model !== undefined) shippedModel(mapping.model);
    }
    const logger = options.logger ?? options.kernel.logger.child({ component: 'mqtt', connector: options.source });
    const client = mqtt.connect(options.url, {
      clientId: options.clientId ?? `polis-${options.source.replace(/[^A-Za-z0-9_-]/g, '_')}`,
      clean: false,
      reconnectPeriod: options.reconnectPeriodMs ?? 1000,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      resubscribe: true,
      manualConnect: true,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
    });
    const connector = new MqttConnector(client, options, logger);
    await connector.open();
    return connector;
  }

  /** For `/readyz`: connected to the broker, or reconnecting. */
  readiness(): ReadinessCheck {
    return { name: `mqtt ${this.options.source}`, check: () => ({ ready: this.connected, state: this.connected ? 'connected' : 'reconnecting' }) };
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Stops taking messages; one being published finishes first. */
  async stop(): Promise<void> {
    await this.client.endAsync();
  }

  private async open(): Promise<void> {
    const { client, options } = this;
    // Messages are taken one at a time and acknowledged when handled: mqtt.js sends PUBACK after this callback.
    client.handleMessage = (packet: IPublishPacket, done: (error?: Error) => void) => {
      this.handle(packet).then(
        () => done(),
        (error: unknown) => {
          this.logger.error(`an MQTT message on ${packet.topic} could not be handled: ${(error as Error).message}`);
          done();
        },
      );
    };
    client.on('connect', () => {
      if (!this.connected) this.logger.info(`connected to ${options.url}`);
      this.connected = true;
    });
    client.on('close', () => {
      if (this.connected) this.logger.warn(`lost the MQTT broker at ${options.url}; reconnecting`);
      this.connected = false;
    });
    client.on('error', (error) => this.logger.warn(`MQTT: ${error.message}`));
    const timeoutMs = options.connectTimeoutMs ?? 10_000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.end(true);
        reject(new PolisError(ErrorCodes.TRANSPORT_FAILED, `no MQTT broker answered at ${options.url} within ${timeoutMs} ms`, { details: { url: options.url } }));
      }, timeoutMs);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      client.connect();
    });
    const filters = [...new Set(options.mappings.map((mapping) => mapping.topic))];
    const granted = await client.subscribeAsync(Object.fromEntries(filters.map((filter) => [filter, { qos: options.qos ?? 1 }])));
    const refused = granted.filter((grant) => grant.qos === 128);
    if (refused.length > 0) {
      await client.endAsync(true);
      throw new PolisError(ErrorCodes.TRANSPORT_FAILED, `the MQTT broker refused the subscription to ${refused.map((grant) => grant.topic).join(', ')}`);
    }
  }

  private async handle(packet: IPublishPacket): Promise<void> {
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const levels = packet.topic.split('/');
    for (const route of this.routes) {
      if (!topicMatches(route.mapping.topic, packet.topic)) continue;
      try {
        await this.publish(route, packet.topic, levels, payload);
        route.published?.inc();
      } catch (error) {
        route.deadLettered?.inc();
        await this.deadLetter(route.mapping, packet, payload, error);
      }
    }
  }

  private async publish(route: Route, topic: string, levels: readonly string[], payload: Buffer): Promise<void> {
    const { mapping } = route;
    const maxBytes = this.options.maxPayloadBytes ?? 256 * 1024;
    if (payload.length > maxBytes) throw new MappingFailure(MqttErrorCodes.PAYLOAD_TOO_LARGE, `the payload is ${payload.length} bytes, over the ${maxBytes}-byte limit`);
    let document: unknown;
    try {
      document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
    } catch (cause) {
      throw new PolisError(ErrorCodes.EVENT_UNDECODABLE, `the payload on ${topic} is not UTF-8 JSON: ${(cause as Error).message}`);
    }
    let data: unknown;
    let subject: unknown;
    try {
      data = mapping.fields === undefined ? document : mapFields(mapping.fields, document, levels);
      subject = mapping.subject === undefined ? undefined : valueOf('subject', mapping.subject, document, levels);
    } catch (error) {
      if (error instanceof MappingError) throw new MappingFailure(MqttErrorCodes.MAPPING_FAILED, error.message);
      throw error;
    }
    if (route.validate !== undefined) {
      if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new PolisError(ErrorCodes.EVENT_INVALID, `a ${mapping.model} entity is a JSON object`);
      const checked = route.validate(data as FiwareEntity);
      if (!checked.ok) {
        throw new PolisError(ErrorCodes.EVENT_INVALID, `${checked.path.replace(/^\/entity/, '') || '/'}: ${checked.reason}`, { details: { problems: checked.problems } });
      }
      data = { entity: checked.values };
    }
    const version = mapping.version ?? this.options.kernel.registry.versions(mapping.type).at(-1);
    if (version === undefined) throw new PolisError(ErrorCodes.EVENT_UNKNOWN_TYPE, `unknown event type '${mapping.type}': no plugin declares it`);
    const options = { subject: typeof subject === 'string' ? subject : subject === undefined ? undefined : String(subject), priority: mapping.priority };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.kernel.bus.publish(this.options.source, mapping.type, version, data, options);
        return;
      } catch (error) {
        // The bus refusing the data is final; the bus being away (NATS reconnecting) is worth waiting for.
        const transient = isPolisError(error, ErrorCodes.TRANSPORT_FAILED) || isPolisError(error, ErrorCodes.INVALID_STATE);
        if (!transient || attempt >= PUBLISH_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, FIRST_RETRY_MS * 2 ** (attempt - 1)));
      }
    }
  }

  private async deadLetter(mapping: TopicMapping, packet: IPublishPacket, payload: Buffer, error: unknown): Promise<void> {
    const code = error instanceof MappingFailure || error instanceof PolisError ? error.code : ErrorCodes.HANDLER_FAILED;
    const reason = error instanceof Error ? error.message : String(error);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(payload.subarray(0, 64 * 1024));
    const utf8 = Buffer.from(text, 'utf8').equals(payload.subarray(0, 64 * 1024));
    const data = {
      plugin: this.options.source,
      subscription: mapping.topic,
      attempts: 1,
      reason,
      code,
      raw: {
        subject: packet.topic,
        headers: {
          'mqtt-qos': String(packet.qos),
          'mqtt-retain': String(packet.retain),
          ...(utf8 ? {} : { 'content-transfer-encoding': 'base64' }),
          ...(payload.length > 64 * 1024 ? { 'polis-truncated-from': String(payload.length) } : {}),
        },
        payload: utf8 ? text : payload.subarray(0, 64 * 1024).toString('base64'),
      },
    };
    this.logger.warn(`dead-lettered a message on ${packet.topic}: ${reason}`, { code });
    try {
      await this.options.kernel.bus.publish(this.options.source, EventDeadLettered.type, EventDeadLettered.version, data);
    } catch (failure) {
      this.logger.error(`could not publish the dead letter of a message on ${packet.topic}: ${(failure as Error).message}`);
    }
  }
}

class MappingFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function shippedModel(name: string): FiwareModelName {
  if (isFiwareModelName(name)) return name;
  throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `mqtt.mappings: '${name}' is no Smart Data Model that ships with Polis (AirQualityObserved, Alert, EVChargingStation, TrafficFlowObserved, WasteContainer)`);
}
