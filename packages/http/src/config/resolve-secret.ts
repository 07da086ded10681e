import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import type { SecretSpec } from './gateway-spec.js';

/** Tokens shorter than this are refused: a guessable token is no access control. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Reads a secret from the environment or from a file (relative to `baseDir`, the deployment
 * file's folder). `what` names it in errors, which never contain the secret itself.
 */
export async function resolveSecret(spec: SecretSpec, baseDir: string, what: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let value: string | undefined;
  if ('env' in spec) {
    value = env[spec.env];
    if (value === undefined) throw secretProblem(`${what}: the environment variable ${spec.env} is not set`);
  } else {
    const path = resolve(baseDir, spec.file);
    try {
      value = await readFile(path, 'utf8');
    } catch (cause) {
      throw secretProblem(`${what}: cannot read the token file ${path}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`);
    }
  }
  const token = value.trim();
  if (token.length < MIN_TOKEN_LENGTH) throw secretProblem(`${what}: the token is ${token.length} characters long; use at least ${MIN_TOKEN_LENGTH} (e.g. openssl rand -hex 24)`);
  if (/\s/.test(token)) throw secretProblem(`${what}: the token contains whitespace`);
  return token;
}

function secretProblem(message: string): PolisError {
  return new PolisError(ErrorCodes.DEPLOYMENT_INVALID, message);
}
