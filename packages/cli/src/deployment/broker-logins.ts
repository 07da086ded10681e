import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { NatsAuth, NatsTls } from '@polis/bus-nats';
import type { DeploymentFile } from './read-deployment.js';
import { deploymentProblem } from './deployment-problem.js';
import { newReadBudget, readConfinedFile, readRegularFile } from './confined-file.js';

type NatsSpec = Extract<DeploymentFile['spec']['transport'], { kind: 'nats' }>;
type SecretSource = { env: string } | { file: string };

/**
 * Each plugin's own broker login, read from where the deployment says (an environment variable,
 * or a file inside its folder). Errors name the variable or file, never the secret or the file's
 * text, so `check` and `start` output cannot leak one.
 */
export async function pluginLogins(deployment: DeploymentFile, spec: NatsSpec): Promise<Map<string, NatsAuth>> {
  const logins = new Map<string, NatsAuth>();
  for (const [plugin, login] of Object.entries(spec.logins ?? {})) {
    const at = deployment.locate(['transport', 'logins', plugin]);
    if ('nkeySeed' in login) {
      const seed = (await readSecret(deployment, login.nkeySeed, at)).trim();
      if (!/^SU[A-Z2-7]{56}$/.test(seed)) throw deploymentProblem(`the nkey seed of plugin '${plugin}' (${describeSource(login.nkeySeed)}) is not a user seed (SU...)`, at, { rule: 'login-invalid' });
      logins.set(plugin, { nkeySeed: seed });
    } else {
      logins.set(plugin, { user: login.user, pass: await readSecret(deployment, login.password, at) });
    }
  }
  return logins;
}

/**
 * The kernel's own broker login, from the deployment: `user` with `pass`, `token`, `nkeySeed` or
 * `creds` (one of them), each secret written in the file or read from `{ env }` / `{ file }` as
 * the plugins' are. Undefined: the kernel connects without credentials.
 */
export async function kernelAuth(deployment: DeploymentFile, spec: NatsSpec): Promise<NatsAuth | undefined> {
  const at = deployment.locate(['transport']);
  const given = (['user', 'token', 'nkeySeed', 'creds'] as const).filter((key) => spec[key] !== undefined);
  if (given.length > 1) throw deploymentProblem(`the kernel's login is given twice (${given.join(' and ')}): give one of user/pass, token, nkeySeed or creds`, at, { rule: 'login-ambiguous' });
  const secret = (value: string | SecretSource) => (typeof value === 'string' ? Promise.resolve(value) : readSecret(deployment, value, at));
  if (spec.nkeySeed !== undefined) {
    const seed = (await readSecret(deployment, spec.nkeySeed, at)).trim();
    if (!/^SU[A-Z2-7]{56}$/.test(seed)) throw deploymentProblem(`the kernel's nkey seed (${describeSource(spec.nkeySeed)}) is not a user seed (SU...)`, at, { rule: 'login-invalid' });
    return { nkeySeed: seed };
  }
  if (spec.creds !== undefined) return { creds: await readSecret(deployment, spec.creds, at) };
  if (spec.token !== undefined) return { token: await secret(spec.token) };
  if (spec.user !== undefined) return { user: spec.user, pass: spec.pass === undefined ? '' : await secret(spec.pass) };
  return undefined;
}

/** TLS file options, each path resolved (symlinks included) inside the deployment's folder. */
export async function tlsOptions(deployment: DeploymentFile, spec: NatsSpec): Promise<NatsTls | undefined> {
  if (spec.tls === undefined) return undefined;
  const at = deployment.locate(['transport', 'tls']);
  const inside = async (file: string | undefined) => {
    if (file === undefined) return undefined;
    const real = await realpath(resolve(deployment.folder, file)).catch(() => {
      throw deploymentProblem(`TLS file '${file}' does not exist`, at, { rule: 'tls-file-missing' });
    });
    const path = relative(deployment.folder, real);
    if (isAbsolute(file) || path.startsWith('..') || isAbsolute(path)) throw deploymentProblem(`TLS file '${file}' must be inside the deployment's folder`, at, { rule: 'include-outside' });
    // A regular file within the size limit, as an include must be: a FIFO would hang the connection's read of it.
    await readRegularFile(real, at, newReadBudget(), `cannot use TLS file '${file}'`);
    return real;
  };
  const [caFile, certFile, keyFile] = await Promise.all([inside(spec.tls.ca), inside(spec.tls.cert), inside(spec.tls.key)]);
  return { ...(caFile ? { caFile } : {}), ...(certFile ? { certFile } : {}), ...(keyFile ? { keyFile } : {}) };
}

async function readSecret(deployment: DeploymentFile, source: SecretSource, at: ReturnType<DeploymentFile['locate']>): Promise<string> {
  if ('env' in source) {
    const value = process.env[source.env];
    if (value === undefined || value === '') throw deploymentProblem(`environment variable ${source.env} is not set`, at, { rule: 'secret-missing' });
    return value;
  }
  const { text } = await readConfinedFile(deployment.folder, deployment.folder, source.file, at, newReadBudget());
  return text.replace(/\r?\n$/, '');
}

function describeSource(source: SecretSource): string {
  return 'env' in source ? `environment variable ${source.env}` : `file ${source.file}`;
}
