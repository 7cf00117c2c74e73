import { defineConfig } from 'tsup';

/**
 * The built server, what `npm start` and `npm run muster` run: `node dist/cli.js start`. Dependencies are
 * bundled (about a fifth faster to start than resolving hundreds of modules), except the native
 * better-sqlite3 and jira.js (below). Bundled CommonJS code expects require, __filename and __dirname: the banner
 * provides them. Templates, migrations and the sandbox page are read from the installation folder.
 */
export default defineConfig({
  entry: { cli: 'src/cli.ts', 'render-worker': 'src/adapters/render/render-worker.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  sourcemap: false,
  // Split at the dynamic imports of src/cli.ts, so `muster export` parses the store and the renderer only,
  // not Bolt and the HTTP server; `render-worker` is the worker thread that renders postmortems off the
  // event loop, found beside the chunk that starts it.
  splitting: true,
  // jira.js stays in node_modules, loaded only when a Jira tracker is configured: it imports zod's whole
  // namespace, which bundled would pull every zod locale (about 550 KB) into the chunk the configuration
  // shares, parsed by every command at start.
  noExternal: [/^(?!better-sqlite3|jira\.js)/],
  banner: {
    js: [
      "import { createRequire as __musterRequire } from 'node:module';",
      "import { fileURLToPath as __musterPath } from 'node:url';",
      "import { dirname as __musterDir } from 'node:path';",
      'const require = __musterRequire(import.meta.url);',
      'const __filename = __musterPath(import.meta.url);',
      'const __dirname = __musterDir(__filename);',
    ].join(' '),
  },
});
