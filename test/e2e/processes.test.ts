/**
 * Muster as operators run it, real processes: `muster migrate`, a signal while work is in flight, and two
 * processes declaring at the same moment on one database file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrateFile } from '../../src/adapters/store/db.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';
import {
  type MusterProcess,
  musterCommand,
  musterProcessEnv,
  processCommand,
  startMusterProcess,
  killRunning,
  queryFile,
} from '../support/muster-process.js';
import { removeTempDirs, tempDir } from '../support/temp-dir.js';

const running: MusterProcess[] = [];
let slack: FakeSlack | null = null;
afterEach(async () => {
  killRunning(running);
  await slack?.close();
  slack = null;
});
afterAll(() => removeTempDirs());

const query = queryFile;

describe('muster migrate', () => {
  it('creates the file and its folder, applies every migration in WAL mode, and is idempotent', () => {
    const dir = tempDir();
    const dbFile = join(dir, 'state', 'nested', 'muster.db');
    const journal = JSON.parse(
      readFileSync(join(process.cwd(), 'migrations/sqlite/meta/_journal.json'), 'utf8'),
    ) as { entries: unknown[] };
    for (let run = 0; run < 2; run++) {
      // No Slack credentials: migrating needs none.
      const r = spawnSync(...musterCommand('migrate'), {
        cwd: dir,
        env: { PATH: process.env.PATH, DATABASE_URL: dbFile },
        encoding: 'utf8',
      });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      expect(r.stdout.trim()).toBe(`database ${dbFile} is up to date`);
      expect(query(dbFile, 'select count(*) as n from __drizzle_migrations')[0]!.n).toBe(
        journal.entries.length,
      );
    }
    expect(query(dbFile, 'pragma journal_mode')[0]!.journal_mode).toBe('wal');
    const tables = query(dbFile, "select name from sqlite_master where type = 'table'").map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining(['incidents', 'role_assignments', 'timeline_entries', 'inbound_events']),
    );
  });

  it('applies each migration once when several processes start at the same moment on a fresh file', async () => {
    const dir = tempDir();
    const dbFile = join(dir, 'muster.db');
    const journal = JSON.parse(
      readFileSync(join(process.cwd(), 'migrations/sqlite/meta/_journal.json'), 'utf8'),
    ) as { entries: unknown[] };
    // Another process holds the write lock while these start, so that they all meet at the migration: each
    // waits for the lock (busy_timeout), and none may find "nothing applied yet" and then fail.
    const holder = new Database(dbFile);
    holder.pragma('journal_mode = WAL');
    holder.exec('BEGIN IMMEDIATE');
    const runs = Array.from({ length: 4 }, () => {
      const child = spawn(...musterCommand('migrate'), {
        cwd: dir,
        env: { PATH: process.env.PATH, DATABASE_URL: dbFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      return new Promise<{ code: number | null; out: string }>((resolve) =>
        child.once('exit', (code) => resolve({ code, out: out.trim() })),
      );
    });
    await new Promise((r) => setTimeout(r, 2000));
    holder.exec('COMMIT');
    holder.close();
    for (const r of await Promise.all(runs))
      expect(r).toEqual({ code: 0, out: `database ${dbFile} is up to date` });
    expect(query(dbFile, 'select count(*) as n from __drizzle_migrations')[0]!.n).toBe(
      journal.entries.length,
    );
  });

  it('fails with one line and exit code 1 when the database cannot be created', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a-file'), '');
    const r = spawnSync(...musterCommand('migrate'), {
      cwd: dir,
      env: { PATH: process.env.PATH, DATABASE_URL: join(dir, 'a-file', 'muster.db') },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^muster: /);
  });
});

describe('a running process', () => {
  it('on SIGTERM finishes the declaration in flight, closes the database and exits 0', async () => {
    slack = await startFakeSlack();
    const dir = tempDir();
    const dbFile = join(dir, 'muster.db');
    const p = await startMusterProcess(musterProcessEnv(slack, dbFile, dir), dir);
    running.push(p);
    // Slack makes the channel wait a second: the provisioning is still in flight when the signal lands.
    slack.failNext('conversations.create', { error: 'ratelimited', retryAfter: 1 });
    const declared = await processCommand(slack, p.url, 'declare sev2 checkout returns 500s');
    expect(declared.status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);

    expect(slack.callsTo('conversations.create').map((c) => c.failedWith ?? 200)).toEqual([429, 200]);
    expect(slack.callsTo('pins.add')).toHaveLength(1);
    expect(JSON.stringify(slack.responses.map((r) => r.body))).toContain('is open in <#');
    // A clean close checkpoints the write-ahead log into the file and removes it (read before opening it here).
    expect(existsSync(`${dbFile}-wal`)).toBe(false);
    expect(query(dbFile, 'select number, provisioning from incidents')).toEqual([
      { number: 1, provisioning: 'done' },
    ]);
  });

  it('gives sequential numbers, none reused, to declarations arriving at the same moment at two processes on one file', async () => {
    slack = await startFakeSlack();
    const dir = tempDir();
    const dbFile = join(dir, 'muster.db');
    migrateFile(dbFile);
    const [a, b] = await Promise.all([
      startMusterProcess(musterProcessEnv(slack, dbFile, dir), dir),
      startMusterProcess(musterProcessEnv(slack, dbFile, dir), dir),
    ]);
    running.push(a!, b!);
    const perProcess = 12;
    const answers = await Promise.all(
      Array.from({ length: perProcess * 2 }, (_, i) =>
        processCommand(slack!, (i % 2 === 0 ? a : b)!.url, `declare outage ${i}`, `U0P${i}`),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(perProcess * 2).fill(200));
    const numbers = answers.map((r) => Number(/INC-(\d+):/.exec(r.text)?.[1]));
    expect([...numbers].sort((x, y) => x - y)).toEqual(
      Array.from({ length: perProcess * 2 }, (_, i) => i + 1),
    );

    // Both signals stop gracefully: channels still being created are finished first.
    a!.child.kill('SIGTERM');
    b!.child.kill('SIGINT');
    expect(await Promise.all([a!.exited, b!.exited])).toEqual([0, 0]);
    const rows = query(
      dbFile,
      'select number, title, channel_name, provisioning from incidents order by number',
    );
    expect(rows.every((r) => r.provisioning === 'done')).toBe(true);
    expect(rows.map((r) => r.number)).toEqual(numbers.slice().sort((x, y) => x - y));
    for (const r of rows) expect(r.channel_name).toBe(`inc-${r.number}-${String(r.title).replace(' ', '-')}`);
    expect(new Set(slack.callsTo('conversations.create').map((c) => c.args.name)).size).toBe(perProcess * 2);
  });
});
