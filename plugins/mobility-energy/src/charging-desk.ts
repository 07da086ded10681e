import { energy } from '@polis/contracts';
import type { Clock, StateStore } from '@polis/plugin-api';
import type { ChargingNetwork } from './charging-network.js';
import type { Fleet, Lift } from './fleet.js';
import type { ChargePointDesk } from './ocpp/central-system.js';
import { OcppCallError } from './ocpp/central-system.js';
import { readMeterValues } from './ocpp/meter-values.js';
import type {
  AuthorizationStatus,
  BootNotificationRequest,
  IdTagInfo,
  MeterValuesRequest,
  StartTransactionRequest,
  StartTransactionResponse,
  StatusNotificationRequest,
  StopTransactionRequest,
  StopTransactionResponse,
} from './ocpp/ocpp16-messages.js';
import type { Publish } from './publisher.js';
import { recordOf } from './session-book.js';
import type { Session, SessionBook, SessionRecord } from './session-book.js';

/** What the central system knows of a charge point beyond its configuration. */
export interface ChargerState {
  accepted: boolean;
  /** It accepted the TxDefaultProfile: a new transaction waits at that limit for its own. */
  defaultLimitKw: number | undefined;
}

export interface ChargingDeskOptions {
  readonly network: ChargingNetwork;
  readonly fleet: Fleet;
  readonly sessions: SessionBook;
  readonly publish: Publish;
  readonly state: StateStore;
  readonly clock: Clock;
  readonly acceptUnknownIdTags: boolean;
  /** Where a failure outside a request goes (logged, unless the plugin is stopping). */
  readonly failed: (what: string, error: unknown) => void;
  /** A charge point was accepted and has its reply: time to give it its default profile. */
  readonly onAccepted: (chargerId: string) => void;
}

const KEY_LAST_TRANSACTION = 'transactions/last';
const sessionKey = (transactionId: number) => `sessions/${transactionId}`;
const acceptedKey = (chargerId: string) => `accepted/${chargerId}`;

/**
 * What the central system does with each charge point's requests: admits charge points, tells
 * whose idTag may charge (and in which class), opens, meters and closes sessions, and refuses
 * what arrives out of order with the OCPP error that says why: a transaction it does not know, a
 * connector already charging or that does not exist, a meter reading that is not a number.
 * Sessions and the transaction counter are kept in the plugin's state, so a restarted plugin
 * still knows the transactions its charge points have open.
 */
export class ChargingDesk implements ChargePointDesk {
  readonly chargers = new Map<string, ChargerState>();

  constructor(private readonly options: ChargingDeskOptions) {
    for (const id of options.network.chargers.keys()) this.chargers.set(id, { accepted: false, defaultLimitKw: undefined });
  }

  /** Reloads what a previous run of the plugin left: accepted charge points, open sessions, the counter. */
  async restore(): Promise<void> {
    const { state, sessions, network } = this.options;
    for (const key of await state.keys('accepted/')) {
      const charger = this.chargers.get(key.slice('accepted/'.length));
      if (charger) charger.accepted = true;
    }
    const records: SessionRecord[] = [];
    for (const key of await state.keys('sessions/')) {
      const record = await state.get<SessionRecord>(key);
      if (record !== undefined && network.chargers.has(record.chargerId)) records.push(record);
    }
    // Until its charger accepts a new limit, a restored session may draw the charger's maximum.
    sessions.restore((await state.get<number>(KEY_LAST_TRANSACTION)) ?? 0, records, (record) => network.chargers.get(record.chargerId)!.maxKw);
  }

  knows(chargerId: string): boolean {
    return this.chargers.has(chargerId);
  }

  accepted(chargerId: string): boolean {
    return this.chargers.get(chargerId)?.accepted === true;
  }

  async boot(chargerId: string, request: BootNotificationRequest): Promise<'Accepted' | 'Rejected'> {
    const { network, state, publish } = this.options;
    const charger = network.chargers.get(chargerId)!;
    const chargerState = this.chargers.get(chargerId)!;
    if (!chargerState.accepted) await state.set(acceptedKey(chargerId), true);
    chargerState.accepted = true;
    // A reboot forgets profiles: the default must be set again before any new transaction.
    chargerState.defaultLimitKw = undefined;
    await publish(
      energy.ChargerConnected,
      {
        chargerId,
        hubId: charger.hubId,
        feederId: charger.feederId,
        vendor: request.chargePointVendor,
        model: request.chargePointModel,
        serialNumber: request.chargePointSerialNumber ?? request.chargeBoxSerialNumber,
        firmwareVersion: request.firmwareVersion,
        connectors: charger.connectors,
        at: this.now(),
      },
      { subject: chargerId },
    );
    setImmediate(() => this.options.onAccepted(chargerId)); // after the reply has gone out
    return 'Accepted';
  }

  async status(chargerId: string, request: StatusNotificationRequest): Promise<void> {
    this.connector(chargerId, request.connectorId, true);
    await this.options.publish(
      energy.ConnectorStatusChanged,
      { chargerId, connectorId: request.connectorId, status: request.status, errorCode: request.errorCode, info: request.info, at: request.timestamp ?? this.now() },
      { subject: chargerId },
    );
  }

  async authorize(_chargerId: string, idTag: string): Promise<IdTagInfo> {
    return { status: this.authorization(idTag, undefined) };
  }

  async startTransaction(chargerId: string, request: StartTransactionRequest): Promise<StartTransactionResponse> {
    const { network, fleet, sessions, state, publish } = this.options;
    this.connector(chargerId, request.connectorId, false);
    const charger = network.chargers.get(chargerId)!;
    const busy = sessions.onConnector(chargerId, request.connectorId);
    if (busy !== undefined) {
      // The same StartTransaction again (its answer was lost): the same transaction.
      if (busy.startTimestamp === request.timestamp && busy.meterStartWh === request.meterStart && busy.idTag === request.idTag) {
        return { transactionId: busy.transactionId, idTagInfo: { status: busy.authorized ? 'Accepted' : 'Invalid' } };
      }
      throw new OcppCallError('PropertyConstraintViolation', `connector ${request.connectorId} already has transaction ${busy.transactionId} in progress; stop it first`);
    }
    const startedAtMs = Date.parse(request.timestamp);
    const vehicle = fleet.ofIdTag(request.idTag);
    const status = this.authorization(request.idTag, vehicle?.id);
    const lift = status === 'Accepted' ? fleet.liftOf(vehicle?.id) : undefined;
    const baseClass: energy.PriorityClass = vehicle?.class ?? 'private';
    const transactionId = sessions.nextTransactionId();
    const chargerState = this.chargers.get(chargerId)!;
    const session: Session = {
      id: `${chargerId}-tx${transactionId}`,
      chargerId,
      connectorId: request.connectorId,
      transactionId,
      hubId: charger.hubId,
      feederId: charger.feederId,
      idTag: request.idTag,
      vehicleId: vehicle?.id,
      class: lift ? 'emergency' : baseClass,
      authorized: status === 'Accepted',
      startedAtMs,
      startTimestamp: request.timestamp,
      meterStartWh: request.meterStart,
      registerWh: request.meterStart,
      powerKw: undefined,
      socPct: undefined,
      // Until its own limit is accepted it may draw what the charger's default allows, or all it can.
      inForceKw: chargerState.defaultLimitKw ?? charger.maxKw,
      limitConfirmed: false,
    };
    // It has arrived: it is no longer on its way to a hub (and not to be warned about one).
    if (vehicle !== undefined) vehicle.headingToHubId = undefined;
    // Kept before it is announced: a retried StartTransaction must find it, whatever happens next.
    await state.set(KEY_LAST_TRANSACTION, transactionId);
    await state.set(sessionKey(transactionId), recordOf(session));
    sessions.add(session);
    await publish(
      energy.SessionStarted,
      {
        sessionId: session.id,
        chargerId,
        connectorId: session.connectorId,
        transactionId,
        hubId: session.hubId,
        feederId: session.feederId,
        idTag: session.idTag,
        vehicleId: session.vehicleId,
        class: session.class,
        authorized: session.authorized,
        meterStartWh: session.meterStartWh,
        startedAt: new Date(startedAtMs).toISOString(),
      },
      { subject: session.id },
    );
    if (lift) await this.announceLift(session, baseClass, lift);
    return { transactionId, idTagInfo: { status } };
  }

  async meterValues(chargerId: string, request: MeterValuesRequest): Promise<void> {
    this.connector(chargerId, request.connectorId, true);
    if (request.transactionId === undefined) return; // the connector's own meter: nothing to allocate
    const session = this.openSession(chargerId, request.transactionId, 'MeterValues');
    if (session.connectorId !== request.connectorId) {
      throw new OcppCallError('PropertyConstraintViolation', `transaction ${request.transactionId} is on connector ${session.connectorId}, not ${request.connectorId}`);
    }
    const outcome = readMeterValues(request.meterValue);
    if (!outcome.ok) throw new OcppCallError('PropertyConstraintViolation', `${outcome.path}: ${outcome.reason}`);
    if (outcome.reading === undefined) return;
    const { reading } = outcome;
    if (reading.registerWh !== undefined) session.registerWh = reading.registerWh;
    if (reading.powerKw !== undefined) session.powerKw = reading.powerKw;
    if (reading.socPct !== undefined) {
      session.socPct = reading.socPct;
      const vehicle = session.vehicleId === undefined ? undefined : this.options.fleet.get(session.vehicleId);
      if (vehicle) vehicle.socPct = reading.socPct;
    }
    await this.options.publish(
      energy.SessionMetered,
      { sessionId: session.id, at: new Date(reading.atMs).toISOString(), energyWh: Math.max(0, session.registerWh - session.meterStartWh), powerKw: session.powerKw, socPct: session.socPct },
      { subject: session.id },
    );
  }

  async stopTransaction(chargerId: string, request: StopTransactionRequest): Promise<StopTransactionResponse> {
    const { sessions, state, fleet, publish } = this.options;
    const stopped = sessions.stoppedSession(request.transactionId);
    if (stopped !== undefined && stopped.session.chargerId === chargerId && stopped.meterStopWh === request.meterStop) {
      return { idTagInfo: { status: 'Accepted' } }; // the same StopTransaction again: its answer was lost
    }
    const session = this.openSession(chargerId, request.transactionId, 'StopTransaction');
    if (request.meterStop < session.meterStartWh) {
      throw new OcppCallError('PropertyConstraintViolation', `meterStop ${request.meterStop} Wh is below the transaction's meterStart ${session.meterStartWh} Wh`);
    }
    if (request.transactionData !== undefined) {
      const outcome = readMeterValues(request.transactionData, '/transactionData');
      if (!outcome.ok) throw new OcppCallError('PropertyConstraintViolation', `${outcome.path}: ${outcome.reason}`);
    }
    const reason = request.reason ?? 'Local';
    await state.delete(sessionKey(session.transactionId));
    sessions.close(session, request.meterStop, reason);
    if (session.vehicleId !== undefined && session.class === 'emergency' && fleet.liftOf(session.vehicleId)) fleet.endLift(session.vehicleId);
    await publish(
      energy.SessionStopped,
      { sessionId: session.id, chargerId, vehicleId: session.vehicleId, energyWh: request.meterStop - session.meterStartWh, reason, stoppedAt: new Date(Date.parse(request.timestamp)).toISOString() },
      { subject: session.id },
    );
    return request.idTag === undefined ? {} : { idTagInfo: { status: 'Accepted' } };
  }

  disconnected(chargerId: string, reason: string): void {
    const open = [...this.options.sessions.active()].filter((session) => session.chargerId === chargerId).map((session) => session.id);
    this.options
      .publish(energy.ChargerDisconnected, { chargerId, at: this.now(), reason, openSessions: open }, { subject: chargerId })
      .catch((error: unknown) => this.options.failed(`could not announce that ${chargerId} disconnected`, error));
  }

  /** An ambulance's session starts after a dispatch: announced under the dispatch's correlation id. */
  private async announceLift(session: Session, previousClass: energy.PriorityClass, lift: Lift): Promise<void> {
    await this.options.publish(
      energy.SessionPrioritized,
      { sessionId: session.id, vehicleId: lift.vehicleId, class: 'emergency', previousClass, reason: lift.reason },
      { subject: session.id, causedBy: lift.cause },
    );
  }

  private authorization(idTag: string, vehicleId: string | undefined): AuthorizationStatus {
    const { fleet, sessions, acceptUnknownIdTags } = this.options;
    const vehicle = vehicleId === undefined ? fleet.ofIdTag(idTag) : fleet.get(vehicleId);
    if (vehicle === undefined && !acceptUnknownIdTags) return 'Invalid';
    // A vehicle charges at one connector at a time, and a card opens one transaction at a time.
    if (sessions.ofIdTag(idTag) !== undefined || (vehicle !== undefined && sessions.ofVehicle(vehicle.id) !== undefined)) return 'ConcurrentTx';
    return 'Accepted';
  }

  /** Checks a connector id against the charger: 1..connectors, or 0 (the whole charger) where allowed. */
  private connector(chargerId: string, connectorId: number, wholeChargerAllowed: boolean): void {
    const charger = this.options.network.chargers.get(chargerId)!;
    if (connectorId > charger.connectors || connectorId < (wholeChargerAllowed ? 0 : 1)) {
      throw new OcppCallError('PropertyConstraintViolation', `connectorId ${connectorId} does not exist: ${chargerId} has connectors 1..${charger.connectors}`);
    }
  }

  private openSession(chargerId: string, transactionId: number, action: string): Session {
    const session = this.options.sessions.get(transactionId);
    if (session === undefined || session.chargerId !== chargerId) {
      throw new OcppCallError('PropertyConstraintViolation', `${action} for transaction ${transactionId}, which is not open on ${chargerId}`);
    }
    return session;
  }

  private now(): string {
    return new Date(this.options.clock.now()).toISOString();
  }
}
