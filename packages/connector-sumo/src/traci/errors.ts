/** Stable codes of the connector's errors. */
export const SumoErrorCodes = {
  /** SUMO sent bytes this client cannot decode (or the reverse was detected). */
  PROTOCOL: 'SUMO_TRACI_PROTOCOL',
  /** SUMO answered a command with an error status; the message is SUMO's. */
  COMMAND_FAILED: 'SUMO_TRACI_COMMAND_FAILED',
  /** The connection is closed, or closed while a command was waiting for its answer. */
  CONNECTION_CLOSED: 'SUMO_TRACI_CONNECTION_CLOSED',
  /** The sumo process could not be started or did not accept a connection in time. */
  START_FAILED: 'SUMO_START_FAILED',
  /** netconvert refused the network, or a network to convert is invalid. */
  NETWORK_INVALID: 'SUMO_NETWORK_INVALID',
} as const;

export type SumoErrorCode = (typeof SumoErrorCodes)[keyof typeof SumoErrorCodes];

/** Base of the connector's errors: `Name [CODE]: message`, with the cause kept. */
export class SumoConnectorError extends Error {
  readonly code: SumoErrorCode;

  constructor(code: SumoErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

/** Bytes from SUMO that do not follow the protocol. */
export class TraciProtocolError extends SumoConnectorError {
  constructor(message: string, options?: ErrorOptions) {
    super(SumoErrorCodes.PROTOCOL, message, options);
  }
}

/** SUMO refused a command (unknown object, bad value, ...). */
export class TraciCommandError extends SumoConnectorError {
  /** The refused command's id. */
  readonly commandId: number;

  constructor(commandId: number, sumoMessage: string) {
    super(SumoErrorCodes.COMMAND_FAILED, `SUMO refused command 0x${commandId.toString(16).padStart(2, '0')}: ${sumoMessage}`);
    this.commandId = commandId;
  }
}

/** The connection to SUMO is gone. */
export class TraciConnectionClosedError extends SumoConnectorError {
  constructor(message: string, options?: ErrorOptions) {
    super(SumoErrorCodes.CONNECTION_CLOSED, message, options);
  }
}
