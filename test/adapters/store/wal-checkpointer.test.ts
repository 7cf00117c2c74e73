/** The write-ahead log is checkpointed by a worker thread while the app's connection only writes. */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/adapters/store/db.js';
import { Store } from '../../../src/adapters/store/store.js';
import { FAR_AUTOCHECKPOINT_PAGES, WalCheckpointer } from '../../../src/adapters/store/wal-checkpointer.js';
import { removeTempDirs, tempDir } from '../../support/temp-dir.js';

afterAll(() => removeTempDirs());

describe('the background checkpointer', () => {
  it('copies committed pages into the database file, and hands checkpoints back to the connection on stop', async () => {
    const file = join(tempDir(), 'muster.db');
    const store = new Store(openDb(file));
    const problems: string[] = [];
    const checkpointer = new WalCheckpointer(store.db, { intervalMs: 5, onProblem: (p) => problems.push(p) });
    try {
      expect(store.db.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(FAR_AUTOCHECKPOINT_PAGES);
      const sizeBefore = statSync(file).size;
      const incident = await store.tx(async () =>
        store.incidents.create({
          title: 'db down',
          severity: 2,
          teamId: 'T0MUSTER',
          declaredBy: 'U0ALICE',
          declaredAt: 1,
        }),
      );
      for (let i = 0; i < 400; i++) {
        await store.tx(async () =>
          store.timeline.add(
            {
              incidentNumber: incident.number,
              kind: 'note',
              text: `note ${i} ${'x'.repeat(200)}`,
              actor: 'U0ALICE',
              occurredAt: i,
              sourceKey: `n${i}`,
            },
            i,
          ),
        );
      }
      // Nothing in this connection checkpoints below the far bound: the file grows only by the worker's hand.
      for (let i = 0; i < 1000 && statSync(file).size === sizeBefore; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(statSync(file).size).toBeGreaterThan(sizeBefore);
      expect(checkpointer.running).toBe(true);
    } finally {
      await checkpointer.stop();
    }
    expect(checkpointer.running).toBe(false);
    expect(store.db.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(problems).toEqual([]);
    expect(await store.timeline.list(1)).toHaveLength(400);
    await store.close();
  });
});
