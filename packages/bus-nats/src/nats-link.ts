import { connect, credsAuthenticator, errors as natsErrors, nkeyAuthenticator } from '@nats-io/transport-node';
import type { NatsConnection, NodeConnectionOptions } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { Logger } from '@polis/plugin-api';
import { StreamPublisher } from './stream-publisher.js';

/** How a connection proves who it is to nats-server. */
export type NatsAuth =
  | { readonly user: string; readonly pass: string }
  | { readonly token: string }
  /** An nkey seed (`SU...`): the server knows the user by its public key. */
  | { readonly nkeySeed: string }
  /** The text of a `.creds` file (JWT plus nkey seed), for operator-mode servers. */
  | { readonly creds: string };

/** TLS to the server: files of the CA that signed its certificate, and this client's certificate and key (mutual TLS). */
export interface NatsTls {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

export interface LinkOptions {
  readonly servers: string | string[];
  readonly name: string;
  readonly auth: NatsAuth | undefined;
  readonly tls: NatsTls | undefined;
  /** Replies to this connection arrive under it; a per-plugin prefix lets the broker keep plugins' replies apart. */
  readonly inboxPrefix: string | undefined;
  /** Timeout of JetStream API calls and publish acknowledgements. */
  readonly requestTimeoutMs: number;
  /** Reconnect attempts per server before the connection gives up (-1: never). */
  readonly maxReconnectAttempts: number;
  readonly reconnectTimeWaitMs: number;
  /** Where connection changes are logged; asked each time, as the transport may be attached after connecting. */
  readonly logger: () => Logger;
  /** Counts the connection coming back (each of a transport's connections counts its own). */
  readonly onReconnect?: () => void;
}

/** One NATS connection with its JetStream client, and the manager opened on first use. */
export class NatsLink {
  readonly js: JetStreamClient;
  /** Publishes to the event streams with their acknowledgements (not `js.publish`: see StreamPublisher). */
  readonly stream: StreamPublisher;
  private manager: Promise<JetStreamManager> | undefined;

  private constructor(
    readonly nc: NatsConnection,
    private readonly options: LinkOptions,
  ) {
    this.js = jetstream(nc, { timeout: options.requestTimeoutMs });
    this.stream = new StreamPublisher(nc, options.inboxPrefix, options.requestTimeoutMs);
    void this.reportStatus();
  }

  static async open(options: LinkOptions): Promise<NatsLink> {
    const connectOptions: NodeConnectionOptions = {
      servers: options.servers,
      name: options.name,
      maxReconnectAttempts: options.maxReconnectAttempts,
      reconnectTimeWait: options.reconnectTimeWaitMs,
      // An async stack trace per request costs an Error allocation on the query hot path.
      noAsyncTraces: true,
      ...(options.inboxPrefix === undefined ? {} : { inboxPrefix: options.inboxPrefix }),
      ...authOptions(options.auth),
      ...(options.tls === undefined ? {} : { tls: { ...options.tls } }),
    };
    try {
      return new NatsLink(await connect(connectOptions), options);
    } catch (cause) {
      throw new PolisError(ErrorCodes.TRANSPORT_FAILED, `cannot connect to NATS at ${String(options.servers)} as '${options.name}': ${(cause as Error).message}`, {
        cause,
        details: { servers: options.servers, connection: options.name },
      });
    }
  }

  /** The JetStream manager; `checkAPI: false` spares a `$JS.API.INFO` round trip a least-privilege user may not be allowed. */
  jetstreamManager(): Promise<JetStreamManager> {
    this.manager ??= jetstreamManager(this.nc, { timeout: this.options.requestTimeoutMs, checkAPI: false });
    return this.manager;
  }

  /** Flushes what is pending (acknowledgements included), then closes. */
  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    try {
      await this.nc.drain();
    } catch {
      // Draining a connection that is reconnecting can fail; closing it is all that is left.
      await this.nc.close();
    }
  }

  /** Connection changes are rare and worth a log line; messages never are. */
  private async reportStatus(): Promise<void> {
    const { name } = this.options;
    for await (const status of this.nc.status()) {
      const logger = this.options.logger();
      switch (status.type) {
        case 'disconnect':
          logger.warn(`NATS connection '${name}' lost`, { server: status.server });
          break;
        case 'reconnect':
          logger.info(`NATS connection '${name}' re-established`, { server: status.server });
          this.options.onReconnect?.();
          break;
        case 'error':
          if (status.error instanceof natsErrors.PermissionViolationError) this.stream.denied(status.error);
          logger.error(`NATS connection '${name}': ${status.error.message}`, { connection: name });
          break;
        case 'slowConsumer':
          logger.warn(`NATS connection '${name}': a subscription is falling behind`, { subject: status.sub.getSubject(), pending: status.pending });
          break;
        default:
          break;
      }
    }
  }
}

function authOptions(auth: NatsAuth | undefined): Partial<NodeConnectionOptions> {
  if (auth === undefined) return {};
  if ('user' in auth) return { user: auth.user, pass: auth.pass };
  if ('token' in auth) return { token: auth.token };
  if ('nkeySeed' in auth) return { authenticator: nkeyAuthenticator(new TextEncoder().encode(auth.nkeySeed)) };
  return { authenticator: credsAuthenticator(new TextEncoder().encode(auth.creds)) };
}
