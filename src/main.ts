/**
 * Starts the bot, or the sandbox: config, app, signals. A bad configuration is one line and exit code 1, no
 * stack trace. `muster start` runs for Slack when a Slack variable is set, and falls back to the sandbox only
 * when none is set at all and NODE_ENV is not production; `muster sandbox` always runs the sandbox.
 */
import { buildApp, type MusterApp, openStore } from './compose.js';
import {
  type Config,
  ConfigError,
  httpAddress,
  isLoopback,
  listenHost,
  loadConfig,
  readEnv,
  withoutSlack,
} from './config.js';
// The sandbox is another program (packages/sandbox), loaded only in sandbox mode: the bot never parses it.
import type { Sandbox } from '../packages/sandbox/src/index.js';

/** What was asked for: the bot (`muster start`) or the sandbox (`muster sandbox`). */
export type StartMode = 'start' | 'sandbox';

const fail = (message: string): never => {
  process.stderr.write(`muster: ${message}\n`);
  process.exit(1);
};

function configFor(
  env: Record<string, string | undefined>,
  mode: StartMode,
): { config: Config; ignored: string[] } {
  const given = mode === 'sandbox' ? withoutSlack(env) : { env, ignored: [] };
  let config: Config;
  try {
    config = loadConfig(given.env);
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.message);
    throw e;
  }
  if (mode === 'start' && config.sandbox && config.production) {
    fail(
      'no Slack variable is set and NODE_ENV is production: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET ' +
        '(the local sandbox runs only with `muster sandbox`)',
    );
  }
  return { config, ignored: given.ignored };
}

export async function main(env = readEnv(), mode: StartMode = 'start'): Promise<void> {
  const { config, ignored } = configFor(env, mode);
  let app: MusterApp;
  let stopAll: () => Promise<void>;
  // printed once the signals are handled, so a Ctrl-C right after it still shuts down cleanly
  let ready: string;
  if (config.sandbox) {
    const sandbox = await runSandbox(config);
    app = sandbox.app;
    stopAll = () => sandbox.stop();
    ready = sandboxReady(config, sandbox, mode, ignored);
  } else {
    // PostgreSQL: a lost connection is replaced by the pool; it is logged once the app's log exists
    let connectionLost = (e: Error) => process.emitWarning(`PostgreSQL connection lost: ${e.message}`);
    try {
      const store = await openStore(config, (e) => connectionLost(e));
      app = buildApp(config, store ? { store } : {});
    } catch (e) {
      return fail(`could not start: ${(e as Error).message}`);
    }
    const log = app.log;
    connectionLost = (err) => log.warn({ err }, 'a PostgreSQL connection was lost; the pool opens another');
    const host = listenHost(config);
    let port: number;
    try {
      port = await app.start(config.PORT, host);
    } catch (e) {
      return fail(`could not start: ${whyNotStarted(config, e)}`);
    }
    ready = `Muster is listening on ${httpAddress(host, port)} (POST /slack/events)\n${metricsLine(app)}\n`;
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
    const r = app.catalog.reload();
    app.log.info({ ok: r.ok }, 'catalog reload on SIGHUP');
  });
  process.stdout.write(ready);
}

/** Starts the sandbox; exits 1 when it cannot start. */
async function runSandbox(config: Config): Promise<Sandbox> {
  try {
    const { startSandbox } = await import('../packages/sandbox/src/index.js');
    return await startSandbox(config);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? `port ${config.PORT} is in use (set PORT to another one)`
        : (e as Error).message;
    return fail(`could not start the sandbox: ${why}`);
  }
}

/** What the sandbox prints at start: why it runs, what it ignores, where its page is, where it keeps its state. */
function sandboxReady(config: Config, sandbox: Sandbox, mode: StartMode, ignored: string[]): string {
  const why =
    mode === 'start'
      ? 'Muster is running in sandbox mode because no Slack variable is set; to connect Slack, set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see README.md, "Create the Slack app").'
      : 'Muster is running in sandbox mode (muster sandbox).';
  const lines = [why];
  if (ignored.length > 0) {
    lines.push(`The sandbox ignores ${ignored.join(', ')}: it never connects to Slack.`);
  }
  if (!isLoopback(sandbox.host)) {
    lines.push(
      `Warning: HOST is ${config.HOST}, so the sandbox is reachable from the network at ${httpAddress(sandbox.host, sandbox.port)}.`,
    );
  }
  lines.push(
    'A local workspace and PagerDuty stand in for Slack and PagerDuty. Nothing leaves this machine.',
    '',
    `  Open ${sandbox.url}`,
    '  Try:  /incident declare sev2 Checkout returns 502 for card payments',
    '',
    `The sandbox is kept in ${config.SANDBOX_DATABASE_URL} and its workspace in ${sandbox.stateFile}` +
      `${sandbox.restored ? ' (restored)' : ''}; ` +
      `catalog: ${sandbox.catalog === 'demo' ? 'the demo catalog' : config.CATALOG_PATH}.`,
    metricsLine(sandbox.app),
    '',
  );
  return lines.join('\n');
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
  if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
    return `port ${config.PORT} is in use (set PORT to another one)`;
  const slackError = (e as { data?: { error?: unknown } }).data?.error;
  if (config.SLACK_APP_TOKEN && typeof slackError === 'string') {
    return `Slack refused SLACK_APP_TOKEN when opening the Socket Mode connection (${slackError})`;
  }
  return e instanceof Error ? e.message : String(e);
}
