import { describe, expect, it } from 'vitest';
import { kwOfLimit, limitFor, txDefaultProfile, txProfile } from './charging-profiles.js';

const ac = { rateUnit: 'A', voltageV: 230, phases: 3 } as const;
const dc = { rateUnit: 'W', voltageV: 800, phases: 1 } as const;

describe('charging profiles', () => {
  it('converts kW to amperes per phase, rounding down to the 0.1 OCPP allows', () => {
    // 11 kW on three phases at 230 V: 11000 / 690 = 15.94 A, sent as 15.9 A = 10.971 kW.
    expect(limitFor(11, ac)).toBe(15.9);
    expect(kwOfLimit(15.9, ac)).toBeCloseTo(10.971, 9);
    expect(limitFor(4.14, ac)).toBe(6);
    expect(limitFor(150, dc)).toBe(150_000);
    expect(limitFor(-1, ac)).toBe(0);
  });

  it('builds a TxProfile for the transaction and a TxDefaultProfile for every connector', () => {
    expect(txProfile(2, 17, 15.9, ac)).toEqual({
      connectorId: 2,
      csChargingProfiles: {
        chargingProfileId: 17,
        transactionId: 17,
        stackLevel: 0,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 15.9, numberPhases: 3 }] },
      },
    });
    expect(txDefaultProfile(0, dc)).toMatchObject({ connectorId: 0, csChargingProfiles: { chargingProfilePurpose: 'TxDefaultProfile', chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 0 }] } } });
  });
});
