import { realpath } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createAjv, toValidationProblems } from '@polis/kernel';
import { ErrorCodes, PolisAggregateError } from '@polis/plugin-api';
import { newReadBudget, readRegularFile } from './confined-file.js';
import { deploymentProblem } from './deployment-problem.js';
import type { SourcePosition } from './deployment-problem.js';
import { DeploymentSchema } from './deployment-schema.js';
import type { DeploymentSpec } from './deployment-schema.js';
import { resolveIncludes } from './deployment-sources.js';
import { parseSource, pointerSegments } from './parsed-source.js';
import type { DocumentPath } from './parsed-source.js';

/** A deployment file read and validated, before any plugin package is looked at. */
export interface DeploymentFile {
  /** The deployment file's real path. */
  readonly file: string;
  /** Its folder: plugin packages resolve from here, and includes must stay inside it. */
  readonly folder: string;
  readonly spec: DeploymentSpec;
  /** Where a path of the resolved document was written (file, line, column). */
  locate(path: DocumentPath): SourcePosition;
}

const validateSpec = createAjv({ useDefaults: true, discriminator: true }).compile(DeploymentSchema);

/**
 * Reads a deployment file (YAML, or JSON): every `$include` resolved inside its folder, the
 * result checked against the deployment schema. Nothing is imported and no plugin code runs.
 * Throws a PolisAggregateError listing every problem, each with its file, line and column.
 */
export async function readDeployment(file: string): Promise<DeploymentFile> {
  let path: string;
  try {
    path = await realpath(resolve(file));
  } catch {
    throw deploymentProblem('no such deployment file', { file }, { rule: 'file-unreadable' });
  }
  const folder = dirname(path);
  const budget = newReadBudget();
  const main = parseSource(path, await readRegularFile(path, { file: path }, budget, 'cannot read the deployment file'));
  const sources = await resolveIncludes(folder, main, budget);
  const document = sources.value;
  if (!validateSpec(document)) {
    const problems = toValidationProblems(validateSpec.errors);
    throw new PolisAggregateError(
      ErrorCodes.DEPLOYMENT_INVALID,
      `${path} is not a valid deployment`,
      problems.map((problem) => {
        const segments = pointerSegments(problem.path);
        return deploymentProblem(`${problem.path || '(root)'} ${problem.message} (${problem.rule})`, sources.locate(segments), { path: problem.path, rule: problem.rule });
      }),
    );
  }
  return { file: path, folder, spec: document as DeploymentSpec, locate: sources.locate };
}
