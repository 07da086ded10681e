import type { IntersectionSpec, PhaseSpec, RoadNetworkSpec } from './road-network.js';

/** A movement through a junction, as the angles (radians) of its entry and exit points on a circle around the node. */
interface Movement {
  readonly approach: string;
  readonly entry: number;
  readonly exit: number;
}

/** Half the angle between a road's two directions on the circle around the node (right-hand traffic). */
const SIDE = 0.1;

/**
 * Merges an intersection's phases whose movements never conflict into one phase, as
 * netconvert's programs do: a corner of the grid (two approaches, each only turning into the
 * other's road) runs all green and needs no cycle at all, where a two-phase program spends each
 * phase's clearance and makes every vehicle wait through the other phase's green for nothing.
 *
 * Conflicts are read from the geometry, the topological way: around the node each road has an
 * entry point (traffic arriving, on its right, so counter-clockwise of the road's bearing) and an
 * exit point (clockwise of it); a movement is the chord from its approach's entry to its exit
 * road's exit, for every exit but the U-turn. Two movements from different approaches conflict
 * when their chords cross (their end points interleave on the circle) or they share an exit (they
 * merge). Phases are merged greedily in their order; the merged phase is named by its parts'
 * ids joined with `+`, serves all their links, and keeps the longest min green, yellow, all-red
 * and pedestrian clearance of its parts.
 */
export function mergeCompatiblePhases(intersection: IntersectionSpec, network: Pick<RoadNetworkSpec, 'nodes' | 'links'>): IntersectionSpec {
  const movements = movementsAt(intersection.node, network);
  const groups: PhaseSpec[][] = [];
  for (const phase of intersection.phases) {
    const group = groups.find((candidate) => candidate.every((other) => compatible(phase, other, movements)));
    if (group === undefined) groups.push([phase]);
    else group.push(phase);
  }
  if (groups.length === intersection.phases.length) return intersection;
  return { ...intersection, phases: groups.map((group) => (group.length === 1 ? group[0]! : mergePhases(group))) };
}

function compatible(a: PhaseSpec, b: PhaseSpec, movements: readonly Movement[]): boolean {
  const of = (phase: PhaseSpec) => movements.filter((movement) => phase.links.includes(movement.approach));
  const bMovements = of(b);
  return of(a).every((one) => bMovements.every((other) => one.approach === other.approach || !conflict(one, other)));
}

function conflict(a: Movement, b: Movement): boolean {
  if (a.exit === b.exit) return true;
  const inside = (angle: number) => ccw(a.entry, angle) < ccw(a.entry, a.exit);
  return inside(b.entry) !== inside(b.exit);
}

/** The counter-clockwise angle from `from` to `to`, in [0, 2π). */
function ccw(from: number, to: number): number {
  const turn = (to - from) % (2 * Math.PI);
  return turn < 0 ? turn + 2 * Math.PI : turn;
}

function movementsAt(nodeId: string, network: Pick<RoadNetworkSpec, 'nodes' | 'links'>): Movement[] {
  const nodes = new Map(network.nodes.map((node) => [node.id, node]));
  const here = nodes.get(nodeId)!;
  const cosLat = Math.cos((here.lat * Math.PI) / 180);
  const bearing = (otherId: string) => {
    const other = nodes.get(otherId)!;
    return Math.atan2(other.lat - here.lat, (other.lon - here.lon) * cosLat);
  };
  const approaches = network.links.filter((link) => link.to === nodeId);
  const exits = network.links.filter((link) => link.from === nodeId);
  return approaches.flatMap((approach) =>
    exits.filter((exit) => exit.to !== approach.from).map((exit) => ({ approach: approach.id, entry: bearing(approach.from) + SIDE, exit: bearing(exit.to) - SIDE })),
  );
}

function mergePhases(group: readonly PhaseSpec[]): PhaseSpec {
  const longest = (value: (phase: PhaseSpec) => number | undefined) => Math.max(...group.map((phase) => value(phase) ?? 0));
  const pedestrian = group.some((phase) => phase.pedestrianClearanceS !== undefined) ? { pedestrianClearanceS: longest((phase) => phase.pedestrianClearanceS) } : {};
  const saturation = group.some((phase) => phase.saturationFlowVphPerLane !== undefined) ? { saturationFlowVphPerLane: Math.min(...group.map((phase) => phase.saturationFlowVphPerLane ?? Infinity)) } : {};
  return {
    id: group.map((phase) => phase.id).join('+'),
    links: group.flatMap((phase) => phase.links),
    minGreenS: longest((phase) => phase.minGreenS),
    yellowS: longest((phase) => phase.yellowS),
    allRedS: longest((phase) => phase.allRedS),
    ...saturation,
    ...pedestrian,
  };
}
