/**
 * How tests run the `muster` command line as a real process, from the built files (the e2e tier builds them
 * first when they are stale: build-global-setup.ts): the bot and the sandbox as `npm start` runs them,
 * `node dist/cli.js`, and every other command as `npm run muster` runs it, `node dist/muster.cjs`. One `node`
 * process, so a signal (kill -9 included) reaches Muster itself and not a wrapper that would leave it running.
 */
import Database from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { FakeSlack } from '../fakes/fake-slack.js';
import { SIGNING_SECRET } from './muster-harness.js';
import { signedHeaders } from './sign.js';

const root = process.cwd();
/** The executable and arguments of `muster <args>`, as the package scripts run the built files. */
export function musterCommand(...args: string[]): [string, string[]] {
  const server = args[0] === 'start' || args[0] === 'sandbox';
  return [process.execPath, [join(root, server ? 'dist/cli.js' : 'dist/muster.cjs'), ...args]];
}

/**
 * Runs `muster <args>` to its end in the repository folder with exactly `env` (plus PATH and HOME), without
 * blocking the test process, so that several runs go side by side; resolves with its exit code and output.
 */
export function runMuster(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(...musterCommand(...args), {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export interface MusterProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT` of the running bot or sandbox */
  url: string;
  /** everything it wrote on stdout and stderr so far */
  output(): string;
  /** resolves with the exit code (or the signal that ended it) */
  exited: Promise<number | NodeJS.Signals | null>;
}

/**
 * Starts `muster start` (or `command`: another command such as `sandbox`, or another build of it as an
 * executable and its arguments) in `cwd` with exactly `env` (plus PATH, and PORT and METRICS_PORT 0 unless
 * given); resolves once it says where it listens (the bot) or where its page is (the sandbox), rejects with
 * its output when it exits first.
 */
export async function startMusterProcess(
  env: Record<string, string>,
  cwd: string,
  command: string | [string, string[]] = 'start',
): Promise<MusterProcess> {
  const child = spawn(...(typeof command === 'string' ? musterCommand(command) : command), {
    cwd,
    env: { PATH: process.env.PATH, PORT: '0', METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /(?:listening on|Open) http:\/\/\S+?:(\d+)[/ ]/.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    void exited.then((code) => reject(new Error(`muster exited (${code}): ${out}`)));
  });
  return { child, url, output: () => out, exited };
}

/** The environment of a bot process against `slack`, with its database `dbFile` and no catalog. */
export function musterProcessEnv(slack: FakeSlack, dbFile: string, dir: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DATABASE_URL: dbFile,
    CATALOG_PATH: join(dir, 'catalog.yaml'),
    COMMANDS_PER_MINUTE: '10000',
    LOG_LEVEL: 'warn',
  };
}

/** Sends `/incident <text>` from `channel` (#general) to the bot at `url`, signed; returns the status and the answer's text. */
export async function processCommand(
  slack: FakeSlack,
  url: string,
  text: string,
  user = 'U0ALICE',
  channel = 'C0GENERAL',
): Promise<{ status: number; text: string }> {
  const body = new URLSearchParams({
    team_id: 'T0MUSTER',
    channel_id: channel,
    user_id: user,
    user_name: 'someone',
    command: '/incident',
    text,
    response_url: slack.responseUrl(),
    trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e9)}.trigger`,
  }).toString();
  const r = await fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...signedHeaders(SIGNING_SECRET, body) },
    body,
  });
  const json = (await r.json().catch(() => ({}))) as { text?: string };
  return { status: r.status, text: String(json.text ?? '') };
}

/** Ends every process in `running` that is still alive (SIGKILL) and empties the list: for a file's afterEach. */
export function killRunning(running: MusterProcess[]): void {
  for (const p of running.splice(0))
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
}

/** Rows of `sql` read from the SQLite file of a Muster process beside it (read-only). */
export function queryFile(file: string, sql: string): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
