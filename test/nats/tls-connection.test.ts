import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer } from '../support/nats-server.js';
import type { NatsServer } from '../support/nats-server.js';
import { polis } from '../support/polis-command.js';

/** A self-signed CA, and a server and a client certificate it signed (openssl, as an operator would). */
function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=polis-test-ca', '-keyout', 'ca.key', '-out', 'ca.pem');
  for (const [name, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=polis-${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
  }
}

describe('a deployment connecting over mutual TLS', () => {
  // Inside the repository, so the deployment's plugin path resolves; the TLS files sit in its folder.
  const dir = mkdtempSync(join(import.meta.dirname, '.tls-'));
  let server: NatsServer;
  beforeAll(async () => {
    makeCertificates(dir);
    const file = (name: string) => JSON.stringify(join(dir, name));
    server = await startNatsServer({ config: `tls { ca_file: ${file('ca.pem')}, cert_file: ${file('server.pem')}, key_file: ${file('server.key')}, verify: true }` });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const city = (tls: string) => {
    const file = join(dir, `city-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      file,
      ['name: tls-city', 'transport:', '  kind: nats', `  servers: ['tls://${server.url}']`, '  prefix: tls_city', tls, 'plugins:', '  - package: ../../cli/fixtures/billing-v1.ts', ''].join('\n'),
    );
    return file;
  };

  it('starts with the CA, certificate and key of transport.tls', async () => {
    const result = await polis('start', city('  tls: { ca: ca.pem, cert: client.pem, key: client.key }'), '--duration', '1');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('kernel started on the nats transport');
  }, 60_000);

  it('is refused by the server without its client certificate', async () => {
    const result = await polis('start', city('  tls: { ca: ca.pem }'), '--duration', '1');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/cannot connect to NATS/);
  }, 60_000);

  it('refuses a TLS file that is not a regular file (a FIFO would hang the connection)', async () => {
    execFileSync('mkfifo', [join(dir, 'ca.fifo')]);
    const result = await polis('start', city('  tls: { ca: ca.fifo }'), '--duration', '1');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("cannot use TLS file 'ca.fifo': it is not a regular file");
  }, 60_000);

  it('refuses a TLS file outside the deployment folder', async () => {
    const result = await polis('start', city('  tls: { ca: /etc/hostname }'), '--duration', '1');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("must be inside the deployment's folder");
  }, 60_000);
});
