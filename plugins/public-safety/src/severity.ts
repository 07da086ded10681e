import type { IncidentKind } from './report.js';

/** How serious each kind is with nobody hurt, on the contracts' 1 (minor) .. 5 (major) scale. */
const BASE_SEVERITY: Readonly<Record<IncidentKind, number>> = {
  fire: 3,
  collision: 2,
  hazard: 2,
  crime: 2,
  medical: 2,
  other: 1,
};

/** Casualties raise severity in steps: 1-2 people +1, 3-5 +2, 6 or more +3. */
function casualtyBonus(casualties: number): number {
  if (casualties >= 6) return 3;
  if (casualties >= 3) return 2;
  return casualties >= 1 ? 1 : 0;
}

/**
 * The severity rule: the gravest base of the incident's kinds plus the casualty bonus, capped
 * at 5. So a collision with nobody hurt is 2, with one injured 3, a fire is 3 before anyone is
 * hurt, and a collision with 6 injured is 5.
 */
export function severityOf(kinds: Iterable<IncidentKind>, casualties: number): number {
  let base = 1;
  for (const kind of kinds) base = Math.max(base, BASE_SEVERITY[kind]);
  return Math.min(5, base + casualtyBonus(casualties));
}
