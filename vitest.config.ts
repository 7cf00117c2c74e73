import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most files wait on sockets, child processes and SQLite rather than compute: three at once on two cores
    // keeps the whole suite well under five minutes.
    maxWorkers: 3,
    reporters: ['default'],
  },
});
