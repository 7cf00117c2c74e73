/**
 * How Muster decides what to run, as real processes: `muster start` runs for Slack when a Slack variable is
 * set and falls back to the sandbox only when none is set at all (never in production); `muster sandbox`
 * always runs the sandbox. An empty or misspelt Slack variable stops start-up. The sandbox keeps its incidents in
 * SANDBOX_DATABASE_URL and its workspace in its own state file, and never opens DATABASE_URL, so real incidents'
 * pending pages stay untouched. It listens on 127.0.0.1 unless HOST says otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrationsFolder, openDb } from '../../src/adapters/store/db.js';
import { Store } from '../../src/adapters/store/store.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import { SIGNING_SECRET } from '../support/muster-harness.js';
import {
  type MusterProcess,
  musterCommand,
  startMusterProcess,
  killRunning,
  queryFile,
} from '../support/muster-process.js';
import { removeTempDirs, tempDir } from '../support/temp-dir.js';
import { databaseMigratedThrough } from '../support/older-database.js';

const running: MusterProcess[] = [];
let slack: FakeSlack | null = null;
afterEach(async () => {
  killRunning(running);
  await slack?.close();
  slack = null;
});
afterAll(() => removeTempDirs());

const query = queryFile;
const tables = (file: string): string[] =>
  query(file, "select name from sqlite_master where type = 'table'").map((t) => String(t.name));

/** A production database, in a folder of its own, holding a real incident whose page is waiting to be sent. */
async function productionWithPendingPage(dir: string): Promise<string> {
  const file = join(dir, 'production', 'muster.db');
  const store = new Store(openDb(file));
  const now = Date.now();
  await store.tx(async () => {
    const incident = await store.incidents.create({
      title: 'Payments are down for every card',
      severity: 1,
      teamId: 'T0REAL',
      declaredBy: 'U0REAL',
      declaredAt: now,
    });
    const page = await store.pages.create({
      incidentNumber: incident.number,
      service: 'payments',
      via: 'events',
      dedupKey: `muster-inc-${incident.number}-payments`,
      message: 'card payments fail',
      severity: 1,
      requestedBy: 'U0REAL',
      requestedAt: now,
    });
    await store.outbox.add(
      { incidentNumber: incident.number, kind: 'pagerduty.trigger', payload: { pageId: page.id } },
      now,
    );
  });
  await store.close();
  return file;
}

/** The folder of `file`: every name in it, with its bytes and modification time. */
function snapshot(file: string): Record<string, { bytes: string; mtimeMs: number }> {
  const dir = join(file, '..');
  return Object.fromEntries(
    readdirSync(dir).map((name) => {
      const path = join(dir, name);
      return [name, { bytes: readFileSync(path).toString('base64'), mtimeMs: statSync(path).mtimeMs }];
    }),
  );
}

/** Runs `muster <command>` to its end with exactly `env` (plus PATH). */
function runToEnd(command: string, env: Record<string, string>, cwd: string) {
  return spawnSync(...musterCommand(command), {
    cwd,
    env: { PATH: process.env.PATH, PORT: '0', ...env },
    encoding: 'utf8',
  });
}

/** Whether something accepts a TCP connection at host:port. */
const accepts = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const portOf = (p: MusterProcess): number => Number(new URL(p.url).port);

/** Stops a process as Ctrl-C does: it finishes its work (the start-up delivery of pending pages included). */
async function interrupt(p: MusterProcess): Promise<number | NodeJS.Signals | null> {
  p.child.kill('SIGINT');
  return p.exited;
}

describe('an empty or misspelt Slack variable', () => {
  it.each([
    [
      'both credentials empty, as a missing secret leaves them',
      { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' },
      'SLACK_BOT_TOKEN',
    ],
    [
      'a blank signing secret',
      { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: '  ' },
      'SLACK_SIGNING_SECRET',
    ],
    ['an empty app-level token', { SLACK_APP_TOKEN: '' }, 'SLACK_APP_TOKEN'],
  ])('stops `muster start` with one line naming it, and opens nothing: %s', async (_what, slackEnv, name) => {
    const dir = tempDir();
    const production = await productionWithPendingPage(dir);
    const before = snapshot(production);
    const r = runToEnd(
      'start',
      { ...slackEnv, DATABASE_URL: production, SANDBOX_DATABASE_URL: join(dir, 'sandbox.db') },
      dir,
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `muster: ${name} is set but empty: give it a value, or remove it to use the default\n`,
    );
    expect(snapshot(production)).toEqual(before);
    expect(existsSync(join(dir, 'sandbox.db'))).toBe(false);
    expect(existsSync(join(dir, 'sandbox-workspace.db'))).toBe(false);
  });

  it('stops `muster sandbox` too: an empty variable is an error in every mode', () => {
    const dir = tempDir();
    const r = runToEnd('sandbox', { SLACK_SIGNING_SECRET: '' }, dir);
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 1,
      stderr:
        'muster: SLACK_SIGNING_SECRET is set but empty: give it a value, or remove it to use the default\n',
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('stops start-up with the name it probably meant, rather than running the sandbox', () => {
    const dir = tempDir();
    const r = runToEnd('start', { SLACK_BOT_TOKN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'shh' }, dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('muster: SLACK_BOT_TOKN is not a Muster variable: did you mean SLACK_BOT_TOKEN?\n');
    const both = runToEnd('start', { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNNG_SECRET: 'shh' }, dir);
    expect(both.stderr).toBe(
      'muster: SLACK_SIGNNG_SECRET is not a Muster variable: did you mean SLACK_SIGNING_SECRET?\n',
    );
    expect(both.status).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('muster start without any Slack variable', () => {
  it('is an error in production', () => {
    const dir = tempDir();
    const r = runToEnd('start', { NODE_ENV: 'production' }, dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'muster: no Slack variable is set and NODE_ENV is production: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET ' +
        '(the local sandbox runs only with `muster sandbox`)\n',
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('runs the sandbox on its own database, says so in one line, and never opens DATABASE_URL', async () => {
    const dir = tempDir();
    const production = await productionWithPendingPage(dir);
    const before = snapshot(production);
    const sandboxDb = join(dir, 'sandbox', 'state.db');
    const stateFile = join(dir, 'sandbox', 'state-workspace.db');
    const p = await startMusterProcess(
      { DATABASE_URL: production, SANDBOX_DATABASE_URL: sandboxDb, LOG_LEVEL: 'warn' },
      dir,
    );
    running.push(p);
    const lines = p.output().split('\n');
    expect(lines[0]).toBe(
      'Muster is running in sandbox mode because no Slack variable is set; to connect Slack, set SLACK_BOT_TOKEN ' +
        'and SLACK_SIGNING_SECRET (see README.md, "Create the Slack app").',
    );
    expect(p.output()).toContain(
      `The sandbox is kept in ${sandboxDb} and its workspace in ${stateFile}; catalog: the demo catalog.`,
    );
    expect((await fetch(`${p.url}/healthz`)).status).toBe(200);
    // Ctrl-C waits for the start-up work, the delivery of pending pages included, before exiting.
    expect(await interrupt(p)).toBe(0);

    expect(snapshot(production)).toEqual(before);
    expect(query(production, 'select status from pages')).toEqual([{ status: 'pending' }]);
    expect(query(production, 'select state, attempts from outbox')).toEqual([
      { state: 'pending', attempts: 0 },
    ]);
    // the sandbox's database has Muster's tables only, and none of the real incidents; the workspace is in the
    // sandbox's own state file beside it
    expect(tables(sandboxDb)).toEqual(expect.arrayContaining(['incidents', 'pages', 'outbox']));
    for (const table of ['sandbox_state', 'sandbox_workspace', '__sandbox_migrations'])
      expect(tables(sandboxDb)).not.toContain(table);
    expect(query(sandboxDb, 'select count(*) as n from incidents')).toEqual([{ n: 0 }]);
    expect(tables(stateFile).sort()).toEqual(['__sandbox_migrations', 'sandbox_workspace']);
    expect(
      query(stateFile, "select count(*) as n from sandbox_workspace where key = 'slack_workspace'"),
    ).toEqual([{ n: 1 }]);
  });

  it('does not create DATABASE_URL or its folder', async () => {
    const dir = tempDir();
    const p = await startMusterProcess(
      {
        DATABASE_URL: join(dir, 'absent', 'muster.db'),
        SANDBOX_DATABASE_URL: join(dir, 'sandbox.db'),
        LOG_LEVEL: 'warn',
      },
      dir,
    );
    running.push(p);
    expect(await interrupt(p)).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['sandbox-workspace.db', 'sandbox.db']);
  });
});

describe('muster sandbox', () => {
  it('runs the sandbox even with Slack variables set, says it ignores them, and leaves DATABASE_URL alone', async () => {
    slack = await startFakeSlack();
    const dir = tempDir();
    const production = await productionWithPendingPage(dir);
    const before = snapshot(production);
    const p = await startMusterProcess(
      {
        SLACK_BOT_TOKEN: slack.token,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        DATABASE_URL: production,
        SANDBOX_DATABASE_URL: join(dir, 'sandbox.db'),
        LOG_LEVEL: 'warn',
      },
      dir,
      'sandbox',
    );
    running.push(p);
    const lines = p.output().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'Muster is running in sandbox mode (muster sandbox).',
      'The sandbox ignores SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL: it never connects to Slack.',
    ]);
    const page = await fetch(`${p.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('not connected to Slack');
    expect(await interrupt(p)).toBe(0);
    // it never called the Slack it was given, and never touched the bot's database
    expect(slack.calls).toEqual([]);
    expect(snapshot(production)).toEqual(before);
    expect(query(production, 'select state from outbox')).toEqual([{ state: 'pending' }]);
  });

  it('restores its workspace from its own file after a restart', async () => {
    const dir = tempDir();
    const env = { SANDBOX_DATABASE_URL: join(dir, 'sandbox.db'), LOG_LEVEL: 'warn' };
    const stateFile = join(dir, 'sandbox-workspace.db');
    const first = await startMusterProcess(env, dir, 'sandbox');
    running.push(first);
    expect(first.output()).not.toContain('(restored)');
    expect(await interrupt(first)).toBe(0);
    // what the second run shows comes from the file: a channel renamed in it while the sandbox was stopped
    const db = new Database(stateFile);
    const row = db.prepare("select value from sandbox_workspace where key = 'slack_workspace'").get() as {
      value: string;
    };
    const saved = JSON.parse(row.value) as { channels: { name: string }[] };
    const general = saved.channels.find((c) => c.name === 'general')!;
    general.name = 'general-from-the-file';
    db.prepare("update sandbox_workspace set value = ? where key = 'slack_workspace'").run(
      JSON.stringify(saved),
    );
    db.close();
    const second = await startMusterProcess(env, dir, 'sandbox');
    running.push(second);
    expect(second.output()).toContain(
      `The sandbox is kept in ${env.SANDBOX_DATABASE_URL} and its workspace in ${stateFile} (restored)`,
    );
    const state = (await (await fetch(`${second.url}/sandbox/state?user=U0ALICE`)).json()) as {
      channels: { name: string }[];
    };
    expect(state.channels.map((c) => c.name)).toContain('general-from-the-file');
    expect(await interrupt(second)).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['sandbox-workspace.db', 'sandbox.db']);
  });

  it('keeps its workspace in SANDBOX_STATE_FILE when it is set, and refuses one of its databases there', async () => {
    const dir = tempDir();
    const env = {
      SANDBOX_DATABASE_URL: join(dir, 'sandbox.db'),
      SANDBOX_STATE_FILE: join(dir, 'state', 'workspace.db'),
      LOG_LEVEL: 'warn',
    };
    const p = await startMusterProcess(env, dir, 'sandbox');
    running.push(p);
    expect(p.output()).toContain(`and its workspace in ${env.SANDBOX_STATE_FILE};`);
    expect(await interrupt(p)).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['sandbox.db', 'state']);
    expect(query(env.SANDBOX_STATE_FILE, 'select key from sandbox_workspace')).toEqual([
      { key: 'slack_workspace' },
    ]);

    for (const name of ['SANDBOX_DATABASE_URL', 'DATABASE_URL']) {
      const same = runToEnd(
        'sandbox',
        {
          DATABASE_URL: join(dir, 'muster.db'),
          SANDBOX_DATABASE_URL: env.SANDBOX_DATABASE_URL,
          SANDBOX_STATE_FILE: name === 'DATABASE_URL' ? join(dir, 'muster.db') : env.SANDBOX_DATABASE_URL,
        },
        dir,
      );
      expect({ status: same.status, stderr: same.stderr }).toEqual({
        status: 1,
        stderr: `muster: could not start the sandbox: SANDBOX_STATE_FILE is ${name}: the sandbox keeps its workspace in a file of its own\n`,
      });
    }
    expect(readdirSync(dir).sort()).toEqual(['sandbox.db', 'state']);
  });
});

describe('the listening address', () => {
  it('is 127.0.0.1 for the sandbox: another loopback address is refused', async () => {
    const dir = tempDir();
    const p = await startMusterProcess(
      { SANDBOX_DATABASE_URL: join(dir, 'sandbox.db'), LOG_LEVEL: 'warn' },
      dir,
      'sandbox',
    );
    running.push(p);
    expect(p.output()).toContain(`  Open http://127.0.0.1:${portOf(p)}/`);
    expect(p.output()).not.toContain('reachable from the network');
    expect(await accepts('127.0.0.1', portOf(p))).toBe(true);
    expect(await accepts('127.0.0.2', portOf(p))).toBe(false);
    expect(await interrupt(p)).toBe(0);
  });

  it('is HOST when set for the sandbox, with a warning that the network can reach it', async () => {
    const dir = tempDir();
    const p = await startMusterProcess(
      { SANDBOX_DATABASE_URL: join(dir, 'sandbox.db'), HOST: '0.0.0.0', LOG_LEVEL: 'warn' },
      dir,
      'sandbox',
    );
    running.push(p);
    const port = portOf(p);
    expect(p.output()).toContain(
      `Warning: HOST is 0.0.0.0, so the sandbox is reachable from the network at http://0.0.0.0:${port}.`,
    );
    // the JSON log line may follow the printed lines by a moment: both are written by the time it appears
    await expect.poll(() => p.output(), { timeout: 10_000 }).toMatch(/\{.*reachable from the network/);
    const warning = p
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: string; msg: string; host?: string })
      .find((l) => l.msg.includes('reachable from the network'));
    expect(warning).toMatchObject({ level: 'warn', host: '0.0.0.0' });
    expect(await accepts('127.0.0.2', port)).toBe(true);
    // the app still reaches its own workspace through loopback
    expect((await fetch(`${p.url}/readyz`)).status).toBe(200);
    expect(await interrupt(p)).toBe(0);
  });

  it('is every interface for Slack by default, and HOST when set', async () => {
    slack = await startFakeSlack();
    const dir = tempDir();
    const env = {
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: join(dir, 'muster.db'),
      CATALOG_PATH: join(dir, 'catalog.yaml'),
      LOG_LEVEL: 'warn',
    };
    const open = await startMusterProcess(env, dir);
    running.push(open);
    expect(open.output().split('\n')[0]).toBe(
      `Muster is listening on http://0.0.0.0:${portOf(open)} (POST /slack/events)`,
    );
    expect(await accepts('127.0.0.2', portOf(open))).toBe(true);
    expect(await interrupt(open)).toBe(0);

    const local = await startMusterProcess({ ...env, HOST: '127.0.0.1' }, dir);
    running.push(local);
    expect(local.output().split('\n')[0]).toBe(
      `Muster is listening on http://127.0.0.1:${portOf(local)} (POST /slack/events)`,
    );
    expect(await accepts('127.0.0.2', portOf(local))).toBe(false);
    expect(await interrupt(local)).toBe(0);
  });
});

describe('the migration that takes the sandbox out of the production schema', () => {
  it('drops sandbox_state from a database made before it, keeping the incidents', () => {
    const dir = tempDir();
    const file = join(dir, 'muster.db');
    // the migrations as released before this one, applied by the same migrator
    const db = databaseMigratedThrough(file, '0002_sandbox');
    db.prepare(
      "insert into sandbox_state (key, value, updated_at) values ('slack_workspace', '{}', 1)",
    ).run();
    db.prepare(
      "insert into incidents (title, severity, status, team_id, declared_by, declared_at, updated_at) values ('kept', 2, 'investigating', 'T0', 'U0', 1, 1)",
    ).run();
    db.close();
    expect(tables(file)).toContain('sandbox_state');

    const r = runToEnd('migrate', { DATABASE_URL: file }, dir);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(tables(file)).not.toContain('sandbox_state');
    expect(query(file, 'select title from incidents')).toEqual([{ title: 'kept' }]);
    const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta/_journal.json'), 'utf8')) as {
      entries: unknown[];
    };
    expect(query(file, 'select count(*) as n from "__drizzle_migrations"')).toEqual([
      { n: journal.entries.length },
    ]);
  });
});
