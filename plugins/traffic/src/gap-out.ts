import type { RoadNetwork } from './algorithms/road-network.js';

/**
 * Which phases may end their green now (gap-out): every lane of every approach the phase serves
 * has a presence detector at its stop line (the lane's detector nearest the downstream end; one
 * without a position counts as at the stop line) that has seen no vehicle for at least `gapS`.
 * A phase with a lane no detector covers, or a detector missing from the report, never gaps out:
 * no information is not a gap.
 */
export class GapOut {
  /** By intersection id, per phase, the stop-line detector of each lane it serves (undefined: an uncovered lane). */
  readonly #stopLines = new Map<string, (string | undefined)[][]>();
  readonly #gapS: number;

  constructor(network: RoadNetwork, gapS: number) {
    this.#gapS = gapS;
    const linkById = new Map(network.links.map((link) => [link.id, link]));
    for (const intersection of network.intersections) {
      this.#stopLines.set(
        intersection.id,
        intersection.phases.map((phase) =>
          phase.links.flatMap((linkId) => {
            const link = linkById.get(linkId)!;
            return Array.from({ length: link.lanes ?? 1 }, (_, i) => {
              const onLane = network.detectors.filter((detector) => detector.link === linkId && detector.lane === i + 1);
              const nearest = onLane.reduce<(typeof onLane)[number] | undefined>((best, detector) => (best === undefined || (detector.positionM ?? link.lengthM) > (best.positionM ?? link.lengthM) ? detector : best), undefined);
              return nearest?.id;
            });
          }),
        ),
      );
    }
  }

  /** Whether phase `phaseIndex` of the intersection shows a gap on every lane, by these gaps (seconds, by detector id). */
  gapped(intersectionId: string, phaseIndex: number, gaps: ReadonlyMap<string, number>): boolean {
    const lanes = this.#stopLines.get(intersectionId)?.[phaseIndex];
    if (lanes === undefined || lanes.length === 0) return false;
    return lanes.every((detectorId) => detectorId !== undefined && (gaps.get(detectorId) ?? -1) >= this.#gapS);
  }
}
