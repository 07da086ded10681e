import { ErrorCodes, PolisError } from '@polis/plugin-api';
import { mergeCompatiblePhases } from './algorithms/compatible-phases.js';
import { RoadNetwork, validateRoadNetwork } from './algorithms/road-network.js';
import type { RoadNetworkSpec } from './algorithms/road-network.js';

/**
 * Builds the road network from configuration, or throws one PolisError listing every problem
 * (with its path under `network`), so an integrator fixes the whole file in one pass. The
 * kernel marks the plugin failed with it. With `mergePhases`, each intersection's phases whose
 * movements never conflict run as one (see `mergeCompatiblePhases`).
 */
export function roadNetworkFromConfig(spec: RoadNetworkSpec, plugin: string, options: { readonly mergePhases?: boolean } = {}): RoadNetwork {
  const problems = validateRoadNetwork(spec).map((problem) => ({ path: `network.${problem.path}`, message: problem.message }));
  if (problems.length > 0) {
    const list = problems.map((problem) => `  - ${problem.path}: ${problem.message}`).join('\n');
    throw new PolisError(ErrorCodes.CONFIG_INVALID, `invalid road network (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${list}`, {
      plugin,
      details: { problems },
    });
  }
  if (!options.mergePhases) return new RoadNetwork(spec);
  return new RoadNetwork({ ...spec, intersections: spec.intersections.map((intersection) => mergeCompatiblePhases(intersection, spec)) });
}
