import { Socket } from 'node:net';
import { TraciReader, TraciWriter, frameCommand, frameMessage } from './codec.js';
import type { TraciValue } from './codec.js';
import { Command, INVALID_DOUBLE, Status, Variable } from './constants.js';
import { TraciCommandError, TraciConnectionClosedError, TraciProtocolError } from './errors.js';

/** What follows a command's status response in SUMO's answer. */
type Answer = 'status' | 'value' | 'step' | 'subscription';

interface PendingCommand {
  readonly id: number;
  readonly content: Buffer;
  readonly answer: Answer;
}

/** One object's subscribed values after a step (or right after subscribing). */
export interface SubscriptionResult {
  /** The subscription's response id: the subscribe command's id + 0x10. */
  readonly responseId: number;
  readonly objectId: string;
  /** Variable id -> value; a variable SUMO could not read is absent and listed in `errors`. */
  readonly values: ReadonlyMap<number, TraciValue>;
  readonly errors: ReadonlyMap<number, string>;
}

/** Domains this client subscribes in. */
export type SubscriptionDomain = 'induction-loop' | 'lane-area' | 'vehicle' | 'simulation';

const SUBSCRIBE_COMMAND: Readonly<Record<SubscriptionDomain, number>> = {
  'induction-loop': Command.SUBSCRIBE_INDUCTION_LOOP,
  'lane-area': Command.SUBSCRIBE_LANE_AREA,
  vehicle: Command.SUBSCRIBE_VEHICLE,
  simulation: Command.SUBSCRIBE_SIMULATION,
};

/** One vehicle's passage over an induction loop, as SUMO reports it (LAST_STEP_VEHICLE_DATA). */
export interface LoopPassage {
  readonly vehicleId: string;
  readonly lengthM: number;
  /** Simulation seconds at which the vehicle's front reached the loop. */
  readonly entryTimeS: number;
  /** Simulation seconds at which its back left the loop; -1 while it is still on it. */
  readonly leaveTimeS: number;
  readonly typeId: string;
}

/** One controlled link of a traffic light: the signal index's incoming lane, outgoing lane and internal lane. */
export interface ControlledLink {
  readonly fromLane: string;
  readonly toLane: string;
  readonly viaLane: string;
}

export interface TraciConnectOptions {
  readonly host?: string;
  /** Give up connecting after this long (SUMO may still be loading its network). Default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * A TraCI client for the subset Polis needs: stepping, subscriptions (induction loops, lane-area
 * detectors, vehicles, the simulation), traffic-light state and program control, vehicles and
 * routes (emergency vehicles, staged incidents) and lane permissions (lane closures).
 *
 * TraCI is strictly request/response over one TCP connection: commands are queued and sent one
 * message at a time, and each answer is checked (status, response id, object id) before the next
 * goes out. SUMO's refusals become {@link TraciCommandError}s carrying SUMO's message.
 */
export class TraciClient {
  readonly #socket: Socket;
  #received: Buffer = Buffer.alloc(0);
  #waiting: { resolve: (message: Buffer) => void; reject: (error: Error) => void } | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #closed: Error | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error) => this.#fail(new TraciConnectionClosedError(`connection to SUMO failed: ${error.message}`, { cause: error })));
    socket.on('close', () => this.#fail(new TraciConnectionClosedError('connection closed by SUMO')));
  }

  /**
   * Connects to a SUMO started with `--remote-port`, retrying while it is still starting.
   *
   * @throws {TraciConnectionClosedError} when no connection could be made within the timeout.
   */
  static async connect(port: number, options: TraciConnectOptions = {}): Promise<TraciClient> {
    const host = options.host ?? '127.0.0.1';
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (let attempt = 0; ; attempt++) {
      try {
        const socket = await openSocket(host, port);
        return new TraciClient(socket);
      } catch (error) {
        if (Date.now() >= deadline) {
          throw new TraciConnectionClosedError(`could not connect to SUMO at ${host}:${port} within ${options.timeoutMs ?? 10_000} ms`, { cause: error });
        }
        // SUMO opens its port only once the network is loaded; back off a little each time.
        await new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * 2 ** attempt)));
      }
    }
  }

  /** The TraCI API version and SUMO's version string. */
  async version(): Promise<{ readonly api: number; readonly sumo: string }> {
    const reader = await this.#send([{ id: Command.GET_VERSION, content: Buffer.alloc(0), answer: 'value' }], (r) => {
      const { endOffset } = r.commandLength();
      const responseId = r.ubyte();
      if (responseId !== Command.GET_VERSION) throw new TraciProtocolError(`expected a version response, got 0x${responseId.toString(16)}`);
      const api = r.int();
      const sumo = r.string();
      r.seek(endOffset);
      return { api, sumo };
    });
    return reader;
  }

  /**
   * Advances the simulation by one step (or up to `untilS` simulation seconds) and returns the
   * subscribed values after it.
   */
  step(untilS = 0): Promise<SubscriptionResult[]> {
    return this.#send([{ id: Command.SIMULATION_STEP, content: new TraciWriter().double(untilS).toBuffer(), answer: 'step' }], (reader) => {
      const count = reader.int();
      return Array.from({ length: count }, () => readSubscription(reader));
    });
  }

  /**
   * Subscribes to variables of one object for the whole simulation; their values come with every
   * step. Returns the current values. An empty `variables` list cancels the subscription.
   */
  subscribe(domain: SubscriptionDomain, objectId: string, variables: readonly number[]): Promise<SubscriptionResult | undefined> {
    const writer = new TraciWriter().double(INVALID_DOUBLE).double(INVALID_DOUBLE).string(objectId).ubyte(variables.length);
    for (const variable of variables) writer.ubyte(variable);
    const commandId = SUBSCRIBE_COMMAND[domain];
    return this.#send([{ id: commandId, content: writer.toBuffer(), answer: variables.length > 0 ? 'subscription' : 'status' }], (reader) => {
      if (variables.length === 0) return undefined;
      const result = readSubscription(reader);
      if (result.responseId !== commandId + 0x10 || result.objectId !== objectId) {
        throw new TraciProtocolError(`subscription to ${objectId} answered as 0x${result.responseId.toString(16)} for ${result.objectId}`);
      }
      return result;
    });
  }

  /** Reads one variable of one object (`getCommand` is a domain's get command id). */
  get(getCommand: number, variable: number, objectId: string, parameters?: (writer: TraciWriter) => void): Promise<TraciValue> {
    const writer = new TraciWriter().ubyte(variable).string(objectId);
    parameters?.(writer);
    return this.#send([{ id: getCommand, content: writer.toBuffer(), answer: 'value' }], (reader) => {
      const { endOffset } = reader.commandLength();
      const responseId = reader.ubyte();
      const answeredVariable = reader.ubyte();
      const answeredObject = reader.string();
      if (responseId !== getCommand + 0x10 || answeredVariable !== variable || answeredObject !== objectId) {
        throw new TraciProtocolError(
          `asked 0x${getCommand.toString(16)}/0x${variable.toString(16)} of ${JSON.stringify(objectId)}, got 0x${responseId.toString(16)}/0x${answeredVariable.toString(16)} of ${JSON.stringify(answeredObject)}`,
        );
      }
      const value = reader.value();
      reader.seek(endOffset);
      return value;
    });
  }

  /** Sets one variable of one object (`setCommand` is a domain's set command id); `value` writes the typed value. */
  async set(setCommand: number, variable: number, objectId: string, value: (writer: TraciWriter) => void): Promise<void> {
    const writer = new TraciWriter().ubyte(variable).string(objectId);
    value(writer);
    await this.#send([{ id: setCommand, content: writer.toBuffer(), answer: 'status' }], () => undefined);
  }

  /**
   * Sends several set commands in one message (one round trip); SUMO applies them in order and
   * the first refusal rejects the whole call.
   */
  async setMany(commands: readonly { readonly setCommand: number; readonly variable: number; readonly objectId: string; readonly value: (writer: TraciWriter) => void }[]): Promise<void> {
    if (commands.length === 0) return;
    const pending = commands.map((command) => {
      const writer = new TraciWriter().ubyte(command.variable).string(command.objectId);
      command.value(writer);
      return { id: command.setCommand, content: writer.toBuffer(), answer: 'status' as const };
    });
    await this.#send(pending, () => undefined);
  }

  /** Ids of every object of a domain (`getCommand`: the domain's get command id). */
  async idList(getCommand: number): Promise<string[]> {
    return asStringList(await this.get(getCommand, Variable.ID_LIST, ''));
  }

  // --- traffic lights -------------------------------------------------------------------------

  /** Shows `state` (one of `rRyYgGoOs` per controlled link) until told otherwise. */
  setSignalState(tlsId: string, state: string): Promise<void> {
    return this.set(Command.SET_TRAFFIC_LIGHT, Variable.TL_RED_YELLOW_GREEN_STATE, tlsId, (w) => w.typedString(state));
  }

  async signalState(tlsId: string): Promise<string> {
    return asString(await this.get(Command.GET_TRAFFIC_LIGHT, Variable.TL_RED_YELLOW_GREEN_STATE, tlsId));
  }

  /** Switches to one of the signal's programs (SUMO runs it from its first phase). */
  setSignalProgram(tlsId: string, programId: string): Promise<void> {
    return this.set(Command.SET_TRAFFIC_LIGHT, Variable.TL_PROGRAM, tlsId, (w) => w.typedString(programId));
  }

  async signalProgram(tlsId: string): Promise<string> {
    return asString(await this.get(Command.GET_TRAFFIC_LIGHT, Variable.TL_CURRENT_PROGRAM, tlsId));
  }

  async signalPhase(tlsId: string): Promise<number> {
    return asNumber(await this.get(Command.GET_TRAFFIC_LIGHT, Variable.TL_PHASE_INDEX, tlsId));
  }

  /** The lanes each signal index controls, in signal-index order. */
  async controlledLinks(tlsId: string): Promise<ControlledLink[][]> {
    const value = await this.get(Command.GET_TRAFFIC_LIGHT, Variable.TL_CONTROLLED_LINKS, tlsId);
    // compound(count, then per signal index: int n, then n string lists [from, to, via])
    const items = asCompound(value);
    const indexCount = asNumber(items[0]!);
    const links: ControlledLink[][] = [];
    let at = 1;
    for (let i = 0; i < indexCount; i++) {
      const n = asNumber(items[at++]!);
      const group: ControlledLink[] = [];
      for (let k = 0; k < n; k++) {
        const [fromLane, toLane, viaLane] = asStringList(items[at++]!);
        group.push({ fromLane: fromLane!, toLane: toLane!, viaLane: viaLane! });
      }
      links.push(group);
    }
    return links;
  }

  // --- vehicles and routes --------------------------------------------------------------------

  /** Defines a route (a list of connected edge ids) vehicles can be added on. */
  addRoute(routeId: string, edges: readonly string[]): Promise<void> {
    return this.set(Command.SET_ROUTE, Variable.ADD, routeId, (w) => w.typedStringList(edges));
  }

  /** Inserts a vehicle on a route, now or at a simulation time (seconds). */
  addVehicle(
    vehicleId: string,
    routeId: string,
    options: { readonly typeId?: string; readonly departS?: number; readonly departLane?: string; readonly departPos?: string; readonly departSpeed?: string } = {},
  ): Promise<void> {
    const fields = [
      routeId,
      options.typeId ?? 'DEFAULT_VEHTYPE',
      options.departS === undefined ? 'now' : String(options.departS),
      options.departLane ?? 'best',
      options.departPos ?? 'base',
      options.departSpeed ?? 'max',
      'current',
      'max',
      'current',
      '',
      '',
      '',
    ];
    return this.set(Command.SET_VEHICLE, Variable.ADD_FULL, vehicleId, (w) => {
      w.compound(14);
      for (const field of fields) w.typedString(field);
      w.typedInt(0).typedInt(0);
    });
  }

  /** Replaces a vehicle's route; the first edge must be the one it is on. */
  setVehicleRoute(vehicleId: string, edges: readonly string[]): Promise<void> {
    return this.set(Command.SET_VEHICLE, Variable.ROUTE, vehicleId, (w) => w.typedStringList(edges));
  }

  /**
   * Makes a vehicle stop on a lane at a position for a while (a broken-down or crashed vehicle).
   * `durationS` counts from when it reaches the stop.
   */
  setVehicleStop(vehicleId: string, edgeId: string, positionM: number, laneIndex: number, durationS: number): Promise<void> {
    return this.set(Command.SET_VEHICLE, Command.STOP, vehicleId, (w) => {
      w.compound(7).typedString(edgeId).typedDouble(positionM).typedByte(laneIndex).typedDouble(durationS).typedByte(0).typedDouble(INVALID_DOUBLE).typedDouble(INVALID_DOUBLE);
    });
  }

  /** Removes a vehicle from the simulation (reason 3: vaporized). */
  removeVehicle(vehicleId: string): Promise<void> {
    return this.set(Command.SET_VEHICLE, Variable.REMOVE, vehicleId, (w) => w.typedByte(3));
  }

  async vehicleTimeLossS(vehicleId: string): Promise<number> {
    return asNumber(await this.get(Command.GET_VEHICLE, Variable.TIME_LOSS, vehicleId));
  }

  // --- lanes ----------------------------------------------------------------------------------

  /** Vehicle classes that may not use the lane (`['all']` closes it to everything). */
  setLaneDisallowed(laneId: string, vehicleClasses: readonly string[]): Promise<void> {
    return this.set(Command.SET_LANE, Variable.LANE_DISALLOWED, laneId, (w) => w.typedStringList(vehicleClasses));
  }

  /** Vehicle classes that may use the lane (an empty list allows all). */
  setLaneAllowed(laneId: string, vehicleClasses: readonly string[]): Promise<void> {
    return this.set(Command.SET_LANE, Variable.LANE_ALLOWED, laneId, (w) => w.typedStringList(vehicleClasses));
  }

  // --- simulation -----------------------------------------------------------------------------

  /** The simulation time, seconds. */
  async timeS(): Promise<number> {
    return asNumber(await this.get(Command.GET_SIMULATION, Variable.TIME, ''));
  }

  /** Vehicles still to come: running or waiting to be inserted. 0 when the demand is done. */
  async expectedVehicles(): Promise<number> {
    return asNumber(await this.get(Command.GET_SIMULATION, Variable.MIN_EXPECTED_VEHICLES, ''));
  }

  /** Ends the simulation and closes the connection (SUMO writes its outputs and exits). */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#send([{ id: Command.CLOSE, content: Buffer.alloc(0), answer: 'status' }], () => undefined);
    } finally {
      this.#fail(new TraciConnectionClosedError('connection closed by the client'));
      this.#socket.destroy();
    }
  }

  /** True once the connection is gone (closed by either side, or failed). */
  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** Sends one message with these commands, once the previous exchange is done, and parses the answer. */
  #send<T>(commands: readonly PendingCommand[], parse: (reader: TraciReader) => T): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.#closed) throw this.#closed;
      const message = await this.#exchange(frameMessage(commands.map((command) => frameCommand(command.id, command.content))));
      const reader = new TraciReader(message, 4);
      let result: T | undefined;
      for (const command of commands) {
        readStatus(reader, command.id);
        // Only the last command of a batch may carry an answer beyond its status.
        if (command.answer !== 'status') result = parse(reader);
      }
      if (commands.every((command) => command.answer === 'status')) result = parse(reader);
      return result as T;
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #exchange(message: Buffer): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#socket.write(message);
    });
  }

  #onData(chunk: Buffer): void {
    this.#received = this.#received.length === 0 ? chunk : Buffer.concat([this.#received, chunk]);
    if (this.#received.length < 4) return;
    const length = this.#received.readInt32BE(0);
    if (length < 4) {
      this.#fail(new TraciProtocolError(`message length ${length} is shorter than its own header`));
      this.#socket.destroy();
      return;
    }
    if (this.#received.length < length) return;
    const message = this.#received.subarray(0, length);
    this.#received = this.#received.subarray(length);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting === undefined) {
      this.#fail(new TraciProtocolError(`SUMO sent a ${length}-byte message nobody asked for`));
      this.#socket.destroy();
      return;
    }
    waiting.resolve(message);
  }

  #fail(error: Error): void {
    this.#closed ??= error;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.reject(error);
  }
}

function openSocket(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
    socket.connect(port, host, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}

/** Reads a status response and throws SUMO's refusal, if it is one. */
function readStatus(reader: TraciReader, commandId: number): void {
  const { endOffset } = reader.commandLength();
  const answered = reader.ubyte();
  const status = reader.ubyte();
  const description = reader.string();
  reader.seek(endOffset);
  if (answered !== commandId) throw new TraciProtocolError(`status for command 0x${answered.toString(16)}, expected 0x${commandId.toString(16)}`);
  if (status === Status.OK) return;
  throw new TraciCommandError(commandId, description || (status === Status.NOT_IMPLEMENTED ? 'not implemented' : 'error'));
}

/** Reads a variable subscription response. */
function readSubscription(reader: TraciReader): SubscriptionResult {
  const { endOffset } = reader.commandLength();
  const responseId = reader.ubyte();
  const objectId = reader.string();
  const count = reader.ubyte();
  const values = new Map<number, TraciValue>();
  const errors = new Map<number, string>();
  for (let i = 0; i < count; i++) {
    const variable = reader.ubyte();
    const status = reader.ubyte();
    const value = reader.value();
    if (status === Status.OK) values.set(variable, value);
    else errors.set(variable, typeof value === 'string' ? value : 'error');
  }
  reader.seek(endOffset);
  return { responseId, objectId, values, errors };
}

// --- value shapes -------------------------------------------------------------------------------

/** The value as a number, or a protocol error naming what it was. */
export function asNumber(value: TraciValue): number {
  if (typeof value !== 'number') throw new TraciProtocolError(`expected a number, got ${describe(value)}`);
  return value;
}

export function asString(value: TraciValue): string {
  if (typeof value !== 'string') throw new TraciProtocolError(`expected a string, got ${describe(value)}`);
  return value;
}

export function asStringList(value: TraciValue): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw new TraciProtocolError(`expected a string list, got ${describe(value)}`);
  return [...(value as readonly string[])];
}

export function asCompound(value: TraciValue): readonly TraciValue[] {
  if (typeof value !== 'object' || value === null || !('compound' in value)) throw new TraciProtocolError(`expected a compound, got ${describe(value)}`);
  return value.compound;
}

export function asPosition(value: TraciValue): { readonly x: number; readonly y: number } {
  if (typeof value !== 'object' || value === null || !('x' in value)) throw new TraciProtocolError(`expected a position, got ${describe(value)}`);
  return value;
}

/** LAST_STEP_VEHICLE_DATA of an induction loop: compound(count, then per vehicle id, length, entry, leave, type). */
export function asLoopPassages(value: TraciValue): LoopPassage[] {
  const items = asCompound(value);
  const count = asNumber(items[0]!);
  if (items.length !== 1 + count * 5) throw new TraciProtocolError(`vehicle data for ${count} vehicles has ${items.length} items`);
  return Array.from({ length: count }, (_, i) => {
    const at = 1 + i * 5;
    return {
      vehicleId: asString(items[at]!),
      lengthM: asNumber(items[at + 1]!),
      entryTimeS: asNumber(items[at + 2]!),
      leaveTimeS: asNumber(items[at + 3]!),
      typeId: asString(items[at + 4]!),
    };
  });
}

function describe(value: TraciValue): string {
  return JSON.stringify(value)?.slice(0, 80) ?? String(value);
}
