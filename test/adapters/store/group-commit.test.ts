/** Group commit: writes of one moment share a transaction, each with its own savepoint. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/adapters/store/db.js';
import { Store } from '../../../src/adapters/store/store.js';
import { removeTempDirs, tempDir } from '../../support/temp-dir.js';

afterAll(() => removeTempDirs());

describe('Store.batched', () => {
  it('commits a burst of writes together, keeps each result, and lets one failing write fail alone', async () => {
    const file = join(tempDir(), 'm.db');
    const store = new Store(openDb(file));
    const user = (id: string) => async () => {
      await store.users.put({ id, name: id, displayName: id, isBot: false, deleted: false }, 1);
      return id;
    };
    const results = await Promise.allSettled([
      store.batched(user('U1')),
      store.batched(async () => {
        await store.users.put({ id: 'U2', name: 'U2', displayName: 'U2', isBot: false, deleted: false }, 1);
        throw new Error('this write fails');
      }),
      store.batched(user('U3')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseFulfilledResult<string>).value).toBe('U1');
    // committed: another connection sees U1 and U3, and not the failed write's U2
    const other = new Database(file, { readonly: true });
    const ids = (other.prepare('select id from users order by id').all() as { id: string }[]).map(
      (r) => r.id,
    );
    other.close();
    expect(ids).toEqual(['U1', 'U3']);
    // a later burst is its own transaction
    await expect(store.batched(user('U4'))).resolves.toBe('U4');
    await store.close();
  });
});
