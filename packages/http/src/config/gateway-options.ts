import type { SourceCredentials } from '../auth/principals.js';
import type { GatewaySpec } from './gateway-spec.js';
import { resolveSecret } from './resolve-secret.js';

/** The parts of the gateway's options a deployment file's `http:` section gives, secrets read. */
export interface GatewaySpecOptions {
  readonly host: string;
  readonly port: number;
  readonly maxBodyBytes: number;
  readonly maxBatchEvents: number;
  readonly corsOrigins: readonly string[];
  readonly sources: readonly SourceCredentials[];
  readonly adminToken: string | undefined;
  readonly stream: GatewaySpec['stream'];
  readonly queryTimeoutMs: number;
  readonly ngsiLd: GatewaySpec['ngsiLd'];
  readonly open311: GatewaySpec['open311'];
  readonly accountability: { readonly rules: NonNullable<GatewaySpec['accountability']> } | undefined;
}

/** Reads every token the section names (environment or file, relative to `baseDir`); fails naming the first one missing. */
export async function gatewayOptionsFromSpec(spec: GatewaySpec, baseDir: string, env: NodeJS.ProcessEnv = process.env): Promise<GatewaySpecOptions> {
  const sources: SourceCredentials[] = [];
  for (const [index, source] of spec.sources.entries()) {
    sources.push({
      name: source.name,
      token: await resolveSecret(source.token, baseDir, `http.sources[${index}] (${source.name})`, env),
      publishes: source.publishes,
      consumes: source.consumes,
      requests: source.requests,
    });
  }
  return {
    host: spec.host,
    port: spec.port,
    maxBodyBytes: spec.maxBodyBytes,
    maxBatchEvents: spec.maxBatchEvents,
    corsOrigins: spec.cors.origins,
    sources,
    adminToken: spec.admin === undefined ? undefined : await resolveSecret(spec.admin.token, baseDir, 'http.admin.token', env),
    stream: spec.stream,
    queryTimeoutMs: spec.queryTimeoutMs,
    ngsiLd: spec.ngsiLd,
    open311: spec.open311,
    accountability: spec.accountability === undefined ? undefined : { rules: spec.accountability },
  };
}
