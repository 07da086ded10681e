import { ErrorCodes, PolisError } from '@polis/plugin-api';
import { kernelAuth, pluginLogins } from '../deployment/broker-logins.js';
import { loadDeployment } from '../deployment/load-deployment.js';
import { publishingComponents } from '../deployment/publishing-components.js';

/**
 * The nats-server `authorization` block a deployment needs: one user per plugin with a login in
 * `transport.logins` (allowed only what its manifest declares), and the kernel's user
 * (`transport.user`/`pass`) for the kernel, every plugin without its own login, and what the
 * gateway and the MQTT connector publish under their own sources. Nkey users
 * appear by public key; a password appears as written, so keep the output as secret as the file.
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
        ? { user: kernelLogin.user, password: kernelLogin.pass }
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
        return 'nkeySeed' in login ? { nkey: nats.nkeyPublicKey(login.nkeySeed) } : 'pass' in login ? { password: login.pass } : undefined;
      },
    },
  );
}
