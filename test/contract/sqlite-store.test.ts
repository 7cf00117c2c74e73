/** The drizzle SQLite store passes the IncidentStore contract, on a real database file in a temp folder. */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openDb } from '../../src/adapters/store/db.js';
import { Store } from '../../src/adapters/store/store.js';
import { removeTempDirs, tempDir } from '../support/temp-dir.js';
import { describeIncidentStore } from './incident-store.contract.js';

const folder = tempDir();
// Migrating a new file takes most of a test's time: each test opens a copy of one migrated (and closed) file.
const migrated = join(folder, 'migrated.db');
openDb(migrated).$client.close();
let n = 0;
afterAll(() => removeTempDirs());

describeIncidentStore('drizzle SQLite', () => {
  const file = join(folder, `muster-${++n}.db`);
  copyFileSync(migrated, file);
  return new Store(openDb(file));
});
