/** `muster <command>`: start | sandbox | migrate | db copy | export | report | demo | runbook. */
// Each command imports what it needs when it runs (the built dist/ is split at these imports): `export`
// loads the store, the template and the renderer, never Bolt, the HTTP server or the catalog. This is
// dist/cli.js, what `npm start` runs; `npm run muster` starts dist/muster.cjs (src/bin.ts), which runs `export`
// from a CommonJS bundle of its own and every other command from here.
import { fail, failWith } from './cli-fail.js';
import { commandConfig as config } from './cli-support.js';
import { isPostgresUrl, readEnv } from './config.js';
import { maskCredentials } from './config-value.js';

const USAGE = `usage: muster <command>
  start                          run the bot (same as npm start); the sandbox when no Slack variable is set
  sandbox                        run the local sandbox workspace (same as npm run sandbox)
  migrate                        apply pending database migrations and exit
  db copy --to <postgres-url>    copy the SQLite database (DATABASE_URL) into an empty PostgreSQL database
  export <incident> [--out FILE] write an incident's postmortem markdown (42, INC-42 or its channel name)
  report [--since 90d|12w|2026-09-01] [--service S,...] [--severity sev1,...] [--format md|csv|json]
         [--include-private] [--out FILE]
                                 report how incident response is going: incidents declared in the window
                                 (default 90d), TTA/TTM/TTR medians and p90, weeks, action items, pages
  demo [--db FILE]               run a scripted incident against the built-in sandbox and write its
                                 postmortem to ./postmortem-INC-<n>.md (--db keeps the sandbox database)
  runbook <service> [--out FILE] [--force]
                                 write a runbook skeleton for a catalog service`;

async function run(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case undefined:
    case 'start':
      // Loaded only to run the bot: the other commands start faster without Slack and the HTTP server.
      await (await import('./main.js')).main(readEnv(), 'start');
      return;
    case 'sandbox':
      await (await import('./main.js')).main(readEnv(), 'sandbox');
      return;
    case 'migrate': {
      const c = config();
      if (isPostgresUrl(c.DATABASE_URL)) {
        const { migratePg } = await import('./adapters/store/pg/pg-store.js');
        await migratePg(c.DATABASE_URL);
      } else {
        const { migrateFile } = await import('./adapters/store/db.js');
        migrateFile(c.DATABASE_URL);
      }
      process.stdout.write(`database ${maskCredentials(c.DATABASE_URL)} is up to date\n`);
      return;
    }
    case 'db': {
      const [sub, ...rest] = args;
      if (sub !== 'copy')
        return fail(`${sub ? `unknown db command "${sub}"` : 'db needs a command'}\n${USAGE}`);
      // --to URL or --to=URL
      const toAt = rest.findIndex((a) => a === '--to' || a.startsWith('--to='));
      const to =
        toAt < 0 ? undefined : rest[toAt]!.startsWith('--to=') ? rest[toAt]!.slice(5) : rest[toAt + 1];
      if (!to) return fail(`db copy needs --to <postgres-url>\n${USAGE}`);
      const c = config();
      const { copySqliteToPostgres, DbCopyError } = await import('./adapters/store/pg/copy-sqlite.js');
      try {
        await copySqliteToPostgres(c.DATABASE_URL, to, { log: (line) => process.stdout.write(`${line}\n`) });
      } catch (e) {
        if (e instanceof DbCopyError) fail(e.message);
        throw e;
      }
      return;
    }
    case 'runbook': {
      const c = config();
      const warn = (line: string) => process.stderr.write(`muster: ${line}\n`);
      const { runRunbookCommand } = await import('./adapters/catalog/runbook-command.js');
      const escalationMinutes = c.PAGE_ESCALATION_MINUTES;
      process.stdout.write(
        `${runRunbookCommand({ args, catalogPath: c.CATALOG_PATH, env: c.env, escalationMinutes, warn })}\n`,
      );
      return;
    }
    case 'export':
      await (await import('./commands/export-command.js')).runExportCommand(args);
      return;
    case 'report': {
      const c = config();
      const [{ runReport }, { ReportArgsError }] = await Promise.all([
        import('./compose-report.js'),
        import('./adapters/report/report-args.js'),
      ]);
      try {
        const { report, out } = await runReport(c, args, Date.now());
        const n = report.incidents.length;
        if (n === 0) process.stderr.write('muster: no incidents declared in the window match the report\n');
        if (out) process.stderr.write(`wrote the report of ${n} incident${n === 1 ? '' : 's'} to ${out}\n`);
      } catch (e) {
        if (e instanceof ReportArgsError) fail(e.message);
        throw e;
      }
      return;
    }
    case 'demo': {
      const dbAt = args.indexOf('--db');
      const databaseFile = dbAt >= 0 ? (args[dbAt + 1] ?? fail('--db needs a file name')) : undefined;
      const { DemoError, runDemo } = await import('../packages/sandbox/src/index.js');
      try {
        const result = await runDemo({ env: readEnv(), ...(databaseFile ? { databaseFile } : {}) });
        process.stdout.write(result.summary);
      } catch (e) {
        if (e instanceof DemoError) fail(`the demo stopped: ${e.message}`);
        throw e;
      }
      return;
    }
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return;
    default:
      fail(`unknown command "${command}"${args.length ? '' : ''}\n${USAGE}`);
  }
}

run(process.argv.slice(2)).catch(failWith);
