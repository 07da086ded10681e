import { defineConfig } from 'vitest/config';

// Tests run against each package's TypeScript source through the `@polis/source` export
// condition, so `pnpm test` needs no build and a stale dist can never hide a change.
const conditions = ['@polis/source', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@polis/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'plugins/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
