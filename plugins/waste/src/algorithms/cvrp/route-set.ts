import type { CompiledProblem } from './compiled-problem.js';

/** Float slack for comparing loads and durations against their limits. */
const EPSILON = 1e-9;

/**
 * Where a candidate route's pieces go. A move describes the routes it would make as pieces of the
 * current routes (a forward or reversed stretch of positions, or one customer); the same
 * description is costed by {@link RouteCosting} and, when the move is taken, collected into the
 * new customer lists by {@link RouteCollecting}. So every move is written once.
 */
export interface RouteEmitter {
  /** Starts the route of `vehicle`, at its depot. */
  start(vehicle: number): void;
  /** Positions `from..to` (1-based, inclusive) of `route`, in order; nothing when `from > to`. */
  stretch(route: number, from: number, to: number): void;
  /** Positions `from..to` of `route`, driven backwards (`to` first). */
  reversed(route: number, from: number, to: number): void;
  /** One customer. */
  customer(customer: number): void;
  /** Back at the depot: the route's cost (Infinity when it breaks its vehicle's limits), or 0 for a collector. */
  finish(): number;
}

/**
 * The routes of a solution, one per vehicle (possibly empty), with the prefix sums that make a move
 * cost O(pieces): cost forwards and backwards, load and service time from the depot to each position.
 * Positions are 1-based: 0 is the depot at the start and `length + 1` the depot at the end.
 */
export class RouteSet {
  readonly problem: CompiledProblem;
  readonly routes: number[][];
  /** The vehicle serving each customer, or -1 when it is unassigned. */
  readonly routeOf: Int32Array;
  /** Each assigned customer's position in its route (1-based). */
  readonly positionOf: Int32Array;
  readonly load: Float64Array;
  /** Driving cost of each route (depot to depot). */
  readonly cost: Float64Array;
  readonly serviceTime: Float64Array;
  /** Prefix sums over positions 0..length+1 of each route. */
  readonly forward: Float64Array[];
  readonly backward: Float64Array[];
  readonly loadTo: Float64Array[];
  readonly serviceTo: Float64Array[];
  unassignedCount: number;
  /** Routes as they were before the first change since `beginJournal`, for `rollback`. */
  readonly #saved: (number[] | undefined)[];
  readonly #journaled: number[] = [];
  #journaling = false;

  constructor(problem: CompiledProblem) {
    this.problem = problem;
    const vehicles = problem.vehicleDepot.length;
    this.routes = Array.from({ length: vehicles }, () => []);
    this.routeOf = new Int32Array(problem.n).fill(-1);
    this.positionOf = new Int32Array(problem.n);
    this.load = new Float64Array(vehicles);
    this.cost = new Float64Array(vehicles);
    this.serviceTime = new Float64Array(vehicles);
    const prefix = () => Array.from({ length: vehicles }, () => new Float64Array(problem.n + 2));
    this.forward = prefix();
    this.backward = prefix();
    this.loadTo = prefix();
    this.serviceTo = prefix();
    this.unassignedCount = problem.n;
    this.#saved = new Array<number[] | undefined>(vehicles);
  }

  /** Starts remembering changed routes: a rejected search step is undone by `rollback`, in time proportional to what it changed. */
  beginJournal(): void {
    this.commit();
    this.#journaling = true;
  }

  /** Keeps the changes made since `beginJournal`. */
  commit(): void {
    for (const vehicle of this.#journaled) this.#saved[vehicle] = undefined;
    this.#journaled.length = 0;
    this.#journaling = false;
  }

  /** Restores every route changed since `beginJournal`; returns the vehicles restored. */
  rollback(): readonly number[] {
    this.#journaling = false;
    const restored = this.#journaled.slice();
    for (const vehicle of restored) this.setRoute(vehicle, this.#saved[vehicle]!);
    this.commit();
    this.recountUnassigned();
    return restored;
  }

  /** The node at a position of a route: the vehicle's depot at both ends. */
  nodeAt(vehicle: number, position: number): number {
    const route = this.routes[vehicle]!;
    return position === 0 || position === route.length + 1 ? this.problem.vehicleDepot[vehicle]! : route[position - 1]!;
  }

  totalCost(): number {
    let total = 0;
    for (let v = 0; v < this.cost.length; v++) total += this.cost[v]!;
    return total;
  }

  /** Replaces a vehicle's route and refreshes its sums; the caller keeps every customer in exactly one place. */
  setRoute(vehicle: number, customers: number[]): void {
    const { problem } = this;
    const old = this.routes[vehicle]!;
    // Routes are replaced, never edited in place, so the old array is the saved copy.
    if (this.#journaling && this.#saved[vehicle] === undefined) {
      this.#saved[vehicle] = old;
      this.#journaled.push(vehicle);
    }
    for (const customer of old) if (this.routeOf[customer] === vehicle) this.routeOf[customer] = -1;
    this.routes[vehicle] = customers;
    const forward = this.forward[vehicle]!;
    const backward = this.backward[vehicle]!;
    const loadTo = this.loadTo[vehicle]!;
    const serviceTo = this.serviceTo[vehicle]!;
    const depot = problem.vehicleDepot[vehicle]!;
    const size = problem.size;
    let previous = depot;
    forward[0] = 0;
    backward[0] = 0;
    loadTo[0] = 0;
    serviceTo[0] = 0;
    for (let i = 0; i < customers.length; i++) {
      const customer = customers[i]!;
      const position = i + 1;
      forward[position] = forward[i]! + problem.cost[previous * size + customer]!;
      backward[position] = backward[i]! + problem.cost[customer * size + previous]!;
      loadTo[position] = loadTo[i]! + problem.demand[customer]!;
      serviceTo[position] = serviceTo[i]! + problem.service[customer]!;
      this.routeOf[customer] = vehicle;
      this.positionOf[customer] = position;
      previous = customer;
    }
    const end = customers.length + 1;
    forward[end] = forward[end - 1]! + problem.cost[previous * size + depot]!;
    backward[end] = backward[end - 1]! + problem.cost[depot * size + previous]!;
    loadTo[end] = loadTo[end - 1]!;
    serviceTo[end] = serviceTo[end - 1]!;
    this.cost[vehicle] = customers.length === 0 ? 0 : forward[end]!;
    this.load[vehicle] = loadTo[end]!;
    this.serviceTime[vehicle] = serviceTo[end]!;
  }

  /** Recounts unassigned customers after routes were set. */
  recountUnassigned(): void {
    let count = 0;
    for (let c = 0; c < this.routeOf.length; c++) if (this.routeOf[c] === -1) count++;
    this.unassignedCount = count;
  }

  /** Whether a route with this driving cost, load and service time fits the vehicle. */
  fits(vehicle: number, cost: number, load: number, serviceTime: number): boolean {
    return load <= this.problem.vehicleCapacity[vehicle]! + EPSILON && cost + serviceTime <= this.problem.vehicleMaxDuration[vehicle]! + EPSILON;
  }

  /** A deep copy of the routes, for keeping the best solution. */
  snapshot(): number[][] {
    return this.routes.map((route) => route.slice());
  }

  /** Installs routes from a snapshot. */
  restore(routes: readonly (readonly number[])[]): void {
    routes.forEach((route, vehicle) => this.setRoute(vehicle, route.slice()));
    this.recountUnassigned();
  }
}

/** Costs a candidate route from its pieces, without building it. Hot: it holds its arrays directly. */
export class RouteCosting implements RouteEmitter {
  readonly #set: RouteSet;
  readonly #routes: number[][];
  readonly #cost: Float64Array;
  readonly #size: number;
  readonly #demand: Float64Array;
  readonly #service: Float64Array;
  readonly #depot: Int32Array;
  readonly #forward: Float64Array[];
  readonly #backward: Float64Array[];
  readonly #loadTo: Float64Array[];
  readonly #serviceTo: Float64Array[];
  #vehicle = 0;
  #last = 0;
  #total = 0;
  #load = 0;
  #serviceSum = 0;

  constructor(set: RouteSet) {
    const problem = set.problem;
    this.#set = set;
    this.#routes = set.routes;
    this.#cost = problem.cost;
    this.#size = problem.size;
    this.#demand = problem.demand;
    this.#service = problem.service;
    this.#depot = problem.vehicleDepot;
    this.#forward = set.forward;
    this.#backward = set.backward;
    this.#loadTo = set.loadTo;
    this.#serviceTo = set.serviceTo;
  }

  start(vehicle: number): void {
    this.#vehicle = vehicle;
    this.#last = this.#depot[vehicle]!;
    this.#total = 0;
    this.#load = 0;
    this.#serviceSum = 0;
  }

  stretch(route: number, from: number, to: number): void {
    if (from > to) return;
    const customers = this.#routes[route]!;
    const forward = this.#forward[route]!;
    this.#total += this.#cost[this.#last * this.#size + customers[from - 1]!]! + forward[to]! - forward[from]!;
    this.#addLoad(route, from, to);
    this.#last = customers[to - 1]!;
  }

  reversed(route: number, from: number, to: number): void {
    if (from > to) return;
    const customers = this.#routes[route]!;
    const backward = this.#backward[route]!;
    this.#total += this.#cost[this.#last * this.#size + customers[to - 1]!]! + backward[to]! - backward[from]!;
    this.#addLoad(route, from, to);
    this.#last = customers[from - 1]!;
  }

  #addLoad(route: number, from: number, to: number): void {
    const loadTo = this.#loadTo[route]!;
    const serviceTo = this.#serviceTo[route]!;
    this.#load += loadTo[to]! - loadTo[from - 1]!;
    this.#serviceSum += serviceTo[to]! - serviceTo[from - 1]!;
  }

  customer(customer: number): void {
    this.#total += this.#cost[this.#last * this.#size + customer]!;
    this.#load += this.#demand[customer]!;
    this.#serviceSum += this.#service[customer]!;
    this.#last = customer;
  }

  finish(): number {
    const depot = this.#depot[this.#vehicle]!;
    // An empty route costs nothing: the vehicle stays at its depot.
    const cost = this.#last === depot ? 0 : this.#total + this.#cost[this.#last * this.#size + depot]!;
    return this.#set.fits(this.#vehicle, cost, this.#load, this.#serviceSum) ? cost : Infinity;
  }
}

/** Builds the customer list of a candidate route from the same pieces {@link RouteCosting} costed. */
export class RouteCollecting implements RouteEmitter {
  readonly #set: RouteSet;
  #customers: number[] = [];

  constructor(set: RouteSet) {
    this.#set = set;
  }

  start(): void {
    this.#customers = [];
  }

  stretch(route: number, from: number, to: number): void {
    const customers = this.#set.routes[route]!;
    for (let p = from; p <= to; p++) this.#customers.push(customers[p - 1]!);
  }

  reversed(route: number, from: number, to: number): void {
    const customers = this.#set.routes[route]!;
    for (let p = to; p >= from; p--) this.#customers.push(customers[p - 1]!);
  }

  customer(customer: number): void {
    this.#customers.push(customer);
  }

  finish(): number {
    return 0;
  }

  /** The list built since the last `start`. */
  take(): number[] {
    return this.#customers;
  }
}
