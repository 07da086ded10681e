// A simulated OCPP 1.6-J charge point for tests: ocpp-rpc's own client, in strict mode, so
// everything the central system sends it is checked against the official OCPP 1.6 schemas too.
import { RPCClient } from 'ocpp-rpc';
import type { MeterValue, SetChargingProfileRequest, StopReason } from './ocpp16-messages.js';

/** A call the central system made to the charge point. */
export interface ReceivedCall {
  readonly action: string;
  readonly params: Record<string, unknown>;
  /** performance.now() when it arrived, and when the charge point answered. */
  readonly receivedAt: number;
  answeredAt: number | undefined;
}

export interface TestChargePointOptions {
  /** How it answers SetChargingProfile (default Accepted). */
  profileStatus?: (request: SetChargingProfileRequest) => 'Accepted' | 'Rejected' | 'NotSupported';
  /** Milliseconds it takes to answer SetChargingProfile (default 0). */
  profileDelayMs?: number;
  /** OCPP subprotocols it offers (default ocpp1.6). */
  protocols?: string[];
}

interface Client {
  connect(): Promise<unknown>;
  call(method: string, params?: unknown): Promise<unknown>;
  close(options?: { code?: number; reason?: string; force?: boolean }): Promise<unknown>;
  sendRaw(message: string): void;
  handle(method: string, handler: (call: { params: Record<string, unknown> }) => Promise<unknown>): void;
  on(event: string, listener: (event: never) => void): void;
}

export class TestChargePoint {
  readonly calls: ReceivedCall[] = [];
  /** Raw frames received, in order (to see CALLERRORs to malformed frames). */
  readonly frames: unknown[][] = [];
  /** Messages of the central system that broke the OCPP 1.6 schemas: should stay empty. */
  readonly schemaViolations: string[] = [];
  private readonly client: Client;

  private constructor(
    readonly id: string,
    url: string,
    private readonly options: TestChargePointOptions,
  ) {
    this.client = new RPCClient({
      endpoint: url,
      identity: id,
      protocols: options.protocols ?? ['ocpp1.6'],
      strictMode: true,
      reconnect: false,
      callTimeoutMs: 5000,
    } as never) as unknown as Client;
    this.client.on('message', ({ message, outbound }: { message: string; outbound: boolean }) => {
      if (outbound) return;
      try {
        this.frames.push(JSON.parse(String(message)) as unknown[]);
      } catch {
        this.frames.push([String(message)]);
      }
    });
    this.client.on('strictValidationFailure', ({ method, error, outbound }: { method: string; error: Error; outbound: boolean }) => {
      if (!outbound) this.schemaViolations.push(`${method}: ${error.message}`);
    });
    const record = (action: string, params: Record<string, unknown>) => {
      const call: ReceivedCall = { action, params, receivedAt: performance.now(), answeredAt: undefined };
      this.calls.push(call);
      return call;
    };
    this.client.handle('SetChargingProfile', async ({ params }) => {
      const call = record('SetChargingProfile', params);
      if (this.options.profileDelayMs) await new Promise((resolve) => setTimeout(resolve, this.options.profileDelayMs));
      const status = this.options.profileStatus?.(params as unknown as SetChargingProfileRequest) ?? 'Accepted';
      call.answeredAt = performance.now();
      return { status };
    });
    this.client.handle('RemoteStopTransaction', async ({ params }) => {
      record('RemoteStopTransaction', params).answeredAt = performance.now();
      return { status: 'Accepted' };
    });
  }

  /** Connects to the central system's URL as charge point `id`. */
  static async connect(url: string, id: string, options: TestChargePointOptions = {}): Promise<TestChargePoint> {
    const chargePoint = new TestChargePoint(id, url, options);
    await chargePoint.client.connect();
    return chargePoint;
  }

  /** Changes how it answers SetChargingProfile from now on. */
  answerProfiles(options: Pick<TestChargePointOptions, 'profileStatus' | 'profileDelayMs'>): void {
    Object.assign(this.options, options);
  }

  call<T = Record<string, unknown>>(action: string, params: unknown): Promise<T> {
    return this.client.call(action, params) as Promise<T>;
  }

  boot(): Promise<{ status: string; currentTime: string; interval: number }> {
    return this.call('BootNotification', { chargePointVendor: 'Polis test', chargePointModel: 'TCP-22', chargePointSerialNumber: `SN-${this.id}` });
  }

  async startTransaction(connectorId: number, idTag: string, meterStart = 0, timestamp = new Date().toISOString()): Promise<{ transactionId: number; idTagInfo: { status: string } }> {
    return this.call('StartTransaction', { connectorId, idTag, meterStart, timestamp });
  }

  meterValues(connectorId: number, transactionId: number, meterValue: MeterValue[]): Promise<Record<string, unknown>> {
    return this.call('MeterValues', { connectorId, transactionId, meterValue });
  }

  stopTransaction(transactionId: number, meterStop: number, reason: StopReason = 'EVDisconnected', timestamp = new Date().toISOString()): Promise<Record<string, unknown>> {
    return this.call('StopTransaction', { transactionId, meterStop, timestamp, reason });
  }

  /** The TxProfile limits it received for a transaction, in order. */
  txLimits(transactionId: number): number[] {
    return this.profiles()
      .filter((profile) => profile.csChargingProfiles.chargingProfilePurpose === 'TxProfile' && profile.csChargingProfiles.transactionId === transactionId)
      .map((profile) => profile.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]!.limit);
  }

  profiles(): SetChargingProfileRequest[] {
    return this.calls.filter((call) => call.action === 'SetChargingProfile').map((call) => call.params as unknown as SetChargingProfileRequest);
  }

  sendRaw(frame: string): void {
    this.client.sendRaw(frame);
  }

  close(): Promise<unknown> {
    return this.client.close({ code: 1000, reason: 'test over' });
  }
}
