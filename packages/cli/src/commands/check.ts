import { Kernel, createLogger } from '@polis/kernel';
import { PolisAggregateError, PolisError } from '@polis/plugin-api';
import { loadDeployment } from '../deployment/load-deployment.js';
import { wiringWarnings } from '../deployment/wiring-report.js';

export interface CheckResult {
  readonly ok: boolean;
  readonly problems: readonly PolisError[];
  readonly warnings: readonly string[];
  readonly plugins: readonly string[];
}

/**
 * The dry run: everything `start` would refuse, found without starting anything (no
 * transport connection, no plugin code run): the file, the packages, every manifest and config,
 * service dependencies and schema compatibility; plus wiring warnings.
 */
export async function checkDeployment(file: string): Promise<CheckResult> {
  let deployment;
  try {
    deployment = await loadDeployment(file);
  } catch (error) {
    return { ok: false, problems: flatten(error), warnings: [], plugins: [] };
  }
  const kernel = new Kernel({ logger: createLogger({ level: 'silent' }) });
  const problems = await kernel.check(deployment.plugins);
  return {
    ok: problems.length === 0,
    problems,
    warnings: wiringWarnings(deployment.plugins),
    plugins: deployment.plugins.map((entry) => `${entry.plugin.name}@${entry.plugin.version}`),
  };
}

export function flatten(error: unknown): PolisError[] {
  if (error instanceof PolisAggregateError) return error.errors.flatMap(flatten);
  if (error instanceof PolisError) return [error];
  throw error;
}
