import { energy } from '@polis/contracts';
import { describe, expect, it } from 'vitest';
import { energyKits, gridConfig, waitUntil } from '../test-fixtures.js';
import type { EnergyKit } from '../test-fixtures.js';
import { TestChargePoint } from './test-charge-point.js';

// Real OCPP 1.6-J over WebSockets on loopback: the plugin's central system, and charge points
// simulated with ocpp-rpc's client in strict mode.
const start = energyKits();

const at = (kit: EnergyKit) => new Date(kit.kit.clock.now()).toISOString();
/** The last CALLERROR answering message `id`, as [code, description]. */
const callError = (cp: TestChargePoint, id: string) => {
  const frame = [...cp.frames].reverse().find((f) => f[0] === 4 && f[1] === id);
  return frame === undefined ? undefined : [frame[2], frame[3]];
};

describe('the OCPP 1.6-J central system', () => {
  it('accepts a known charge point at boot, answers on the kernel clock, and holds new transactions at 0 A by default', async () => {
    const kit = await start();
    const cp = await TestChargePoint.connect(kit.url, 'cp-1');
    const boot = await cp.boot();
    expect(boot).toEqual({ status: 'Accepted', currentTime: at(kit), interval: 300 });
    const connected = await kit.kit.expectEvent(energy.ChargerConnected);
    expect(connected.data).toMatchObject({ chargerId: 'cp-1', hubId: 'hub-a', feederId: 'f1', vendor: 'Polis test', model: 'TCP-22', serialNumber: 'SN-cp-1', connectors: 2 });
    await waitUntil(() => cp.profiles().length === 1);
    expect(cp.profiles()[0]).toEqual({
      connectorId: 0,
      csChargingProfiles: {
        chargingProfileId: 2_147_483_647,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 0, numberPhases: 3 }] },
      },
    });
    expect(await cp.call('Heartbeat', {})).toEqual({ currentTime: at(kit) });
    await cp.close();
    expect(cp.schemaViolations).toEqual([]);
  });

  it('refuses an unknown identity with HTTP 404 and a client without ocpp1.6 at the handshake', async () => {
    const kit = await start();
    await expect(TestChargePoint.connect(kit.url, 'cp-stranger')).rejects.toMatchObject({ code: 404 });
    await expect(TestChargePoint.connect(kit.url, 'cp-1', { protocols: ['ocpp2.0.1'] })).rejects.toMatchObject({ code: 400 });
  });

  it('answers anything but a BootNotification before the boot with SecurityError', async () => {
    const kit = await start();
    const cp = await TestChargePoint.connect(kit.url, 'cp-2');
    await expect(cp.call('Heartbeat', {})).rejects.toMatchObject({ rpcErrorCode: 'SecurityError' });
    await expect(cp.startTransaction(1, 'TAXI1')).rejects.toMatchObject({ rpcErrorCode: 'SecurityError' });
    await cp.close();
  });

  it('publishes connector statuses and refuses a connector the charger does not have', async () => {
    const kit = await start();
    const cp = await kit.chargePoint('cp-1');
    await cp.call('StatusNotification', { connectorId: 2, errorCode: 'NoError', status: 'Preparing', timestamp: at(kit) });
    expect((await kit.kit.expectEvent(energy.ConnectorStatusChanged)).data).toEqual({ chargerId: 'cp-1', connectorId: 2, status: 'Preparing', errorCode: 'NoError', at: at(kit) });
    await expect(cp.call('StatusNotification', { connectorId: 3, errorCode: 'NoError', status: 'Available' })).rejects.toMatchObject({
      rpcErrorCode: 'PropertyConstraintViolation',
      message: 'connectorId 3 does not exist: cp-1 has connectors 1..2',
    });
  });

  it('authorizes fleet and unknown cards, refuses a card already charging, and refuses unknown cards when told to', async () => {
    const kit = await start(gridConfig({ centralSystem: { acceptUnknownIdTags: false } }));
    const cp = await kit.chargePoint('cp-1');
    expect(await cp.call('Authorize', { idTag: 'TAXI1' })).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(await cp.call('Authorize', { idTag: 'UNKNOWN' })).toEqual({ idTagInfo: { status: 'Invalid' } });
    await cp.startTransaction(1, 'TAXI1');
    expect(await cp.call('Authorize', { idTag: 'TAXI1' })).toEqual({ idTagInfo: { status: 'ConcurrentTx' } });
  });

  it('opens a session, limits it with a TxProfile in the next cycle, meters it and closes it', async () => {
    const kit = await start();
    const cp = await kit.chargePoint('cp-1');
    const opened = await cp.startTransaction(1, 'TAXI1', 1000, at(kit));
    expect(opened).toEqual({ transactionId: expect.any(Number), idTagInfo: { status: 'Accepted' } });
    const { transactionId } = opened;
    const started = await kit.kit.expectEvent(energy.SessionStarted);
    expect(started.data).toEqual({
      sessionId: `cp-1-tx${transactionId}`,
      chargerId: 'cp-1',
      connectorId: 1,
      transactionId,
      hubId: 'hub-a',
      feederId: 'f1',
      idTag: 'TAXI1',
      vehicleId: 'taxi-1',
      class: 'taxi',
      authorized: true,
      meterStartWh: 1000,
      startedAt: at(kit),
    });

    await kit.nextCycle();
    // Alone on the 22 kW feeder: 22000 W / (3 x 230 V) = 31.88 A, sent as 31.8 A.
    expect(cp.txLimits(transactionId)).toEqual([31.8]);
    expect(cp.profiles().at(-1)).toEqual({
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: transactionId,
        transactionId,
        stackLevel: 0,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 31.8, numberPhases: 3 }] },
      },
    });
    const allocation = await kit.kit.expectEvent(energy.AllocationChanged, { where: (e) => e.data.feederId === 'f1' && e.data.sessions.length === 1 });
    expect(allocation.data).toMatchObject({ feederId: 'f1', transformerId: 't1', limitKw: 22, capKw: 22, allocatedKw: 21.94, sessions: [{ sessionId: started.data.sessionId, vehicleId: 'taxi-1', class: 'taxi', kw: 21.94, paused: false }], deadlinesAtRisk: [] });

    await cp.meterValues(1, transactionId, [
      {
        timestamp: at(kit),
        sampledValue: [
          { value: '2.5', measurand: 'Energy.Active.Import.Register', unit: 'kWh' },
          { value: '21.9', measurand: 'Power.Active.Import', unit: 'kW' },
          { value: '64', measurand: 'SoC', unit: 'Percent' },
        ],
      },
    ]);
    expect((await kit.kit.expectEvent(energy.SessionMetered)).data).toEqual({ sessionId: started.data.sessionId, at: at(kit), energyWh: 1500, powerKw: 21.9, socPct: 64 });

    expect(await cp.stopTransaction(transactionId, 4000, 'EVDisconnected', at(kit))).toEqual({});
    expect((await kit.kit.expectEvent(energy.SessionStopped)).data).toEqual({ sessionId: started.data.sessionId, chargerId: 'cp-1', vehicleId: 'taxi-1', energyWh: 3000, reason: 'EVDisconnected', stoppedAt: at(kit) });
    // The same StopTransaction again (its answer lost on the way): the same answer, no second stop.
    expect(await cp.stopTransaction(transactionId, 4000, 'EVDisconnected', at(kit))).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(kit.kit.eventsOf(energy.SessionStopped)).toHaveLength(1);
    expect(cp.schemaViolations).toEqual([]);
  });

  it('answers a repeated StartTransaction with the same transaction, and refuses a second one on a busy connector', async () => {
    const kit = await start();
    const cp = await kit.chargePoint('cp-1');
    const stamp = at(kit);
    const first = await cp.startTransaction(1, 'TAXI1', 100, stamp);
    expect(await cp.startTransaction(1, 'TAXI1', 100, stamp)).toEqual(first);
    expect(kit.kit.eventsOf(energy.SessionStarted)).toHaveLength(1);
    await expect(cp.startTransaction(1, 'OTHER', 0, stamp)).rejects.toMatchObject({
      rpcErrorCode: 'PropertyConstraintViolation',
      message: `connector 1 already has transaction ${first.transactionId} in progress; stop it first`,
    });
    await expect(cp.startTransaction(0, 'OTHER')).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
  });

  it('refuses meter values and stops of transactions it does not know, and readings that are not numbers', async () => {
    const kit = await start();
    const cp = await kit.chargePoint('cp-1');
    const other = await kit.chargePoint('cp-2');
    const { transactionId } = await cp.startTransaction(1, 'TAXI1');
    const reading = [{ timestamp: at(kit), sampledValue: [{ value: '10' }] }];
    await expect(cp.meterValues(1, 999, reading)).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation', message: 'MeterValues for transaction 999, which is not open on cp-1' });
    // Another charge point cannot report on, or stop, cp-1's transaction.
    await expect(other.meterValues(1, transactionId, reading)).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
    await expect(other.stopTransaction(transactionId, 10)).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
    await expect(cp.meterValues(2, transactionId, reading)).rejects.toMatchObject({ message: `transaction ${transactionId} is on connector 1, not 2` });
    await expect(cp.meterValues(1, transactionId, [{ timestamp: at(kit), sampledValue: [{ value: 'lots', measurand: 'Power.Active.Import', unit: 'W' }] }])).rejects.toMatchObject({
      rpcErrorCode: 'PropertyConstraintViolation',
      message: '/meterValue/0/sampledValue/0/value: "lots" is not a number',
    });
    await expect(cp.stopTransaction(transactionId, -5)).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation', message: expect.stringMatching(/below the transaction's meterStart/) });
    await expect(cp.stopTransaction(4242, 10)).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation', message: 'StopTransaction for transaction 4242, which is not open on cp-1' });
    expect(kit.kit.eventsOf(energy.SessionStopped)).toEqual([]);
  });

  it('answers malformed frames, unknown actions and invalid payloads with OCPP-J 1.6 CALLERRORs and keeps the connection', async () => {
    const kit = await start();
    const cp = await kit.chargePoint('cp-1');
    const sent: [string, string, string][] = [
      ['not json', '-1', 'FormationViolation'],
      ['{"an":"object"}', '-1', 'FormationViolation'],
      ['[7,"m0",{}]', '-1', 'FormationViolation'],
      ['[2,5,"Heartbeat",{}]', '-1', 'FormationViolation'],
      ['[2,"m1","FlyToTheMoon",{}]', 'm1', 'NotImplemented'],
      ['[2,"m2","RemoteStartTransaction",{"idTag":"X"}]', 'm2', 'NotSupported'],
      ['[2,"m3","StatusNotification",{"connectorId":1,"status":"Available"}]', 'm3', 'OccurenceConstraintViolation'],
      ['[2,"m4","StatusNotification",{"connectorId":"1","errorCode":"NoError","status":"Available"}]', 'm4', 'TypeConstraintViolation'],
      ['[2,"m5","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Exploded"}]', 'm5', 'PropertyConstraintViolation'],
      ['[2,"m6","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available","color":"red"}]', 'm6', 'FormationViolation'],
      ['[2,"m7","Heartbeat"]', 'm7', 'FormationViolation'],
      [`[2,"m8","Authorize",{"idTag":"${'X'.repeat(21)}"}]`, 'm8', 'PropertyConstraintViolation'],
    ];
    for (const [frame] of sent) cp.sendRaw(frame);
    await waitUntil(() => cp.frames.filter((f) => f[0] === 4).length >= sent.length);
    // Answers come back as each is handled, not necessarily in the order sent.
    const errors = cp.frames.filter((f) => f[0] === 4);
    const sorted = (pairs: unknown[][]) => pairs.map((pair) => JSON.stringify(pair)).sort();
    expect(sorted(errors.map((f) => [f[1], f[2]]))).toEqual(sorted(sent.map(([, id, code]) => [id, code])));
    expect(callError(cp, 'm1')).toEqual(['NotImplemented', "Unable to handle 'FlyToTheMoon' calls"]);
    // Details say where the payload failed, without echoing it.
    expect(errors.find((f) => f[1] === 'm5')![4]).toEqual({ errors: [{ path: '/status', keyword: 'enum', message: 'must be equal to one of the allowed values' }] });
    // Still connected, and still served.
    expect(await cp.call('Heartbeat', {})).toEqual({ currentTime: at(kit) });
    expect(kit.kit.logs.filter((record) => record.level === 'error')).toEqual([]);
  });

  it('closes a connection that sends nothing but garbage, and keeps serving the others', async () => {
    const kit = await start(gridConfig({ centralSystem: { maxBadMessages: 3 } }));
    const noisy = await kit.chargePoint('cp-1');
    const quiet = await kit.chargePoint('cp-2');
    for (let i = 0; i < 5; i++) noisy.sendRaw(`garbage ${i}`);
    const disconnected = await kit.kit.expectEvent(energy.ChargerDisconnected, { within: 3000 });
    expect(disconnected.data).toMatchObject({ chargerId: 'cp-1', openSessions: [] });
    expect(await quiet.call('Heartbeat', {})).toEqual({ currentTime: at(kit) });
  });

  it('lowers limits before it raises any: the new session waits until the old one has come down', async () => {
    const kit = await start();
    const first = await kit.chargePoint('cp-1', { profileDelayMs: 150 });
    const second = await kit.chargePoint('cp-2');
    const a = await first.startTransaction(1, 'CAR-8');
    await kit.nextCycle();
    expect(first.txLimits(a.transactionId)).toEqual([31.8]);

    const b = await second.startTransaction(1, 'CAR-9');
    await kit.nextCycle();
    // Two on 22 kW: 11 kW each, 15.9 A. cp-1 comes down (slowly) before cp-2 goes up.
    expect(first.txLimits(a.transactionId)).toEqual([31.8, 15.9]);
    expect(second.txLimits(b.transactionId)).toEqual([15.9]);
    const lowered = first.calls.filter((call) => call.action === 'SetChargingProfile').at(-1)!;
    const raised = second.calls.filter((call) => call.action === 'SetChargingProfile').at(-1)!;
    expect(raised.receivedAt).toBeGreaterThan(lowered.answeredAt!);
  });

  it('raises no one into capacity a charger that refused to come down still draws', async () => {
    const kit = await start();
    const first = await kit.chargePoint('cp-1');
    const second = await kit.chargePoint('cp-2');
    const a = await first.startTransaction(1, 'CAR-8');
    await kit.nextCycle();
    first.answerProfiles({ profileStatus: () => 'Rejected' });
    const b = await second.startTransaction(1, 'CAR-9');
    await kit.nextCycle();
    // cp-1 still draws up to 31.8 A (21.94 kW) of the 22: cp-2 is not raised to its 15.9 A.
    expect(first.txLimits(a.transactionId)).toEqual([31.8, 15.9]);
    expect(second.txLimits(b.transactionId).filter((limit) => limit > 0)).toEqual([]);
    expect(kit.kit.logs.some((record) => record.level === 'warn' && record.message.includes('answered Rejected'))).toBe(true);
    // Once cp-1 accepts, both get their share.
    first.answerProfiles({ profileStatus: () => 'Accepted' });
    await kit.nextCycle();
    expect(second.txLimits(b.transactionId).at(-1)).toBe(15.9);
  });

  it('stops a session remotely when asked, and says so when it cannot', async () => {
    const kit = await start();
    const cp = await kit.chargePoint('cp-1');
    const { transactionId } = await cp.startTransaction(1, 'TAXI1');
    await kit.kit.publish(energy.SessionStopRequested, { sessionId: `cp-1-tx${transactionId}`, reason: 'operator: cable damaged' });
    await waitUntil(() => cp.calls.some((call) => call.action === 'RemoteStopTransaction'));
    expect(cp.calls.find((call) => call.action === 'RemoteStopTransaction')!.params).toEqual({ transactionId });
    await kit.kit.publish(energy.SessionStopRequested, { sessionId: 'cp-1-tx999', reason: 'typo' });
    expect((await kit.kit.expectEvent(energy.InputRejected)).data).toEqual({ source: 'energy.session.stop-requested', ref: 'cp-1-tx999', path: '/sessionId', reason: 'no open session has this id' });
  });

  it('holds a disconnected charger at its last limit: the others cannot take its capacity', async () => {
    const kit = await start();
    const first = await kit.chargePoint('cp-1');
    const second = await kit.chargePoint('cp-2');
    const a = await first.startTransaction(1, 'CAR-8');
    await kit.nextCycle();
    await first.close();
    const gone = await kit.kit.expectEvent(energy.ChargerDisconnected);
    expect(gone.data).toMatchObject({ chargerId: 'cp-1', openSessions: [`cp-1-tx${a.transactionId}`] });
    const b = await second.startTransaction(1, 'CAR-9');
    await kit.nextCycle();
    // cp-1 may still draw its 21.94 kW: cp-2's minimum (4.14 kW) does not fit in the 0.06 left.
    expect(second.txLimits(b.transactionId).filter((limit) => limit > 0)).toEqual([]);
  });
});
