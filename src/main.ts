/** Starts the bot: config, app, signals. A bad configuration is one line and exit code 1, no stack trace. */
import { buildApp, type MusterApp } from './compose.js';
import { ConfigError, loadConfig, readEnv } from './config.js';

export async function main(env = readEnv()): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`muster: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  if (config.sandbox) {
    process.stderr.write(
      'muster: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set: set both to connect to Slack (see .env.example)\n',
    );
    process.exit(1);
  }
  let app: MusterApp;
  try {
    app = buildApp(config);
  } catch (e) {
    process.stderr.write(`muster: could not start: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const port = await app.start(config.PORT);
  process.stdout.write(`Muster is listening on http://localhost:${port} (POST /slack/events)\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    const r = app.deps.catalog.reload();
    app.log.info({ ok: r.ok }, 'catalog reload on SIGHUP');
  });
}
