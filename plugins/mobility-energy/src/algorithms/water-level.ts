/**
 * Max-min fair sharing with floors and caps ("water filling"): the level L at which
 * sum_i clamp(L, floor_i, cap_i) = capacity. Each share is then clamp(L, floor_i, cap_i): everyone
 * gets the same amount unless held up by a floor or down by a cap, which is the max-min fair
 * allocation of one resource (Bertsekas & Gallager, Data Networks, 2nd ed., section 6.5.2).
 *
 * `members` selects the entries of `floors` and `caps` that share the resource. The floors must
 * fit (their sum <= capacity, which admission ensures); then the level is the smallest L that
 * fills the capacity, or +Infinity when every cap fits and nothing binds.
 */
export function waterLevel(floors: ArrayLike<number>, caps: ArrayLike<number>, members: ArrayLike<number>, capacity: number, scratch: LevelScratch = new LevelScratch(members.length)): number {
  const n = members.length;
  let capSum = 0;
  for (let k = 0; k < n; k++) capSum += caps[members[k]!]!;
  if (capSum <= capacity) return Number.POSITIVE_INFINITY;

  // g(L) = sum clamp(L, f, c) rises with slope #{f < L < c}; walk the sorted breakpoints from the
  // lowest floor, where g = sum of floors, until g reaches the capacity.
  const sortedFloors = scratch.floors(n);
  const sortedCaps = scratch.caps(n);
  let g = 0;
  for (let k = 0; k < n; k++) {
    const i = members[k]!;
    sortedFloors[k] = floors[i]!;
    sortedCaps[k] = caps[i]!;
    g += floors[i]!;
  }
  sortedFloors.sort();
  sortedCaps.sort();
  let level = sortedFloors[0]!;
  let slope = 0;
  let f = 0;
  let c = 0;
  for (;;) {
    // Next breakpoint: a floor where a member starts rising, or a cap where one stops.
    const nextFloor = f < n ? sortedFloors[f]! : Number.POSITIVE_INFINITY;
    const nextCap = c < n ? sortedCaps[c]! : Number.POSITIVE_INFINITY;
    const next = Math.min(nextFloor, nextCap);
    if (slope > 0 && g + slope * (next - level) >= capacity) return level + (capacity - g) / slope;
    g += slope * (next - level);
    level = next;
    // At a shared breakpoint, caps leave before floors join (a member with floor = cap never rises).
    if (nextCap <= nextFloor) {
      c++;
      slope--;
    } else {
      f++;
      slope++;
    }
    if (c === n) return level; // every member at its cap: only reachable when capSum > capacity through rounding
  }
}

/** Reusable sort buffers, so a cycle over thousands of feeders allocates nothing per feeder. */
export class LevelScratch {
  private floorBuffer: Float64Array;
  private capBuffer: Float64Array;

  constructor(size = 16) {
    this.floorBuffer = new Float64Array(Math.max(1, size));
    this.capBuffer = new Float64Array(Math.max(1, size));
  }

  floors(n: number): Float64Array {
    if (this.floorBuffer.length < n) this.floorBuffer = new Float64Array(n * 2);
    return this.floorBuffer.subarray(0, n);
  }

  caps(n: number): Float64Array {
    if (this.capBuffer.length < n) this.capBuffer = new Float64Array(n * 2);
    return this.capBuffer.subarray(0, n);
  }
}

/** clamp(level, floor, cap): a member's share at a water level. */
export function shareAt(level: number, floor: number, cap: number): number {
  return level <= floor ? floor : level >= cap ? cap : level;
}
