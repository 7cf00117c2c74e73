/** Opening the database: file and folder created, WAL with a busy timeout, migrations, numbers never reused. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/adapters/store/db.js';
import { Store } from '../../../src/adapters/store/store.js';
import { removeTempDirs, tempDir } from '../../support/temp-dir.js';

afterAll(() => removeTempDirs());

const declare = async (store: Store, title: string) =>
  store.tx(async () =>
    store.incidents.create({
      title,
      severity: 3,
      teamId: 'T0MUSTER',
      declaredBy: 'U0ALICE',
      declaredAt: 1_700_000_000_000,
    }),
  );

describe('the database', () => {
  it('creates the file and its folders, in WAL mode with the busy timeout and foreign keys on', () => {
    const file = join(tempDir(), 'a', 'b', 'muster.db');
    const db = openDb(file, { busyTimeoutMs: 1234 });
    try {
      expect(existsSync(file)).toBe(true);
      expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(1234);
      expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      db.$client.close();
    }
  });

  it('applies migrations once: reopening changes nothing and keeps the data', async () => {
    const file = join(tempDir(), 'muster.db');
    const first = new Store(openDb(file));
    await declare(first, 'db down');
    const applied = first.db.$client.prepare('select count(*) as n from __drizzle_migrations').get() as {
      n: number;
    };
    await first.close();
    const again = new Store(openDb(file));
    try {
      expect(again.db.$client.prepare('select count(*) as n from __drizzle_migrations').get()).toEqual(
        applied,
      );
      expect((await again.incidents.get(1))?.title).toBe('db down');
    } finally {
      await again.close();
    }
  });

  it('never reuses an incident number, even after the last incident row is deleted', async () => {
    const store = new Store(openDb(join(tempDir(), 'muster.db')));
    try {
      expect([(await declare(store, 'one')).number, (await declare(store, 'two')).number]).toEqual([1, 2]);
      store.db.$client.prepare('delete from incidents where number = 2').run();
      expect((await declare(store, 'three')).number).toBe(3);
    } finally {
      await store.close();
    }
  });
});
