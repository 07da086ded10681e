import { isPolisError } from '@polis/plugin-api';
import type { Logger, QueryRequest, QueryResponse } from '@polis/plugin-api';
import { haversineM, straightLineEtaS } from '../shared/distance.js';
import type { RouteFind } from './queries.js';

/** One leg to ask the router about. */
export type RouteLeg = QueryRequest<typeof RouteFind>;
/** What the router answers for a leg. */
export type RouteAnswer = QueryResponse<typeof RouteFind>;

/** How to rank: the router, the fallback when it fails, and how many candidates to route. */
export interface EtaOptions<T> {
  /** Asks traffic for the fastest route (`traffic.route.find`). */
  readonly findRoute: (leg: RouteLeg) => Promise<RouteAnswer>;
  /** Speed for the straight-line estimate used when the route query fails. */
  readonly fallbackSpeedKph: number;
  /** Only this many candidates, the nearest in a straight line, are routed. */
  readonly maxCandidates: number;
  readonly logger: Logger;
  /** Orders candidates of equal ETA (negative: `a` first); by default the nearer in a straight line wins. */
  readonly tieBreak?: (a: T, b: T) => number;
}

/** A candidate and how long it takes over its leg. */
export interface Eta<T> {
  readonly candidate: T;
  readonly etaS: number;
  /** True when the ETA is a straight-line estimate because the route query failed. */
  readonly estimated: boolean;
}

/** The outcome of a ranking: who can get there and how fast, and how many cannot. */
export interface EtaRanking<T> {
  /** Candidates with a route (or an estimate), fastest first; equal ETAs ordered by `tieBreak`. */
  readonly reachable: readonly Eta<T>[];
  /** Candidates the router found no route for. */
  readonly unreachable: number;
}

/**
 * The client side of `traffic.route.find` that dispatchers share: ranks candidates (units,
 * ambulances, hospitals) by route ETA over their leg, routing all of them in parallel. A failed query
 * (traffic not loaded, timed out) falls back to a straight-line estimate for that candidate, with
 * one warning per ranking: dispatch must go on without traffic. A route answered `found: false`
 * means the candidate cannot get there.
 */
export async function rankByEta<T>(candidates: readonly T[], legOf: (candidate: T) => RouteLeg, options: EtaOptions<T>): Promise<EtaRanking<T>> {
  // Routing every candidate of a large fleet per incident is wasted work: the few nearest in a
  // straight line always include the fastest by road, except on pathological networks.
  const asked = candidates
    .map((candidate) => ({ candidate, leg: legOf(candidate) }))
    .map((entry) => ({ ...entry, distanceM: haversineM(entry.leg.from, entry.leg.to) }))
    .sort((a, b) => a.distanceM - b.distanceM)
    .slice(0, options.maxCandidates);

  const failures: unknown[] = [];
  const answers = await Promise.all(
    asked.map(async ({ candidate, leg }): Promise<Eta<T> | undefined> => {
      try {
        const route = await options.findRoute(leg);
        return route.found ? { candidate, etaS: route.travelTimeS, estimated: false } : undefined;
      } catch (error) {
        failures.push(error);
        return { candidate, etaS: straightLineEtaS(leg.from, leg.to, options.fallbackSpeedKph), estimated: true };
      }
    }),
  );
  if (failures.length > 0) {
    const first = failures[0];
    options.logger.warn('route query failed: using straight-line ETAs', {
      failed: failures.length,
      asked: asked.length,
      fallbackSpeedKph: options.fallbackSpeedKph,
      code: isPolisError(first) ? first.code : undefined,
      reason: first instanceof Error ? first.message : String(first),
    });
  }
  const reachable = answers.filter((eta): eta is Eta<T> => eta !== undefined).sort((a, b) => a.etaS - b.etaS || (options.tieBreak?.(a.candidate, b.candidate) ?? 0));
  return { reachable, unreachable: asked.length - reachable.length };
}
