import { createRequire } from 'node:module';

/**
 * This package's version. The module sits one folder below package.json both as source
 * (src/) and built (dist/, where tsup bundles it), so one relative path serves both.
 */
export const CLI_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
