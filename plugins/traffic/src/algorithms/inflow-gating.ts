import type { LatLon } from './geo.js';
import type { PhaseSpec, RoadNetwork } from './road-network.js';

/** A signal that lets traffic into an area, and its phases serving the roads that come in. */
export interface BoundarySignal {
  readonly intersectionId: string;
  /** Indices into the intersection's phases. */
  readonly phases: readonly number[];
}

/**
 * The signals that admit traffic into an area: intersections inside it fed by a link from a node
 * outside, with the phases that serve those links. Gating them stores the queue on the entering
 * links, at the edge, instead of inside (perimeter control); a phase that serves an outside and
 * an inside approach together is gated too, since a signal cannot give them different greens.
 */
export function boundarySignals(network: RoadNetwork, inside: (point: LatLon) => boolean): BoundarySignal[] {
  const isInside = (nodeId: string) => {
    const node = network.node(nodeId);
    return node !== undefined && inside(node);
  };
  return network.intersections.flatMap((intersection) => {
    if (!isInside(intersection.node)) return [];
    const phases = intersection.phases.flatMap((phase, index) => (phase.links.some((linkId) => !isInside(network.link(linkId)?.from ?? intersection.node)) ? [index] : []));
    return phases.length === 0 ? [] : [{ intersectionId: intersection.id, phases }];
  });
}

/** A signal plan's displayed greens and the cycle they make with the phases' clearances. */
export interface GreenSplit {
  readonly cycleS: number;
  readonly greensS: readonly number[];
}

/**
 * Gates a plan: each gated phase keeps `factor` of its green, never less than its min green.
 * The time given up goes to the other phases in proportion to their greens, so the cycle stays
 * and the cross flows gain. If every phase is gated, the cycle shortens instead (to no less
 * than `minCycleS`, made up in proportion to the gated greens): more of each cycle is lost to
 * clearances, and the intersection admits less per hour.
 */
export function gatePlan(greensS: readonly number[], phases: readonly Pick<PhaseSpec, 'minGreenS' | 'yellowS' | 'allRedS'>[], gated: ReadonlySet<number>, factor: number, minCycleS: number): GreenSplit {
  const clearanceS = phases.reduce((sum, phase) => sum + phase.yellowS + phase.allRedS, 0);
  const cut = greensS.map((greenS, i) => (gated.has(i) ? Math.max(phases[i]!.minGreenS, greenS * factor) : greenS));
  const releasedS = greensS.reduce((sum, greenS, i) => sum + greenS - cut[i]!, 0);
  const ungatedS = cut.reduce((sum, greenS, i) => (gated.has(i) ? sum : sum + greenS), 0);
  if (ungatedS > 0) {
    const greens = cut.map((greenS, i) => (gated.has(i) ? greenS : greenS + (releasedS * greenS) / ungatedS));
    return { cycleS: greens.reduce((sum, greenS) => sum + greenS, 0) + clearanceS, greensS: greens };
  }
  const shortS = minCycleS - (cut.reduce((sum, greenS) => sum + greenS, 0) + clearanceS);
  const total = cut.reduce((sum, greenS) => sum + greenS, 0);
  const greens = shortS > 0 ? cut.map((greenS) => greenS + (shortS * greenS) / total) : cut;
  return { cycleS: greens.reduce((sum, greenS) => sum + greenS, 0) + clearanceS, greensS: greens };
}
