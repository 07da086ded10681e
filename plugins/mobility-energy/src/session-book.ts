import type { energy } from '@polis/contracts';
import type { StopReason } from './ocpp/ocpp16-messages.js';

/** A charging session: an OCPP transaction on a connector, and what the allocator knows of it. */
export interface Session {
  readonly id: string;
  readonly chargerId: string;
  readonly connectorId: number;
  readonly transactionId: number;
  readonly hubId: string;
  readonly feederId: string;
  readonly idTag: string;
  readonly vehicleId: string | undefined;
  /** The class it charges in: its vehicle's, or emergency when lifted. */
  readonly class: energy.PriorityClass;
  readonly authorized: boolean;
  readonly startedAtMs: number;
  /** The charge point's timestamp and meter at the start, to recognise a repeated StartTransaction. */
  readonly startTimestamp: string;
  readonly meterStartWh: number;
  registerWh: number;
  powerKw: number | undefined;
  socPct: number | undefined;
  /**
   * The most the charger may draw for it now: the last limit it accepted, or, until it accepts
   * one, the worst case (the charger's default for new transactions, or its maximum).
   */
  inForceKw: number;
  /** Whether `inForceKw` is a limit the charger accepted, not just the worst case assumed. */
  limitConfirmed: boolean;
}

/** A stopped session, kept a while so a repeated StopTransaction gets the same answer. */
export interface StoppedSession {
  readonly session: Session;
  readonly meterStopWh: number;
  readonly reason: StopReason;
}

/** What survives a restart of the plugin: enough to recognise the transactions still open. */
export type SessionRecord = Omit<Session, 'inForceKw' | 'limitConfirmed' | 'powerKw'>;

const STOPPED_KEPT = 1000;

/** Open sessions by transaction and connector, and the transaction ids handed out. */
export class SessionBook {
  private readonly open = new Map<number, Session>();
  private readonly byConnector = new Map<string, Session>();
  private readonly byId = new Map<string, Session>();
  private readonly byIdTag = new Map<string, Session>();
  private readonly byVehicle = new Map<string, Session>();
  private readonly stopped = new Map<number, StoppedSession>();
  private lastTransactionId = 0;

  /** The next OCPP transactionId: positive, never repeated (the counter is persisted). */
  nextTransactionId(): number {
    return ++this.lastTransactionId;
  }

  /** Restores the counter and open sessions after a restart. */
  restore(lastTransactionId: number, records: readonly SessionRecord[], worstCaseKw: (record: SessionRecord) => number): void {
    this.lastTransactionId = Math.max(this.lastTransactionId, lastTransactionId);
    for (const record of records) this.add({ ...record, powerKw: undefined, inForceKw: worstCaseKw(record), limitConfirmed: false });
  }

  add(session: Session): void {
    this.open.set(session.transactionId, session);
    this.byConnector.set(connectorKey(session.chargerId, session.connectorId), session);
    this.byId.set(session.id, session);
    this.byIdTag.set(session.idTag, session);
    if (session.vehicleId !== undefined) this.byVehicle.set(session.vehicleId, session);
    this.lastTransactionId = Math.max(this.lastTransactionId, session.transactionId);
  }

  get(transactionId: number): Session | undefined {
    return this.open.get(transactionId);
  }

  onConnector(chargerId: string, connectorId: number): Session | undefined {
    return this.byConnector.get(connectorKey(chargerId, connectorId));
  }

  /** The open session of a vehicle, if it is charging somewhere. */
  ofVehicle(vehicleId: string): Session | undefined {
    return this.byVehicle.get(vehicleId);
  }

  ofIdTag(idTag: string): Session | undefined {
    return this.byIdTag.get(idTag);
  }

  bySessionId(sessionId: string): Session | undefined {
    return this.byId.get(sessionId);
  }

  active(): IterableIterator<Session> {
    return this.open.values();
  }

  get size(): number {
    return this.open.size;
  }

  close(session: Session, meterStopWh: number, reason: StopReason): void {
    this.open.delete(session.transactionId);
    this.byConnector.delete(connectorKey(session.chargerId, session.connectorId));
    this.byId.delete(session.id);
    if (this.byIdTag.get(session.idTag) === session) this.byIdTag.delete(session.idTag);
    if (session.vehicleId !== undefined && this.byVehicle.get(session.vehicleId) === session) this.byVehicle.delete(session.vehicleId);
    this.stopped.set(session.transactionId, { session, meterStopWh, reason });
    if (this.stopped.size > STOPPED_KEPT) this.stopped.delete(this.stopped.keys().next().value!);
  }

  stoppedSession(transactionId: number): StoppedSession | undefined {
    return this.stopped.get(transactionId);
  }
}

/** A session record as stored: everything but what is re-learned after a restart. */
export function recordOf(session: Session): SessionRecord {
  const { inForceKw: _inForce, limitConfirmed: _confirmed, powerKw: _power, ...record } = session;
  return record;
}

function connectorKey(chargerId: string, connectorId: number): string {
  return `${chargerId}#${connectorId}`;
}
