/**
 * Starts the sandbox (Muster with its built-in workspace and PagerDuty) the way `npm start` does without Slack
 * credentials: temp sandbox database, no catalog file (so the demo catalog is used), a free port, logs captured.
 */
import { join } from 'node:path';
import { type Config, loadConfig } from '../../../../src/index.js';
import { sandboxConfig } from '../../src/sandbox-config.js';
import { INCIDENTS_CHANNEL_ID } from '../../src/slack-workspace-seed.js';
import { type Sandbox, startSandbox } from '../../src/index.js';
import { LogCapture } from '../../../../test/support/log-capture.js';
import { tempDir } from '../../../../test/support/temp-dir.js';

export interface TestSandbox {
  sandbox: Sandbox;
  dir: string;
  logs: LogCapture;
  /** `http://127.0.0.1:PORT` */
  base: string;
  /** Stops this sandbox and starts another on the same database (a restart). */
  restart(): Promise<TestSandbox>;
}

/** Starts a sandbox on a free port; `dir` reuses a database folder. */
export async function startTestSandbox(
  opts: { dir?: string; acknowledgeAfterMs?: number; pickPort?: (host: string) => Promise<number> } = {},
): Promise<TestSandbox> {
  const dir = opts.dir ?? tempDir('muster-sandbox-');
  const logs = new LogCapture();
  const config = loadConfig({
    SANDBOX_DATABASE_URL: join(dir, 'sandbox.db'),
    CATALOG_PATH: join(dir, 'no-catalog.yaml'),
    LOG_LEVEL: 'info',
    METRICS_PORT: '0',
  });
  const sandbox = await startSandbox(config, {
    port: 0,
    acknowledgeAfterMs: opts.acknowledgeAfterMs ?? 100,
    eventRetryDelaysMs: [20, 50, 100],
    ...(opts.pickPort ? { pickPort: opts.pickPort } : {}),
    overrides: {
      logDestination: logs,
      tickIntervalMs: 0,
      slackRetry: { retries: 2, minTimeout: 5, maxTimeout: 20 },
    },
  });
  const t: TestSandbox = {
    sandbox,
    dir,
    logs,
    base: `http://127.0.0.1:${sandbox.port}`,
    async restart() {
      await sandbox.stop();
      return startTestSandbox({ ...opts, dir });
    },
  };
  return t;
}

/**
 * The config a sandbox on port 3000 would run with, given a developer's environment `env` (with a sandbox
 * database and no catalog in a temp folder): its Slack token and secret, PagerDuty and GitHub are the sandbox's.
 */
export function sandboxConfigFrom(env: Record<string, string>): Config {
  const dir = tempDir('muster-sandbox-config-');
  const base = loadConfig({
    ...env,
    SANDBOX_DATABASE_URL: join(dir, 'sandbox.db'),
    CATALOG_PATH: join(dir, 'none.yaml'),
  });
  return sandboxConfig(base, {
    port: 3000,
    localUrl: 'http://127.0.0.1:3000',
    botToken: 'xoxb-sandbox',
    signingSecret: 'signing',
    webhookSecret: 'pagerduty',
    announceChannel: INCIDENTS_CHANNEL_ID,
    pagerdutyUrl: 'http://127.0.0.1:3000/sandbox/pagerduty',
    pagerdutyToken: 'pd',
    pagerdutyFrom: 'muster@example.com',
    githubUrl: 'http://127.0.0.1:3000/sandbox/github',
    githubToken: 'ghp_sandbox_1',
    githubWebhookSecret: 'github-sandbox-secret',
    env: {},
  }).config;
}
