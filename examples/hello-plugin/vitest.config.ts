import { defineConfig } from 'vitest/config';

// Run from this folder (`pnpm test`), the tests use the built @polis packages, exactly as a
// vendor's copy would; the monorepo's root `pnpm test` runs them against source instead.
export default defineConfig({ test: { include: ['src/**/*.test.ts'] } });
