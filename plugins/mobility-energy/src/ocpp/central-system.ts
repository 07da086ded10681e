import type { AddressInfo } from 'node:net';
import type { Clock, Logger } from '@polis/plugin-api';
import { RPCServer, createRPCError } from 'ocpp-rpc';
import { inOcpp16Dialect } from './ocpp16-errors.js';
import type { Ocpp16ErrorCode } from './ocpp16-errors.js';
import type {
  BootNotificationRequest,
  IdTagInfo,
  MeterValuesRequest,
  RemoteStopTransactionResponse,
  SetChargingProfileRequest,
  SetChargingProfileResponse,
  StartTransactionRequest,
  StartTransactionResponse,
  StatusNotificationRequest,
  StopTransactionRequest,
  StopTransactionResponse,
} from './ocpp16-messages.js';

export const OCPP16 = 'ocpp1.6';

/** A request refused with an OCPP CALLERROR of this code. */
export class OcppCallError extends Error {
  override readonly name = 'OcppCallError';

  constructor(
    readonly code: Ocpp16ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A call to a charge point that could not be made or was not answered. */
export class ChargePointUnreachable extends Error {
  override readonly name = 'ChargePointUnreachable';
}

/**
 * The domain side of the central system: what to do with each request of a charge point. A
 * handler refuses a request by throwing an {@link OcppCallError}; anything else it throws is
 * answered as an InternalError and logged.
 */
export interface ChargePointDesk {
  /** Whether a charge point of this identity may connect at all (HTTP 404 otherwise). */
  knows(chargerId: string): boolean;
  /** Whether a BootNotification of this charge point was accepted (and holds across reconnects). */
  accepted(chargerId: string): boolean;
  boot(chargerId: string, request: BootNotificationRequest): Promise<'Accepted' | 'Rejected'>;
  status(chargerId: string, request: StatusNotificationRequest): Promise<void>;
  authorize(chargerId: string, idTag: string): Promise<IdTagInfo>;
  startTransaction(chargerId: string, request: StartTransactionRequest): Promise<StartTransactionResponse>;
  meterValues(chargerId: string, request: MeterValuesRequest): Promise<void>;
  stopTransaction(chargerId: string, request: StopTransactionRequest): Promise<StopTransactionResponse>;
  disconnected(chargerId: string, reason: string): void;
}

export interface CentralSystemOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** The endpoint path charge points connect under: `ws://host:port<path>/<chargerId>`. */
  readonly path: string;
  readonly heartbeatIntervalS: number;
  /** How long a call to a charge point may wait for its answer, real milliseconds. */
  readonly callTimeoutMs: number;
  /** Malformed messages in a row before the connection is closed (1002, protocol error). */
  readonly maxBadMessages: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The subset of ocpp-rpc's client the central system uses (its own typings leave most of it `any`). */
interface Connection {
  readonly identity: string;
  handle(method: string, handler: (call: { params: unknown }) => Promise<unknown>): void;
  call(method: string, params: unknown, options?: { callTimeoutMs?: number }): Promise<unknown>;
  close(options?: { code?: number; reason?: string; force?: boolean }): Promise<unknown>;
  sendRaw(message: string): void;
  on(event: string, listener: (event: never) => void): void;
}

/**
 * OCPP 1.6 messages a charge point may send that this central system does not take: answered
 * NotSupported ("recognized but not supported"). Anything else unknown is NotImplemented.
 */
const RECOGNIZED_ONLY = [
  'CancelReservation',
  'ChangeAvailability',
  'ChangeConfiguration',
  'ClearCache',
  'ClearChargingProfile',
  'GetCompositeSchedule',
  'GetConfiguration',
  'GetDiagnostics',
  'GetLocalListVersion',
  'RemoteStartTransaction',
  'RemoteStopTransaction',
  'ReserveNow',
  'Reset',
  'SendLocalList',
  'SetChargingProfile',
  'TriggerMessage',
  'UnlockConnector',
  'UpdateFirmware',
];

/**
 * An OCPP 1.6-J central system: a WebSocket endpoint (ocpp-rpc) that charge points connect to.
 * It admits only known charge points speaking `ocpp1.6`, validates every message against the
 * official OCPP 1.6 JSON schemas (ocpp-rpc's strict mode, both ways), hands requests to the
 * {@link ChargePointDesk}, and answers in OCPP-J 1.6's own error codes: malformed frames,
 * unknown actions, invalid payloads and requests out of order each get a CALLERROR, never a
 * crash. The plugin that owns it starts it in `onStart` and closes it in `onStop`.
 */
export class CentralSystem {
  private readonly server: RPCServer;
  private readonly connections = new Map<string, Connection>();
  /** Set while closing: the connections we close are not charge points going away. */
  private closing = false;

  constructor(
    private readonly options: CentralSystemOptions,
    private readonly desk: ChargePointDesk,
  ) {
    this.server = new RPCServer({
      protocols: [OCPP16],
      strictMode: true,
      callTimeoutMs: options.callTimeoutMs,
      maxBadMessages: options.maxBadMessages,
    });
    this.server.auth((accept, reject, handshake) => {
      // OCPP-J 1.6 section 3.1.1: an unknown identity in the URL path gets HTTP 404.
      if (handshake.endpoint !== options.path || !desk.knows(handshake.identity)) return reject(404, 'unknown charge point');
      if (!handshake.protocols.has(OCPP16)) return reject(400, `this central system speaks ${OCPP16} only`);
      accept({}, OCPP16);
    });
    this.server.on('client', (client: Connection) => this.attach(client));
    this.server.on('error', (error: unknown) => options.logger.error(`OCPP server error: ${String(error)}`));
  }

  /** Starts listening; resolves with the endpoint charge points connect to. */
  async start(): Promise<{ url: string; port: number }> {
    const http = await this.server.listen(this.options.port, this.options.host);
    const { port } = http.address() as AddressInfo;
    return { url: `ws://${this.options.host}:${port}${this.options.path}`, port };
  }

  /** Closes every connection and the listener. */
  async stop(): Promise<void> {
    this.closing = true;
    await this.server.close({ code: 1001, reason: 'central system stopping', awaitPending: false, force: false });
    this.connections.clear();
  }

  isConnected(chargerId: string): boolean {
    return this.connections.has(chargerId);
  }

  /** Sends a SetChargingProfile.req; resolves with the charge point's status. */
  async setChargingProfile(chargerId: string, request: SetChargingProfileRequest): Promise<SetChargingProfileResponse['status']> {
    return ((await this.call(chargerId, 'SetChargingProfile', request)) as SetChargingProfileResponse).status;
  }

  /** Sends a RemoteStopTransaction.req; resolves with the charge point's status. */
  async remoteStopTransaction(chargerId: string, transactionId: number): Promise<RemoteStopTransactionResponse['status']> {
    return ((await this.call(chargerId, 'RemoteStopTransaction', { transactionId })) as RemoteStopTransactionResponse).status;
  }

  private async call(chargerId: string, action: string, request: unknown): Promise<unknown> {
    const connection = this.connections.get(chargerId);
    if (connection === undefined) throw new ChargePointUnreachable(`charge point ${chargerId} is not connected`);
    try {
      return await connection.call(action, request, { callTimeoutMs: this.options.callTimeoutMs });
    } catch (error) {
      throw new ChargePointUnreachable(`${action} to ${chargerId} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  private attach(client: Connection): void {
    const chargerId = client.identity;
    const { logger } = this.options;
    // Every frame out passes through the 1.6 dialect: ocpp-rpc writes some 2.x error codes.
    const send = client.sendRaw.bind(client);
    client.sendRaw = (message: string) => send(typeof message === 'string' ? inOcpp16Dialect(message) : message);
    const previous = this.connections.get(chargerId);
    this.connections.set(chargerId, client);
    if (previous !== undefined) void previous.close({ code: 1000, reason: 'replaced by a new connection' });

    client.on('close', ({ code, reason }: { code: number; reason: string }) => {
      if (this.connections.get(chargerId) !== client) return; // replaced: the new connection carries on
      this.connections.delete(chargerId);
      if (!this.closing) this.desk.disconnected(chargerId, reason || `closed (${code})`);
    });
    client.on('badMessage', ({ error }: { error: Error }) => logger.warn(`OCPP: malformed message from ${chargerId}: ${error.message}`, { chargerId }));
    client.on('strictValidationFailure', ({ method, error, outbound }: { method: string; error: Error; outbound: boolean }) =>
      (outbound ? logger.error : logger.warn)(`OCPP: ${method} ${outbound ? 'to' : 'from'} ${chargerId} breaks the OCPP 1.6 schema: ${error.message}`, { chargerId }),
    );

    const desk = this.desk;
    const handle = <Request>(action: string, handler: (request: Request) => Promise<unknown>, needsBoot = true) =>
      client.handle(action, async ({ params }) => {
        // OCPP 1.6 section 4.2: until its BootNotification is accepted a charge point sends nothing else.
        if (needsBoot && !desk.accepted(chargerId)) throw createRPCError('SecurityError', `${action} before an accepted BootNotification`);
        try {
          return await handler(params as Request);
        } catch (error) {
          if (error instanceof OcppCallError) throw createRPCError(error.code, error.message);
          logger.error(`OCPP: ${action} from ${chargerId} failed: ${(error as Error).stack ?? String(error)}`, { chargerId });
          throw createRPCError('InternalError', 'the central system could not process the request');
        }
      });

    handle<BootNotificationRequest>(
      'BootNotification',
      async (request) => ({ status: await desk.boot(chargerId, request), currentTime: this.now(), interval: this.options.heartbeatIntervalS }),
      false,
    );
    handle('Heartbeat', async () => ({ currentTime: this.now() }));
    handle<StatusNotificationRequest>('StatusNotification', async (request) => {
      await desk.status(chargerId, request);
      return {};
    });
    handle<{ idTag: string }>('Authorize', async (request) => ({ idTagInfo: await desk.authorize(chargerId, request.idTag) }));
    handle<StartTransactionRequest>('StartTransaction', (request) => desk.startTransaction(chargerId, request));
    handle<MeterValuesRequest>('MeterValues', async (request) => {
      await desk.meterValues(chargerId, request);
      return {};
    });
    handle<StopTransactionRequest>('StopTransaction', (request) => desk.stopTransaction(chargerId, request));
    // Reports a charge point may send and we have nothing to do with: acknowledged, as 1.6 asks.
    handle('DiagnosticsStatusNotification', async () => ({}));
    handle('FirmwareStatusNotification', async () => ({}));
    handle('DataTransfer', async () => ({ status: 'UnknownVendorId' }));
    for (const action of RECOGNIZED_ONLY) {
      handle(action, async () => {
        throw new OcppCallError('NotSupported', `${action} is sent by a central system, not to one`);
      });
    }
  }

  private now(): string {
    return new Date(this.options.clock.now()).toISOString();
  }
}
