import { defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * Bolt requires its every receiver when it loads, and two pull in large packages Muster rarely or never needs:
 * `SocketModeReceiver` requires @slack/socket-mode (with undici) at once, though it is used only with an
 * app-level token, and Bolt's index requires `ExpressReceiver` (with express and its MIME tables), which
 * Muster never uses. In the bundle, each of those two requires gets a stand-in that requires the real module
 * when it is first used: `SocketModeClient` when a SocketModeReceiver is made, `ExpressReceiver` if one is ever
 * made. Measured, `node dist/cli.js start` answers its first /healthz about 50 ms sooner (810 to 760 ms here).
 * test/lazy-bolt-requires.test.ts checks that Bolt reads nothing else from them.
 */
const LAZY_IN_BOLT: Record<string, string> = {
  // receivers/SocketModeReceiver.js reads only SocketModeClient from it
  '@slack/socket-mode': `let real;
module.exports = { get SocketModeClient() { return (real ??= require('@slack/socket-mode')).SocketModeClient; } };`,
  // index.js exports its default as ExpressReceiver: a class whose construction makes the real one
  './receivers/ExpressReceiver': `let real;
class ExpressReceiver {
  constructor(...args) { return new (real ??= require('./receivers/ExpressReceiver')).default(...args); }
}
module.exports = { __esModule: true, default: ExpressReceiver };`,
};

const lazyBoltRequires: EsbuildPlugin = {
  name: 'lazy-bolt-requires',
  setup(build) {
    build.onResolve({ filter: /^(@slack\/socket-mode|\.\/receivers\/ExpressReceiver)$/ }, (a) =>
      // only Bolt's own requires, and not the stand-in's (its importer is the stand-in itself)
      /[\\/]@slack[\\/]bolt[\\/]dist[\\/](index|receivers[\\/]SocketModeReceiver)\.js$/.test(a.importer)
        ? { path: a.path, namespace: 'muster-lazy', pluginData: { resolveDir: a.resolveDir } }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'muster-lazy' }, (a) => ({
      contents: LAZY_IN_BOLT[a.path],
      loader: 'js',
      resolveDir: (a.pluginData as { resolveDir: string }).resolveDir,
    }));
  },
};

/**
 * The built server, what `npm start` runs: `node dist/cli.js start`. Dependencies are bundled (about a fifth
 * faster to start than resolving hundreds of modules), except the native better-sqlite3 and jira.js (below).
 * Bundled CommonJS code expects require, __filename and __dirname: the banner provides them. Templates,
 * migrations and the sandbox page are read from the installation folder.
 */
const server: Options = {
  entry: { cli: 'src/cli.ts', 'render-worker': 'src/adapters/render/render-worker.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  // both builds run at once: this one's clean leaves the other's files alone
  clean: ['!*.cjs'],
  sourcemap: false,
  // Split at the dynamic imports of src/cli.ts, so `muster export` parses the store and the renderer only,
  // not Bolt and the HTTP server; `render-worker` is the worker thread that renders postmortems off the
  // event loop, found beside the chunk that starts it.
  splitting: true,
  // jira.js stays in node_modules, loaded only when a Jira tracker is configured: it imports zod's whole
  // namespace, which bundled would pull every zod locale (about 550 KB) into the chunk the configuration
  // shares, parsed by every command at start.
  noExternal: [/^(?!better-sqlite3|jira\.js)/],
  esbuildPlugins: [lazyBoltRequires],
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
};

/**
 * The two parts of `muster export` few runs need, the PostgreSQL store and the template compiler (a team's own
 * template), are CommonJS files of their own, required when needed: bundled, they would nearly double the file
 * every export parses. The export's imports of them get a stand-in that requires the file; no `import()` is
 * left in dist/export.cjs, which dist/muster.cjs compiles with V8's code cache (src/bin.ts).
 */
const OWN_FILES: Record<string, string> = {
  './adapters/store/pg/pg-store.js': './pg-store.cjs',
  './postmortem-renderer.js': './postmortem-renderer.cjs',
};

const requiredWhenNeeded: EsbuildPlugin = {
  name: 'required-when-needed',
  setup(build) {
    build.onResolve({ filter: /^\.\/(adapters\/store\/pg\/pg-store|postmortem-renderer)\.js$/ }, (a) =>
      a.kind === 'dynamic-import' && OWN_FILES[a.path]
        ? { path: OWN_FILES[a.path]!, namespace: 'muster-own-file' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'muster-own-file' }, (a) => ({
      contents: `module.exports = require(${JSON.stringify(a.path)});`,
      loader: 'js',
    }));
    // the stand-in's own require: the file beside the bundle, at run time
    build.onResolve({ filter: /^\.\/(pg-store|postmortem-renderer)\.cjs$/ }, (a) => ({
      path: a.path,
      external: true,
    }));
    // every other command is the server build's CLI
    build.onResolve({ filter: /^\.\/cli\.js$/ }, (a) =>
      a.importer.endsWith('bin.ts') ? { path: './cli.js', external: true } : undefined,
    );
  },
};

/**
 * Node's crypto and os modules in the CommonJS command files, loaded at their first use rather than when a
 * module that imports them is: dotenv, drizzle's migrator and the template fingerprint import them, but an
 * export of an up-to-date database with the shipped template calls none of them. Their loading was about
 * 14 ms of a 2,000-entry export. Every use is a property read at call time (`crypto.createHash(…)`), which the
 * stand-in forwards; it lists no keys, so a default import (esbuild's __toESM copies the keys it lists) does
 * not load the module either.
 */
const LAZY_BUILTINS = /^(node:)?(crypto|os)$/;

const lazyBuiltins: EsbuildPlugin = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: LAZY_BUILTINS }, (a) =>
      a.namespace === 'muster-lazy-builtin'
        ? { path: a.path, external: true }
        : { path: a.path.replace(/^node:/, ''), namespace: 'muster-lazy-builtin' },
    );
    build.onLoad({ filter: /.*/, namespace: 'muster-lazy-builtin' }, (a) => ({
      contents: `let real;
const load = () => (real ??= require('node:${a.path}'));
module.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });`,
      loader: 'js',
    }));
  },
};

/**
 * `npm run muster`: `node dist/muster.cjs` (src/bin.ts), a small CommonJS file that runs `muster export` from
 * dist/export.cjs, one CommonJS file holding the whole export, and loads the server build's CLI for every other
 * command. Measured, an export of 2,000 entries ends about 40 ms sooner than through the ES module chunks.
 */
const command: Options = {
  entry: {
    muster: 'src/bin.ts',
    export: 'src/commands/export-command.ts',
    'pg-store': 'src/adapters/store/pg/pg-store.ts',
    'postmortem-renderer': 'src/adapters/render/postmortem-renderer.ts',
  },
  format: ['cjs'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: false,
  sourcemap: false,
  splitting: false,
  // import.meta.url (the installation folder is found from it) as CommonJS has it
  shims: true,
  // a third smaller file to read and parse on every export (about 6 ms here); names are kept for stack traces
  minifyWhitespace: true,
  noExternal: [/^(?!better-sqlite3|jira\.js)/],
  esbuildPlugins: [requiredWhenNeeded, lazyBuiltins],
  // `node:crypto` reaches lazyBuiltins as written (tsup's own plugin would strip the prefix and mark it external)
  removeNodeProtocol: false,
};

export default defineConfig([server, command]);
