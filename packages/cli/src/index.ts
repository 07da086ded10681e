// @polis/cli: load, check and run a deployment file (city.yaml) from code or from the `polis` command.
export { loadDeployment } from './deployment/load-deployment.js';
export type { Deployment } from './deployment/load-deployment.js';
export { DeploymentSchema } from './deployment/deployment-schema.js';
export type { DeploymentSpec } from './deployment/deployment-schema.js';
export { wiringWarnings } from './deployment/wiring-report.js';
export { checkDeployment } from './commands/check.js';
export type { CheckResult } from './commands/check.js';
export { runDeployment } from './commands/start.js';
export type { RunOptions } from './commands/start.js';
export { asyncApiOf } from './commands/asyncapi.js';
export { prepareEdgeServices } from './deployment/edge-services.js';
export type { EdgeServices, PreparedEdgeServices } from './deployment/edge-services.js';
