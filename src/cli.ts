/** `muster <command>`: start | migrate | export | demo | runbook. */
import { ConfigError, loadConfig, readEnv } from './config.js';
import { migrateFile } from './adapters/store/db.js';
import { main } from './main.js';

const USAGE = `usage: muster <command>
  start                          run the bot (same as npm start)
  migrate                        apply pending database migrations and exit
  export <incident> [--out FILE] write an incident's postmortem markdown (42, INC-42 or its channel name)
  demo                           run a scripted incident against the built-in sandbox
  runbook <service>              write a runbook skeleton for a catalog service`;

const fail = (message: string): never => {
  process.stderr.write(`muster: ${message}\n`);
  process.exit(1);
};

function config() {
  try {
    return loadConfig(readEnv());
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.message);
    throw e;
  }
}

async function run(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case undefined:
    case 'start':
      await main();
      return;
    case 'migrate': {
      const c = config();
      migrateFile(c.DATABASE_URL);
      process.stdout.write(`database ${c.DATABASE_URL} is up to date\n`);
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

run(process.argv.slice(2)).catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
