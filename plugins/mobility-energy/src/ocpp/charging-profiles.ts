import type { SetChargingProfileRequest } from './ocpp16-messages.js';

/** How a charger is limited: in amperes per phase (AC) or watts (DC), and its supply. */
export interface ChargerElectrics {
  readonly rateUnit: 'A' | 'W';
  /** Phase-to-neutral voltage, for converting amperes to watts. */
  readonly voltageV: number;
  readonly phases: 1 | 3;
}

/** The id of the TxDefaultProfile; TxProfiles take their transaction's id, which never reaches it. */
const DEFAULT_PROFILE_ID = 2_147_483_647;

/**
 * The limit to send for an allocation of `kw`, in the charger's unit. OCPP 1.6 limits take at
 * most one decimal (the schema's `multipleOf: 0.1`), so it is rounded down: what the charger may
 * draw never exceeds what was allocated.
 */
export function limitFor(kw: number, charger: ChargerElectrics): number {
  const raw = charger.rateUnit === 'W' ? kw * 1000 : (kw * 1000) / (charger.voltageV * charger.phases);
  return Math.max(0, Math.floor(raw * 10 + 1e-9) / 10);
}

/** What a limit in the charger's unit lets it draw, kW. */
export function kwOfLimit(limit: number, charger: ChargerElectrics): number {
  return charger.rateUnit === 'W' ? limit / 1000 : (limit * charger.voltageV * charger.phases) / 1000;
}

/**
 * A TxProfile holding a transaction to `limit` from now until it ends: one period from 0,
 * relative to the transaction's start, with no duration. Sent again with the same id and stack
 * level, it replaces the previous one (OCPP 1.6 section 3.13.2).
 */
export function txProfile(connectorId: number, transactionId: number, limit: number, charger: ChargerElectrics): SetChargingProfileRequest {
  return {
    connectorId,
    csChargingProfiles: {
      chargingProfileId: transactionId,
      transactionId,
      stackLevel: 0,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: charger.rateUnit, chargingSchedulePeriod: [period(limit, charger)] },
    },
  };
}

/**
 * The TxDefaultProfile for every connector (connectorId 0): what a new transaction may draw until
 * its own TxProfile arrives. At 0 a new session waits for its allocation, so a car plugging in
 * can never push a feeder over its limit before the next cycle.
 */
export function txDefaultProfile(limit: number, charger: ChargerElectrics): SetChargingProfileRequest {
  return {
    connectorId: 0,
    csChargingProfiles: {
      chargingProfileId: DEFAULT_PROFILE_ID,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: charger.rateUnit, chargingSchedulePeriod: [period(limit, charger)] },
    },
  };
}

function period(limit: number, charger: ChargerElectrics) {
  return charger.rateUnit === 'A' ? { startPeriod: 0, limit, numberPhases: charger.phases } : { startPeriod: 0, limit };
}
