/**
 * A draft's markdown lives in a row of its own (`postmortem_contents`): recording the upload rewrites a small
 * row, not megabytes of markdown; forgetting what drafts said blanks only that row; and the migration moves
 * the markdown of drafts stored before it. Drafts stored before uploads were leased stay nobody's to share.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/adapters/store/db.js';
import { Store } from '../../../src/adapters/store/store.js';
import { removeTempDirs, tempDir } from '../../support/temp-dir.js';
import { databaseMigratedThrough } from '../../support/older-database.js';

afterAll(() => removeTempDirs());

const contents = (file: string): { postmortem_id: number; content: string }[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare('select postmortem_id, content from postmortem_contents order by postmortem_id')
      .all() as {
      postmortem_id: number;
      content: string;
    }[];
  } finally {
    db.close();
  }
};

describe('postmortem drafts on SQLite', () => {
  it('keep their markdown apart from the draft: uploading leaves it, forgetting blanks it', async () => {
    const file = join(tempDir(), 'muster.db');
    const store = new Store(openDb(file));
    try {
      await store.incidents.create({ title: 't', severity: 2, teamId: 'T', declaredBy: 'U', declaredAt: 1 });
      const big = `# Draft\n${'x'.repeat(2_000_000)}`;
      const add = async (at: number, content: string) =>
        store.postmortems.add({
          incidentNumber: 1,
          filename: (v) => `inc-1-postmortem-v${v}.md`,
          content,
          requestedBy: 'U',
          createdAt: at,
        });
      const v1 = await add(10, big);
      const v2 = await add(20, '# second');
      await store.postmortems.markUploaded(v1.id, 'F1', 'https://slack.test/F1', 11);
      expect(contents(file)).toEqual([
        { postmortem_id: v1.id, content: big },
        { postmortem_id: v2.id, content: '# second' },
      ]);
      expect(await store.postmortems.forgetContent(1, 15)).toBe(1);
      expect(contents(file).map((c) => c.content)).toEqual([big, '']);
      expect(await store.postmortems.latestUploaded(1)).toMatchObject({ version: 1, fileId: 'F1' });
    } finally {
      await store.close();
    }
  });

  it('stored before the migration keep their markdown, moved to its own table', async () => {
    const file = join(tempDir(), 'old.db');
    // the migrations as they were before: 0000 to 0005
    const client = databaseMigratedThrough(file, '0005_impact_and_detection');
    client.exec(`
      insert into incidents (number, title, severity, status, team_id, declared_by, declared_at, updated_at) values
        (1, 'one', 2, 'resolved', 'T', 'U', 1, 1);
      insert into postmortems (id, incident_number, version, filename, content, file_id, permalink, requested_by, created_at, uploaded_at) values
        (1, 1, 1, 'v1.md', '# one', 'F1', 'https://slack.test/F1', 'U', 5, 6),
        (2, 1, 2, 'v2.md', '# two', null, null, 'U', 7, null);
    `);
    client.close();

    const store = new Store(openDb(file));
    try {
      expect(await store.postmortems.latestUploaded(1)).toMatchObject({ id: 1, version: 1, fileId: 'F1' });
    } finally {
      await store.close();
    }
    expect(contents(file)).toEqual([
      { postmortem_id: 1, content: '# one' },
      { postmortem_id: 2, content: '# two' },
    ]);
    const db = new Database(file, { readonly: true });
    const columns = (db.prepare('pragma table_info(postmortems)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    db.close();
    expect(columns).not.toContain('content');
  });

  it('stored before uploads were leased are never claimed by another instance', async () => {
    const file = join(tempDir(), 'before-leases.db');
    // the migrations as they were before: 0000 to 0008
    const client = databaseMigratedThrough(file, '0008_provisioning_lease');
    client.exec(`
      insert into incidents (number, title, severity, status, team_id, declared_by, declared_at, updated_at) values
        (1, 'one', 2, 'open', 'T', 'U', 1, 1);
      insert into postmortems (id, incident_number, version, filename, requested_by, created_at) values
        (1, 1, 1, 'v1.md', 'U', 5);
      insert into postmortem_contents (postmortem_id, content) values (1, '# never uploaded');
    `);
    client.close();

    const store = new Store(openDb(file));
    try {
      // long after anything the draft could have held
      const now = Date.UTC(2027, 0, 1);
      const claim = { owner: 'instance-b', until: now + 20_000, now, limit: 10 };
      expect(await store.postmortems.claimAbandonedUploads(claim)).toEqual([]);
      expect(await store.postmortems.renewUpload(1, 'instance-b', claim.until)).toBe(false);
    } finally {
      await store.close();
    }
  });
});
