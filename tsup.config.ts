import { defineConfig } from 'tsup';

/** The built server for production and for measuring cold start: `node dist/cli.js start`. */
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  splitting: false,
  // dependencies stay in node_modules; native better-sqlite3 cannot be bundled
  skipNodeModulesBundle: true,
});
