// The OCPP 1.6 messages the central system exchanges, as TypeScript types. The official OCPP 1.6
// JSON schemas (bundled with ocpp-rpc, enforced by its strict mode) are the authority; these
// types only name what the code reads and writes.

export type AuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';

export interface IdTagInfo {
  readonly status: AuthorizationStatus;
  readonly expiryDate?: string;
  readonly parentIdTag?: string;
}

export interface BootNotificationRequest {
  readonly chargePointVendor: string;
  readonly chargePointModel: string;
  readonly chargePointSerialNumber?: string;
  readonly chargeBoxSerialNumber?: string;
  readonly firmwareVersion?: string;
}

export interface BootNotificationResponse {
  readonly status: 'Accepted' | 'Pending' | 'Rejected';
  readonly currentTime: string;
  readonly interval: number;
}

export type ChargePointStatus = 'Available' | 'Preparing' | 'Charging' | 'SuspendedEVSE' | 'SuspendedEV' | 'Finishing' | 'Reserved' | 'Unavailable' | 'Faulted';

export interface StatusNotificationRequest {
  readonly connectorId: number;
  readonly errorCode: string;
  readonly status: ChargePointStatus;
  readonly info?: string;
  readonly timestamp?: string;
  readonly vendorErrorCode?: string;
}

export interface StartTransactionRequest {
  readonly connectorId: number;
  readonly idTag: string;
  readonly meterStart: number;
  readonly timestamp: string;
  readonly reservationId?: number;
}

export interface StartTransactionResponse {
  readonly transactionId: number;
  readonly idTagInfo: IdTagInfo;
}

export type StopReason = 'EmergencyStop' | 'EVDisconnected' | 'HardReset' | 'Local' | 'Other' | 'PowerLoss' | 'Reboot' | 'Remote' | 'SoftReset' | 'UnlockCommand' | 'DeAuthorized';

export interface SampledValue {
  readonly value: string;
  readonly context?: string;
  readonly format?: 'Raw' | 'SignedData';
  readonly measurand?: string;
  readonly phase?: string;
  readonly location?: string;
  readonly unit?: string;
}

export interface MeterValue {
  readonly timestamp: string;
  readonly sampledValue: readonly SampledValue[];
}

export interface MeterValuesRequest {
  readonly connectorId: number;
  readonly transactionId?: number;
  readonly meterValue: readonly MeterValue[];
}

export interface StopTransactionRequest {
  readonly transactionId: number;
  readonly meterStop: number;
  readonly timestamp: string;
  readonly idTag?: string;
  readonly reason?: StopReason;
  readonly transactionData?: readonly MeterValue[];
}

export interface StopTransactionResponse {
  readonly idTagInfo?: IdTagInfo;
}

export interface ChargingSchedulePeriod {
  readonly startPeriod: number;
  readonly limit: number;
  readonly numberPhases?: number;
}

export interface ChargingProfile {
  readonly chargingProfileId: number;
  readonly transactionId?: number;
  readonly stackLevel: number;
  readonly chargingProfilePurpose: 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile';
  readonly chargingProfileKind: 'Absolute' | 'Recurring' | 'Relative';
  readonly chargingSchedule: {
    readonly chargingRateUnit: 'A' | 'W';
    readonly chargingSchedulePeriod: readonly ChargingSchedulePeriod[];
    readonly duration?: number;
    readonly startSchedule?: string;
    readonly minChargingRate?: number;
  };
}

export interface SetChargingProfileRequest {
  readonly connectorId: number;
  readonly csChargingProfiles: ChargingProfile;
}

export interface SetChargingProfileResponse {
  readonly status: 'Accepted' | 'Rejected' | 'NotSupported';
}

export interface RemoteStopTransactionResponse {
  readonly status: 'Accepted' | 'Rejected';
}
