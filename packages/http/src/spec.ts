// @polis/http/spec: the schema of a deployment file's `http:` section alone, for tools that
// validate deployments without loading the gateway (express and the rest).
export { GatewaySpec, NgsiLdEntitySpec, SecretSpec, SourceSpec } from './config/gateway-spec.js';
