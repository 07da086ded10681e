import { defineConfig } from 'vitest/config';

// Tests run against each package's TypeScript source through the `@polis/source` export
// condition, so `pnpm test` needs no build and a stale dist can never hide a change.
const conditions = ['@polis/source', 'import', 'module', 'node', 'default'];
// Server-side, the import/require conditions are left to Vite and Node: vitest hands these
// conditions to Node, where a user condition `import` would make require() of a dual package
// (express's is-promise) load its ESM build and get a module namespace instead of a function.
const ssrConditions = ['@polis/source', 'node', 'default'];

const include = ['packages/*/src/**/*.test.ts', 'plugins/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'];
// Long runs with their own commands: `pnpm test:outside` (packs and installs with npm).
const exclude = ['**/node_modules/**', 'test/outside/**'];
// Whole demo cities in child processes on a wall-clock budget (8 s at 60x), and kill -9 timing:
// they run after the rest, one at a time, with both cores to themselves. Beside another file
// the demo on NATS missed its first pickup and the crash test's kill came after the last reading.
const alone = [
  'test/cli/polis-command.test.ts',
  'test/cli/record-replay.test.ts',
  'test/nats/city-on-nats.test.ts',
  'test/nats/per-plugin-logins.test.ts',
  'test/nats/crash-no-duplicates.test.ts',
  'test/nats/cluster-failover.test.ts',
];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: ssrConditions, externalConditions: ['@polis/source'] } },
  test: {
    // Starts a private nats-server and mosquitto when none runs (and stops them after): see test/support/global-setup.ts.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      // Two workers on the 2-core machines: most files wait on brokers, child processes and
      // timers, so two overlap well (one worker, vitest's default there, took 8.6 minutes).
      { extends: true, test: { name: 'together', include, exclude: [...exclude, ...alone], maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'alone', include: alone, exclude, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
