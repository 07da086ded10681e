import { defineConfig } from 'vitest/config';

// Tests run against each package's TypeScript source through the `@polis/source` export
// condition, so `pnpm test` needs no build and a stale dist can never hide a change.
const conditions = ['@polis/source', 'import', 'module', 'node', 'default'];
// Server-side, the import/require conditions are left to Vite and Node: vitest hands these
// conditions to Node, where a user condition `import` would make require() of a dual package
// (express's is-promise) load its ESM build and get a module namespace instead of a function.
const ssrConditions = ['@polis/source', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: ssrConditions, externalConditions: ['@polis/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'plugins/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // Starts a private nats-server and mosquitto when none runs (and stops them after): see test/support/global-setup.ts.
    globalSetup: ['test/support/global-setup.ts'],
    // Long runs with their own commands: `pnpm test:outside` (packs and installs with npm).
    exclude: ['**/node_modules/**', 'test/outside/**'],
    // Two workers on the 2-core machines: most of the suite waits on brokers, child processes
    // and timers, so two files overlap well; one worker (vitest's default there) took 8.6 minutes.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
