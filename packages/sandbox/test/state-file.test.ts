/**
 * The sandbox's state file: where it is, that it is never one of Muster's databases, and the upgrade that moves
 * a workspace an older sandbox kept inside its Muster database (SANDBOX_DATABASE_URL) into it.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { queryFile } from '../../../test/support/muster-process.js';
import { removeTempDirs, tempDir } from '../../../test/support/temp-dir.js';
import { stateFileBeside, stateFileOf } from '../src/state-file.js';
import { moveLegacyWorkspace } from '../src/store/legacy-workspace.js';
import {
  SANDBOX_MIGRATIONS_TABLE,
  sandboxMigrationsFolder,
  WorkspaceStore,
} from '../src/store/workspace-store.js';
import { startTestSandbox } from './support/sandbox-harness.js';

afterAll(() => removeTempDirs());

const tables = (file: string): string[] =>
  queryFile(file, "select name from sqlite_master where type = 'table' order by name").map((t) =>
    String(t.name),
  );

/** Puts the sandbox's table into `file` as the sandbox did before it had a state file: its migrations, run there. */
function legacyTable(file: string, rows: { key: string; value: string; at: number }[]): void {
  const client = new Database(file);
  migrate(drizzle({ client }), {
    migrationsFolder: sandboxMigrationsFolder(),
    migrationsTable: SANDBOX_MIGRATIONS_TABLE,
  });
  const insert = client.prepare('insert into sandbox_workspace (key, value, updated_at) values (?, ?, ?)');
  for (const r of rows) insert.run(r.key, r.value, r.at);
  client.close();
}

describe('where the state file is', () => {
  it.each([
    ['./data/sandbox.db', './data/sandbox-workspace.db'],
    ['/srv/muster/sandbox.sqlite3', '/srv/muster/sandbox-workspace.sqlite3'],
    ['/tmp/v1.2/sandbox', '/tmp/v1.2/sandbox-workspace'],
    ['sqlite:./data/sandbox.db', 'sqlite:./data/sandbox-workspace.db'],
    [':memory:', ':memory:'],
  ])('beside SANDBOX_DATABASE_URL=%s by default: %s', (database, state) => {
    expect(stateFileBeside(database)).toBe(state);
    expect(stateFileOf({ DATABASE_URL: './data/muster.db', SANDBOX_DATABASE_URL: database })).toBe(state);
  });

  it("is SANDBOX_STATE_FILE when set, unless that is one of Muster's databases", () => {
    const files = { DATABASE_URL: './data/muster.db', SANDBOX_DATABASE_URL: './data/sandbox.db' };
    expect(stateFileOf({ ...files, SANDBOX_STATE_FILE: '/var/sandbox/ws.db' })).toBe('/var/sandbox/ws.db');
    expect(() => stateFileOf({ ...files, SANDBOX_STATE_FILE: 'data/sandbox.db' })).toThrow(
      'SANDBOX_STATE_FILE is SANDBOX_DATABASE_URL: the sandbox keeps its workspace in a file of its own',
    );
    expect(() => stateFileOf({ ...files, SANDBOX_STATE_FILE: 'sqlite:./data/muster.db' })).toThrow(
      'SANDBOX_STATE_FILE is DATABASE_URL: the sandbox keeps its workspace in a file of its own',
    );
  });
});

describe('the state file', () => {
  it('is made with its folder, and holds the workspace table and its migrations only', () => {
    const dir = tempDir();
    const file = join(dir, 'nested', 'ws.db');
    const store = new WorkspaceStore(file);
    store.put('slack_workspace', '{"a":1}', 5);
    store.put('slack_workspace', '{"a":2}', 6);
    expect(store.get('slack_workspace')).toBe('{"a":2}');
    expect(store.get('other')).toBeNull();
    store.close();
    expect(tables(file)).toEqual([SANDBOX_MIGRATIONS_TABLE, 'sandbox_workspace']);
    // a rollback journal, gone once written: no log beside it keeps earlier versions of the workspace
    expect(readdirSync(join(dir, 'nested'))).toEqual(['ws.db']);
  });
});

describe('the upgrade from a workspace kept in the Muster database', () => {
  it('moves it to the state file and leaves the Muster database with Muster tables only', () => {
    const dir = tempDir();
    const database = join(dir, 'sandbox.db');
    const muster = new Database(database);
    muster.exec('create table incidents (number integer primary key)');
    muster.close();
    legacyTable(database, [{ key: 'slack_workspace', value: '{"old":true}', at: 7 }]);
    const store = new WorkspaceStore(join(dir, 'sandbox-workspace.db'));
    expect(moveLegacyWorkspace(database, store)).toBe(true);
    expect(store.get('slack_workspace')).toBe('{"old":true}');
    expect(tables(database)).toEqual(['incidents']);
    // once moved, there is nothing left to move
    expect(moveLegacyWorkspace(database, store)).toBe(false);
    store.close();
  });

  it('keeps a workspace the state file already holds, and drops the old table all the same', () => {
    const dir = tempDir();
    const database = join(dir, 'sandbox.db');
    legacyTable(database, [{ key: 'slack_workspace', value: '{"old":true}', at: 7 }]);
    const store = new WorkspaceStore(join(dir, 'sandbox-workspace.db'));
    store.put('slack_workspace', '{"new":true}', 8);
    expect(moveLegacyWorkspace(database, store)).toBe(true);
    expect(store.get('slack_workspace')).toBe('{"new":true}');
    expect(tables(database)).toEqual([]);
    store.close();
  });

  it('opens no file that is not there', () => {
    const dir = tempDir();
    const store = new WorkspaceStore(join(dir, 'sandbox-workspace.db'));
    expect(moveLegacyWorkspace(join(dir, 'sandbox.db'), store)).toBe(false);
    expect(moveLegacyWorkspace(':memory:', store)).toBe(false);
    store.close();
    expect(existsSync(join(dir, 'sandbox.db'))).toBe(false);
  });

  it('lets an upgraded sandbox restart on its old workspace: the incidents and their channels still agree', async () => {
    const first = await startTestSandbox();
    const alice = 'U0ALICE';
    const general = first.sandbox.workspace.channel('general')!;
    await first.sandbox.people.type(alice, general.id, 'said before the upgrade');
    await first.sandbox.idle();
    await first.sandbox.stop();
    // the files as the older sandbox left them: the workspace inside sandbox.db, no state file
    const stateFile = join(first.dir, 'sandbox-workspace.db');
    const saved = queryFile(stateFile, 'select key, value, updated_at as at from sandbox_workspace') as {
      key: string;
      value: string;
      at: number;
    }[];
    legacyTable(join(first.dir, 'sandbox.db'), saved);
    rmSync(stateFile);

    const second = await startTestSandbox({ dir: first.dir });
    try {
      expect(second.sandbox.restored).toBe(true);
      expect(second.sandbox.workspace.messages(general.id).map((m) => m.text)).toContain(
        'said before the upgrade',
      );
      expect(second.logs.records()).toContainEqual(
        expect.objectContaining({ msg: 'moved the sandbox workspace to its own file', to: stateFile }),
      );
      const musterTables = tables(join(first.dir, 'sandbox.db'));
      expect(musterTables).toContain('incidents');
      expect(musterTables).not.toContain('sandbox_workspace');
      expect(musterTables).not.toContain(SANDBOX_MIGRATIONS_TABLE);
    } finally {
      await second.sandbox.stop();
    }
  });
});
