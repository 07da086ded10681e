import { defineConfig } from 'vitest/config';

// `pnpm test:outside`: the packages as a vendor gets them (packed, installed with npm in a
// temporary folder outside the workspace). Needs `pnpm build` first; takes minutes.
export default defineConfig({
  test: { include: ['test/outside/**/*.test.ts'], testTimeout: 15 * 60_000, hookTimeout: 15 * 60_000 },
});
