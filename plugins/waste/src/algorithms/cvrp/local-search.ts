import type { SeededRandom } from './random.js';
import { RouteCollecting, RouteCosting } from './route-set.js';
import type { RouteEmitter, RouteSet } from './route-set.js';

/** A move must gain more than this to be taken: float noise never cycles the search. */
const MIN_GAIN = 1e-7;
/** Longest stretch that relocate, or-opt and cross-exchange move at once. */
const MAX_STRETCH = 3;

// Move kinds. Each makes customer u drive straight to customer v (a granular neighbourhood: v is
// one of u's nearest), which is where good moves are (Toth and Vigo's granular tabu search).
// A is u's route, B is v's; positions iu, iv; lengths ka, kb; stretch lengths l1, l2.
const RELOCATE_AFTER_U = 0; // B[iv..iv+l1-1] after u: relocate (l1 = 1) and or-opt
const RELOCATE_BEFORE_V = 1; // A[iu-l1+1..iu] before v
const RELOCATE_REVERSED = 2; // A[iu..iu+l1-1] reversed, before v
const CROSS_EXCHANGE = 3; // A[iu+1..iu+l1] and B[iv..iv+l2-1] trade places (l1 = l2 = 1: swap)
const TWO_OPT_STAR = 4; // the routes trade tails: A[1..iu] + B[iv..], B[1..iv-1] + A[iu+1..]
const TWO_OPT_STAR_REVERSED = 5; // A[1..iu] + reversed B[1..iv], reversed A[iu+1..] + B[iv+1..]
const TWO_OPT = 6; // within one route: reverse the stretch between u and v
const INTRA_RELOCATE_AFTER_U = 7;
const INTRA_RELOCATE_BEFORE_V = 8;
const INTRA_RELOCATE_REVERSED = 9;
const TO_EMPTY = 10; // u alone into an unused vehicle
const TAIL_TO_EMPTY = 11; // u and the rest of its route into an unused vehicle

/**
 * Local search to a local optimum over relocate, or-opt (stretches of up to three, either way
 * round), swap, cross-exchange, 2-opt within a route and 2-opt* between routes (both variants),
 * restricted to moves that join a customer to one of its nearest neighbours. Capacity and route
 * duration are hard limits: no move breaks them. First improvement; the order of customers is
 * shuffled by the seeded generator, so the search is deterministic for a seed.
 *
 * Pairs whose routes have not changed since the pair was last tested are skipped (as in Vidal's
 * HGS-CVRP), so after a perturbation only the region it touched is searched again.
 */
export class LocalSearch {
  readonly #set: RouteSet;
  readonly #random: SeededRandom;
  readonly #costing: RouteCosting;
  readonly #collecting: RouteCollecting;
  readonly #order: number[];
  readonly #routeStamp: Int32Array;
  readonly #testedAt: Int32Array;
  readonly #emptyOfClass: Int32Array;
  #clock = 1;
  /** Whether a sweep over the customers is under way, where it is, and whether it gained. */
  #sweeping = false;
  #cursor = 0;
  #improvedInSweep = false;
  /** Moves applied since construction, for statistics. */
  moves = 0;

  // The move under evaluation.
  #u = 0;
  #a = 0;
  #b = 0;
  #iu = 0;
  #iv = 0;
  #ka = 0;
  #kb = 0;
  #l1 = 0;
  #l2 = 0;

  constructor(set: RouteSet, random: SeededRandom) {
    this.#set = set;
    this.#random = random;
    this.#costing = new RouteCosting(set);
    this.#collecting = new RouteCollecting(set);
    this.#order = Array.from({ length: set.problem.n }, (_, c) => c);
    this.#routeStamp = new Int32Array(set.routes.length);
    this.#testedAt = new Int32Array(set.problem.n);
    this.#emptyOfClass = new Int32Array(set.problem.classCount);
  }

  /** Marks a route as changed from outside (a perturbation), so its pairs are tested again. */
  touch(vehicle: number): void {
    this.#routeStamp[vehicle] = ++this.#clock;
  }

  /** Marks every route changed: the next run tests every pair. */
  touchAll(): void {
    this.#clock++;
    this.#routeStamp.fill(this.#clock);
  }

  /**
   * Improves the routes in place until no move gains, and returns true; or stops once `now()`
   * passes `deadline` and returns false, every route still feasible. The next call goes on where
   * this one stopped, in the same order, so where the deadlines fall never changes the result.
   */
  run(deadline = Infinity, now: () => number = () => performance.now()): boolean {
    const set = this.#set;
    const problem = set.problem;
    const order = this.#order;
    this.#findEmptyVehicles();
    let progressed = false;
    for (;;) {
      if (!this.#sweeping) {
        this.#random.shuffle(order);
        this.#sweeping = true;
        this.#improvedInSweep = false;
      }
      while (this.#cursor < order.length) {
        // Every call takes at least one customer, however short its slice: it always makes progress.
        if (progressed && deadline !== Infinity && now() >= deadline) return false;
        progressed = true;
        const u = order[this.#cursor++]!;
        if (set.routeOf[u] === -1) continue;
        const lastTested = this.#testedAt[u]!;
        this.#testedAt[u] = this.#clock;
        const neighbours = problem.neighbours[u]!;
        for (let k = 0; k < neighbours.length; k++) {
          const v = neighbours[k]!;
          const rv = set.routeOf[v]!;
          const ru = set.routeOf[u]!;
          if (rv === -1) continue;
          if (Math.max(this.#routeStamp[ru]!, this.#routeStamp[rv]!) <= lastTested) continue;
          if (this.#tryPair(u, v)) this.#improvedInSweep = true;
        }
        if (set.routeOf[u] !== -1 && this.#routeStamp[set.routeOf[u]!]! > lastTested && this.#tryEmpty(u)) this.#improvedInSweep = true;
      }
      this.#cursor = 0;
      this.#sweeping = false;
      if (!this.#improvedInSweep) return true;
    }
  }

  #findEmptyVehicles(): void {
    const set = this.#set;
    this.#emptyOfClass.fill(-1);
    const classes = set.problem.vehicleClass;
    for (let vehicle = 0; vehicle < set.routes.length; vehicle++) {
      if (set.routes[vehicle]!.length === 0 && this.#emptyOfClass[classes[vehicle]!] === -1) this.#emptyOfClass[classes[vehicle]!] = vehicle;
    }
  }

  #load(u: number, v: number): void {
    const set = this.#set;
    this.#u = u;
    this.#a = set.routeOf[u]!;
    this.#b = set.routeOf[v]!;
    this.#iu = set.positionOf[u]!;
    this.#iv = set.positionOf[v]!;
    this.#ka = set.routes[this.#a]!.length;
    this.#kb = set.routes[this.#b]!.length;
  }

  /** Tries every move that makes u drive to v; applies the first that gains. */
  #tryPair(u: number, v: number): boolean {
    this.#load(u, v);
    const iu = this.#iu;
    const iv = this.#iv;
    const ka = this.#ka;
    const kb = this.#kb;
    if (this.#a !== this.#b) {
      for (let l = 1; l <= MAX_STRETCH; l++) {
        if (iv + l - 1 <= kb && this.#attempt(RELOCATE_AFTER_U, l, 0)) return true;
        if (iu - l + 1 >= 1 && this.#attempt(RELOCATE_BEFORE_V, l, 0)) return true;
        if (l >= 2 && iu + l - 1 <= ka && this.#attempt(RELOCATE_REVERSED, l, 0)) return true;
      }
      for (let l1 = 1; l1 <= MAX_STRETCH && iu + l1 <= ka; l1++) {
        for (let l2 = 1; l2 <= MAX_STRETCH && iv + l2 - 1 <= kb; l2++) {
          if (this.#attempt(CROSS_EXCHANGE, l1, l2)) return true;
        }
      }
      return this.#attempt(TWO_OPT_STAR, 0, 0) || this.#attempt(TWO_OPT_STAR_REVERSED, 0, 0);
    }
    if ((iu < iv - 1 || iv < iu) && this.#attempt(TWO_OPT, 0, 0)) return true;
    for (let l = 1; l <= MAX_STRETCH; l++) {
      if (((iu < iv - 1 && iv + l - 1 <= ka) || iu > iv + l - 1) && this.#attempt(INTRA_RELOCATE_AFTER_U, l, 0)) return true;
      if (l <= iu && (iv > iu + 1 || iv < iu - l + 1) && this.#attempt(INTRA_RELOCATE_BEFORE_V, l, 0)) return true;
      if (l >= 2 && iu + l - 1 <= ka && (iv > iu + l - 1 || iv < iu) && this.#attempt(INTRA_RELOCATE_REVERSED, l, 0)) return true;
    }
    return false;
  }

  /** Moves u, or u and the rest of its route, into an unused vehicle of each kind. */
  #tryEmpty(u: number): boolean {
    for (let c = 0; c < this.#emptyOfClass.length; c++) {
      const empty = this.#emptyOfClass[c]!;
      if (empty === -1) continue;
      this.#load(u, u);
      this.#b = empty;
      this.#kb = 0;
      // A whole route may move too: the empty vehicle may start from a nearer depot.
      if (this.#attempt(TO_EMPTY, 0, 0) || this.#attempt(TAIL_TO_EMPTY, 0, 0)) return true;
    }
    return false;
  }

  /** Costs a move and applies it if it gains. */
  #attempt(kind: number, l1: number, l2: number): boolean {
    this.#l1 = l1;
    this.#l2 = l2;
    const set = this.#set;
    const a = this.#a;
    const b = this.#b;
    const twoRoutes = kind < TWO_OPT || kind >= TO_EMPTY;
    const newA = this.#emit(this.#costing, kind, 0);
    if (newA === Infinity) return false;
    const before = twoRoutes ? set.cost[a]! + set.cost[b]! : set.cost[a]!;
    // Costs are never negative: if the first route alone costs as much as both did, no gain is possible.
    // A gain must be proven: written as `!(gain > MIN_GAIN)`, Infinity minus Infinity (NaN) is no gain.
    if (!(before - newA > MIN_GAIN)) return false;
    const newB = twoRoutes ? this.#emit(this.#costing, kind, 1) : 0;
    if (!(before - newA - newB > MIN_GAIN)) return false;

    this.#emit(this.#collecting, kind, 0);
    const routeA = this.#collecting.take();
    let routeB: number[] = [];
    if (twoRoutes) {
      this.#emit(this.#collecting, kind, 1);
      routeB = this.#collecting.take();
    }
    set.setRoute(a, routeA);
    if (twoRoutes) set.setRoute(b, routeB);
    this.#routeStamp[a] = ++this.#clock;
    if (twoRoutes) this.#routeStamp[b] = this.#clock;
    this.moves++;
    if (twoRoutes && (routeA.length === 0 || routeB.length === 0 || kind >= TO_EMPTY)) this.#findEmptyVehicles();
    return true;
  }

  /** Emits route A (part 0) or route B (part 1) of the move as pieces of the current routes. */
  #emit(e: RouteEmitter, kind: number, part: number): number {
    const a = this.#a;
    const b = this.#b;
    const iu = this.#iu;
    const iv = this.#iv;
    const ka = this.#ka;
    const kb = this.#kb;
    const l1 = this.#l1;
    const l2 = this.#l2;
    switch (kind) {
      case RELOCATE_AFTER_U:
        if (part === 0) {
          e.start(a);
          e.stretch(a, 1, iu);
          e.stretch(b, iv, iv + l1 - 1);
          e.stretch(a, iu + 1, ka);
        } else {
          e.start(b);
          e.stretch(b, 1, iv - 1);
          e.stretch(b, iv + l1, kb);
        }
        break;
      case RELOCATE_BEFORE_V:
        if (part === 0) {
          e.start(a);
          e.stretch(a, 1, iu - l1);
          e.stretch(a, iu + 1, ka);
        } else {
          e.start(b);
          e.stretch(b, 1, iv - 1);
          e.stretch(a, iu - l1 + 1, iu);
          e.stretch(b, iv, kb);
        }
        break;
      case RELOCATE_REVERSED:
        if (part === 0) {
          e.start(a);
          e.stretch(a, 1, iu - 1);
          e.stretch(a, iu + l1, ka);
        } else {
          e.start(b);
          e.stretch(b, 1, iv - 1);
          e.reversed(a, iu, iu + l1 - 1);
          e.stretch(b, iv, kb);
        }
        break;
      case CROSS_EXCHANGE:
        if (part === 0) {
          e.start(a);
          e.stretch(a, 1, iu);
          e.stretch(b, iv, iv + l2 - 1);
          e.stretch(a, iu + l1 + 1, ka);
        } else {
          e.start(b);
          e.stretch(b, 1, iv - 1);
          e.stretch(a, iu + 1, iu + l1);
          e.stretch(b, iv + l2, kb);
        }
        break;
      case TWO_OPT_STAR:
        if (part === 0) {
          e.start(a);
          e.stretch(a, 1, iu);
          e.stretch(b, iv, kb);
        } else {
          e.start(b);
          e.stretch(b, 1, iv - 1);
          e.stretch(a, iu + 1, ka);
        }
        break;
      case TWO_OPT_STAR_REVERSED:
        if (part === 0) {
          e.start(a);
          e.stretch(a, 1, iu);
          e.reversed(b, 1, iv);
        } else {
          e.start(b);
          e.reversed(a, iu + 1, ka);
          e.stretch(b, iv + 1, kb);
        }
        break;
      case TWO_OPT:
        e.start(a);
        if (iu < iv) {
          e.stretch(a, 1, iu);
          e.reversed(a, iu + 1, iv);
          e.stretch(a, iv + 1, ka);
        } else {
          e.stretch(a, 1, iv - 1);
          e.reversed(a, iv, iu);
          e.stretch(a, iu + 1, ka);
        }
        break;
      case INTRA_RELOCATE_AFTER_U:
        e.start(a);
        if (iu < iv) {
          e.stretch(a, 1, iu);
          e.stretch(a, iv, iv + l1 - 1);
          e.stretch(a, iu + 1, iv - 1);
          e.stretch(a, iv + l1, ka);
        } else {
          e.stretch(a, 1, iv - 1);
          e.stretch(a, iv + l1, iu);
          e.stretch(a, iv, iv + l1 - 1);
          e.stretch(a, iu + 1, ka);
        }
        break;
      case INTRA_RELOCATE_BEFORE_V:
        e.start(a);
        if (iv > iu) {
          e.stretch(a, 1, iu - l1);
          e.stretch(a, iu + 1, iv - 1);
          e.stretch(a, iu - l1 + 1, iu);
          e.stretch(a, iv, ka);
        } else {
          e.stretch(a, 1, iv - 1);
          e.stretch(a, iu - l1 + 1, iu);
          e.stretch(a, iv, iu - l1);
          e.stretch(a, iu + 1, ka);
        }
        break;
      case INTRA_RELOCATE_REVERSED:
        e.start(a);
        if (iv > iu) {
          e.stretch(a, 1, iu - 1);
          e.stretch(a, iu + l1, iv - 1);
          e.reversed(a, iu, iu + l1 - 1);
          e.stretch(a, iv, ka);
        } else {
          e.stretch(a, 1, iv - 1);
          e.reversed(a, iu, iu + l1 - 1);
          e.stretch(a, iv, iu - 1);
          e.stretch(a, iu + l1, ka);
        }
        break;
      case TO_EMPTY:
        if (part === 0) {
          e.start(a);
          e.stretch(a, 1, iu - 1);
          e.stretch(a, iu + 1, ka);
        } else {
          e.start(b);
          e.customer(this.#u);
        }
        break;
      case TAIL_TO_EMPTY:
        if (part === 0) {
          e.start(a);
          e.stretch(a, 1, iu - 1);
        } else {
          e.start(b);
          e.stretch(a, iu, ka);
        }
        break;
    }
    return e.finish();
  }
}
