/**
 * Starts the sandbox (Muster with its built-in workspace and PagerDuty) the way `npm start` does without Slack
 * credentials: temp sandbox database, no catalog file (so the demo catalog is used), a free port, logs captured.
 */
import { join } from 'node:path';
import { loadConfig } from '../../../../src/index.js';
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
