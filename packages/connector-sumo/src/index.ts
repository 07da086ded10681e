// @polis/connector-sumo: runs a Polis city against the SUMO microsimulator. A TraCI client for
// the subset Polis needs, the conversion of a Polis road network into a SUMO network, and a
// bridge that turns SUMO's detectors into Polis readings and shows the traffic plugin's signals
// in SUMO. Not a dependency of any plugin: plugins see only the events it publishes.
export { TraciClient, asCompound, asLoopPassages, asNumber, asPosition, asString, asStringList } from './traci/traci-client.js';
export type { ControlledLink, LoopPassage, SubscriptionDomain, SubscriptionResult, TraciConnectOptions } from './traci/traci-client.js';
export { Command, DataType, Variable } from './traci/constants.js';
export { TraciReader, TraciWriter } from './traci/codec.js';
export type { TraciValue } from './traci/codec.js';
export { SumoConnectorError, SumoErrorCodes, TraciCommandError, TraciConnectionClosedError, TraciProtocolError } from './traci/errors.js';
export { startSumo } from './sumo-process.js';
export type { SumoLaunchOptions, SumoSession } from './sumo-process.js';
export { convertToSumo } from './network/sumo-network.js';
export type { ConvertOptions, DetectorPlacement, PolisRoadNetwork, SignalMapping, SumoNetworkFiles, SumoNetworkMapping } from './network/sumo-network.js';
export type { PhaseStates } from './network/signal-states.js';
