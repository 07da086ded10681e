/** Residual capacity below this is empty: capacities are real numbers (kWh), not integers. */
const FLOW_EPSILON = 1e-9;

/**
 * Minimum-cost flow by successive shortest paths with Johnson potentials (Ahuja, Magnanti &
 * Orlin, Network Flows, 1993, section 9.7): each round sends flow along a cheapest source-sink
 * path found by Dijkstra on reduced costs, which stay non-negative, so every path is optimal for
 * the flow sent so far. Costs must be non-negative; capacities may be fractional.
 *
 * Dijkstra here scans an array for the nearest node (O(V^2) a round) instead of using a heap:
 * the graphs it is for (a depot's buses and a day's slots) have a few hundred nodes and are
 * dense, where the scan is as fast and simpler.
 */
export class MinCostFlow {
  private readonly head: number[];
  private readonly to: number[] = [];
  private readonly next: number[] = [];
  private readonly capacity: number[] = [];
  private readonly cost: number[] = [];
  private readonly original: number[] = [];

  constructor(readonly nodes: number) {
    this.head = new Array<number>(nodes).fill(-1);
  }

  /** Adds an arc and returns its id, for reading its flow afterwards. */
  addArc(from: number, to: number, capacity: number, cost: number): number {
    if (!(cost >= 0)) throw new RangeError(`arc costs must be >= 0, got ${cost}`);
    if (!(capacity >= 0)) throw new RangeError(`arc capacities must be >= 0, got ${capacity}`);
    const id = this.to.length;
    this.push(from, to, capacity, cost);
    this.push(to, from, 0, -cost);
    this.original.push(capacity, 0);
    return id;
  }

  /** Flow on an arc after {@link solve}. */
  flowOn(arc: number): number {
    return this.original[arc]! - this.capacity[arc]!;
  }

  /** Sends up to `amount` from `source` to `sink` at least cost; returns what was sent and its cost. */
  solve(source: number, sink: number, amount: number): { readonly flow: number; readonly cost: number } {
    const n = this.nodes;
    const potential = new Float64Array(n);
    const distance = new Float64Array(n);
    const viaArc = new Int32Array(n);
    const done = new Uint8Array(n);
    let flow = 0;
    let total = 0;
    while (amount - flow > FLOW_EPSILON) {
      distance.fill(Number.POSITIVE_INFINITY);
      viaArc.fill(-1);
      distance[source] = 0;
      done.fill(0);
      for (;;) {
        let u = -1;
        for (let v = 0; v < n; v++) if (!done[v] && distance[v]! < Number.POSITIVE_INFINITY && (u < 0 || distance[v]! < distance[u]!)) u = v;
        if (u < 0) break;
        done[u] = 1;
        for (let arc = this.head[u]!; arc >= 0; arc = this.next[arc]!) {
          if (this.capacity[arc]! <= FLOW_EPSILON) continue;
          const v = this.to[arc]!;
          if (done[v]) continue;
          const reduced = this.cost[arc]! + potential[u]! - potential[v]!;
          const through = distance[u]! + Math.max(0, reduced); // rounding can make a zero reduced cost -1e-12
          if (through < distance[v]!) {
            distance[v] = through;
            viaArc[v] = arc;
          }
        }
      }
      if (distance[sink] === Number.POSITIVE_INFINITY) break;
      // Capping at the sink's distance keeps every residual reduced cost >= 0, reached or not.
      const toSink = distance[sink]!;
      for (let v = 0; v < n; v++) potential[v]! += Math.min(distance[v]!, toSink);
      let push = amount - flow;
      for (let v = sink; v !== source; v = this.to[viaArc[v]! ^ 1]!) push = Math.min(push, this.capacity[viaArc[v]!]!);
      for (let v = sink; v !== source; v = this.to[viaArc[v]! ^ 1]!) {
        const arc = viaArc[v]!;
        this.capacity[arc]! -= push;
        this.capacity[arc ^ 1]! += push;
        total += push * this.cost[arc]!;
      }
      flow += push;
    }
    return { flow, cost: total };
  }

  private push(from: number, to: number, capacity: number, cost: number): void {
    this.to.push(to);
    this.capacity.push(capacity);
    this.cost.push(cost);
    this.next.push(this.head[from]!);
    this.head[from] = this.to.length - 1;
  }
}
