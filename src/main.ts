/** Starts the bot: config, app, signals. A bad configuration is one line and exit code 1, no stack trace. */
import { buildApp, type MusterApp } from './compose.js';
import { type Config, ConfigError, loadConfig, readEnv } from './config.js';
import { type Sandbox, startSandbox } from './adapters/sandbox/sandbox.js';

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
  let app: MusterApp;
  let stopAll: () => Promise<void>;
  if (config.sandbox) {
    const sandbox = await runSandbox(config);
    app = sandbox.app;
    stopAll = () => sandbox.stop();
  } else {
    try {
      app = buildApp(config);
    } catch (e) {
      process.stderr.write(`muster: could not start: ${(e as Error).message}\n`);
      process.exit(1);
    }
    let port: number;
    try {
      port = await app.start(config.PORT);
    } catch (e) {
      process.stderr.write(`muster: could not start: ${whyNotStarted(config, e)}\n`);
      process.exit(1);
    }
    process.stdout.write(`Muster is listening on http://localhost:${port} (POST /slack/events)\n${metricsLine(app)}\n`);
    stopAll = () => app.stop();
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    stopAll().then(
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

/** Starts the sandbox (no Slack credentials) and says where its page is; exits 1 when it cannot start. */
async function runSandbox(config: Config): Promise<Sandbox> {
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox(config);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `port ${config.PORT} is in use (set PORT to another one)` : (e as Error).message;
    process.stderr.write(`muster: could not start the sandbox: ${why}\n`);
    process.exit(1);
  }
  process.stdout.write(
    [
      'Muster is running in sandbox mode: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set, so a local',
      'workspace and PagerDuty stand in for Slack and PagerDuty. Nothing leaves this machine.',
      '',
      `  Open ${sandbox.url}`,
      '  Try:  /incident declare sev2 Checkout returns 502 for card payments',
      '',
      `The workspace is kept in ${config.DATABASE_URL}${sandbox.restored ? ' (restored)' : ''}; ` +
        `catalog: ${sandbox.catalog === 'demo' ? 'the demo catalog' : config.CATALOG_PATH}.`,
      metricsLine(sandbox.app),
      '',
    ].join('\n'),
  );
  return sandbox;
}

/** Where Prometheus metrics are served (never on PORT), or that they are off. */
function metricsLine(app: MusterApp): string {
  const a = app.metricsAddress;
  if (a === null) return 'Metrics are off (METRICS_PORT=off).';
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return `Metrics are served on http://${host}:${a.port}/metrics (METRICS_HOST, METRICS_PORT)`;
}

/** One line on why the bot could not start listening or connect to Slack. */
function whyNotStarted(config: Config, e: unknown): string {
  if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') return `port ${config.PORT} is in use (set PORT to another one)`;
  const slackError = (e as { data?: { error?: unknown } }).data?.error;
  if (config.SLACK_APP_TOKEN && typeof slackError === 'string') {
    return `Slack refused SLACK_APP_TOKEN when opening the Socket Mode connection (${slackError})`;
  }
  return e instanceof Error ? e.message : String(e);
}
