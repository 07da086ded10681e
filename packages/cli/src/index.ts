// @polis/cli: read, check, run, record and replay a deployment file (city.yaml), from code or
// from the `polis` command; describe plugin packages by their manifests.
export { readDeployment } from './deployment/read-deployment.js';
export type { DeploymentFile } from './deployment/read-deployment.js';
export { loadDeployment } from './deployment/load-deployment.js';
export type { Deployment, LoadedEntry } from './deployment/load-deployment.js';
export { DeploymentSchema } from './deployment/deployment-schema.js';
export type { DeploymentSpec, PluginSpec } from './deployment/deployment-schema.js';
export { READ_LIMITS } from './deployment/confined-file.js';
export { SHAPE_LIMITS } from './deployment/parsed-source.js';
export { WarningCodes, formatDiagnostic } from './deployment/diagnostics.js';
export type { Diagnostic } from './deployment/diagnostics.js';
export { parseDuration } from './deployment/duration.js';
export { checkDeployment } from './commands/check.js';
export type { CheckResult } from './commands/check.js';
export { runDeployment } from './commands/start.js';
export type { RunOptions } from './commands/start.js';
export { runReplay } from './commands/replay.js';
export type { ReplayResult } from './commands/replay.js';
export type { Difference, FieldChange } from './replay/output-diff.js';
export { installedPlugins } from './commands/list-plugins.js';
export type { InstalledPlugin } from './commands/list-plugins.js';
export { manifestOf } from './manifest/manifest-json.js';
export type { ManifestJson } from './manifest/manifest-json.js';
export { polisFieldOf } from './manifest/polis-field.js';
export type { ManifestFile, PolisField } from './manifest/polis-field.js';
export { ExitCodes, createProgram } from './program.js';
