import bcrypt from 'bcryptjs';
import { ErrorCodes, PolisError } from '@polis/plugin-api';
import { kernelAuth, pluginLogins } from '../deployment/broker-logins.js';
import { deploymentProblem } from '../deployment/deployment-problem.js';
import type { SourcePosition } from '../deployment/deployment-problem.js';
import { loadDeployment } from '../deployment/load-deployment.js';
import { publishingComponents } from '../deployment/publishing-components.js';

/**
 * The nats-server `authorization` block a deployment needs: one user per plugin with a login in
 * `transport.logins` (allowed only what its manifest declares), and the kernel's user
 * (`transport.user`/`pass`) for the kernel, every plugin without its own login, and what the
 * gateway and the MQTT connector publish under their own sources. Nkey users appear by public
 * key, password users by a bcrypt hash of the password (which nats-server checks logins
 * against), so the block holds no secret.
 */
export async function brokerAuthBlock(file: string): Promise<string> {
  const deployment = await loadDeployment(file);
  const spec = deployment.spec.transport;
  const at = deployment.locate(['transport']);
  if (spec.kind !== 'nats') throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `${at.file}: polis auth needs transport.kind 'nats'`, { details: { rule: 'auth-needs-nats' } });
  const kernelLogin = await kernelAuth(deployment, spec);
  const nats = await import('@polis/bus-nats');
  const kernel =
    kernelLogin !== undefined && 'nkeySeed' in kernelLogin
      ? { user: spec.user ?? 'kernel', nkey: nats.nkeyPublicKey(kernelLogin.nkeySeed) }
      : kernelLogin !== undefined && 'pass' in kernelLogin && spec.pass !== undefined
        ? { user: kernelLogin.user, password: bcryptHash(kernelLogin.pass, 'the kernel', at) }
        : undefined;
  if (kernel === undefined) {
    throw new PolisError(ErrorCodes.DEPLOYMENT_INVALID, `${at.file}: polis auth needs the kernel's login (transport.user and transport.pass, or transport.nkeySeed)`, { details: { rule: 'auth-needs-kernel-user' } });
  }
  const logins = await pluginLogins(deployment, spec);
  // The gateway and the MQTT connector publish on the kernel's connection, each under its own source.
  const components = await publishingComponents(deployment);
  return nats.generateAuthConfig(
    deployment.plugins.map((loaded) => loaded.plugin),
    {
      prefix: spec.prefix,
      stream: spec.jetstream === false ? false : undefined,
      kernel,
      components,
      credentials: (plugin) => {
        const login = logins.get(plugin);
        if (login === undefined) return undefined;
        return 'nkeySeed' in login ? { nkey: nats.nkeyPublicKey(login.nkeySeed) } : 'pass' in login ? { password: bcryptHash(login.pass, `plugin '${plugin}'`, deployment.locate(['transport', 'logins', plugin])) } : undefined;
      },
    },
  );
}

/** What nats-server's own tool (`nats server passwd`, mkpasswd) uses: about 0.1 s a hash here. */
const BCRYPT_COST = 11;
/** bcrypt reads this many bytes of a password and ignores the rest. */
const BCRYPT_MAX_BYTES = 72;

/** The password as nats-server may store it: a salted bcrypt hash. */
function bcryptHash(password: string, whose: string, at: SourcePosition): string {
  // A longer password would be checked on its first 72 bytes only: refused rather than weakened.
  const bytes = Buffer.byteLength(password);
  if (bytes > BCRYPT_MAX_BYTES) throw deploymentProblem(`the password of ${whose} is ${bytes} bytes: nats-server's bcrypt check reads ${BCRYPT_MAX_BYTES}, so use a shorter one (or an nkey)`, at, { rule: 'password-too-long' });
  return bcrypt.hashSync(password, BCRYPT_COST);
}
