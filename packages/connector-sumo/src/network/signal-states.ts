/** A connection netconvert made through a signalised junction (the attributes the bridge needs). */
export interface NetConnection {
  readonly from: string;
  readonly to: string;
  readonly fromLane: number;
  readonly tl: string;
  /** The connection's index in the traffic light's state string. */
  readonly linkIndex: number;
  /** s straight, r right, l left, t turnaround, R/L partial right/left. */
  readonly dir: string;
}

/** What a SUMO traffic light shows during one Polis phase's intervals. */
export interface PhaseStates {
  readonly green: string;
  readonly yellow: string;
  readonly allRed: string;
}

/**
 * The state strings for each phase of an intersection: during a phase's green every connection
 * from one of its approach links is green, others red; a left turn across a through movement
 * that is green at the same time gets a minor green (`g`: it yields, as netconvert's own programs
 * have it), everything else a major green (`G`). Yellow shows `y` where the green was.
 */
export function signalStates(
  intersection: { readonly id: string; readonly phases: readonly { readonly id: string; readonly links: readonly string[] }[] },
  connections: readonly NetConnection[],
): Record<string, PhaseStates> {
  const size = connections.reduce((max, connection) => Math.max(max, connection.linkIndex + 1), 0);
  const states: Record<string, PhaseStates> = {};
  for (const phase of intersection.phases) {
    const served = new Set(phase.links);
    const green = Array.from({ length: size }, () => 'r');
    const throughFrom = new Set(connections.filter((c) => served.has(c.from) && c.dir === 's').map((c) => c.from));
    for (const connection of connections) {
      if (!served.has(connection.from)) continue;
      const turnsLeft = connection.dir === 'l' || connection.dir === 'L' || connection.dir === 't';
      const opposed = [...throughFrom].some((approach) => approach !== connection.from);
      green[connection.linkIndex] = turnsLeft && opposed ? 'g' : 'G';
    }
    const greenState = green.join('');
    states[phase.id] = { green: greenState, yellow: greenState.replace(/[Gg]/g, 'y'), allRed: 'r'.repeat(size) };
  }
  return states;
}
