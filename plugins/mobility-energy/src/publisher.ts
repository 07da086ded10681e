import type { energy } from '@polis/contracts';
import type { CloudEvent, EventData, PublishOptions } from '@polis/plugin-api';

/** Everything mobility-energy publishes. */
export type EnergyPublishes =
  | typeof energy.CentralSystemOpened
  | typeof energy.ChargerConnected
  | typeof energy.ChargerDisconnected
  | typeof energy.ConnectorStatusChanged
  | typeof energy.InputRejected
  | typeof energy.SessionStarted
  | typeof energy.SessionMetered
  | typeof energy.SessionStopped
  | typeof energy.SessionPrioritized
  | typeof energy.VehiclePrioritized
  | typeof energy.HubDisrupted
  | typeof energy.VehicleWarned
  | typeof energy.AllocationChanged
  | typeof energy.FeederLoaded
  | typeof energy.DemandResponseReported
  | typeof energy.DepotSchedulePlanned;

/** Publishing outside a handler (from OCPP messages and timers), as `ctx.publish` does. */
export type Publish = <E extends EnergyPublishes>(event: E, data: EventData<E>, options?: PublishOptions) => Promise<CloudEvent<EventData<E>>>;
