/**
 * The render worker reads an incident from the database file on its own connection, writes the same
 * draft as the main thread would, fails a draft clearly when its template or the database cannot be read,
 * is replaced after it stops, and fails what it held when closed.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBlamelessRules } from '../../../src/adapters/render/blameless-check.js';
import { createPostmortemRenderer } from '../../../src/adapters/render/postmortem-renderer.js';
import { PostmortemWorker } from '../../../src/adapters/render/postmortem-worker.js';
import { samplePostmortemInput } from '../../../src/adapters/render/postmortem-sample.js';
import { type Draft, type DraftJob, writeDraft } from '../../../src/adapters/render/postmortem-draft.js';
import { openDb } from '../../../src/adapters/store/db.js';
import { Store } from '../../../src/adapters/store/store.js';
import { removeTempDirs, tempDir } from '../../support/temp-dir.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));
const sources = {
  templatePath: join(TEMPLATES, 'postmortem.md.hbs'),
  blamelessPath: join(TEMPLATES, 'blameless-words.yaml'),
};
afterAll(() => removeTempDirs());

function job(extraText = ''): DraftJob {
  const { names, ...facts } = samplePostmortemInput();
  const first = facts.timeline[0]!;
  const timeline = [
    ...facts.timeline,
    {
      ...first,
      id: 9_001,
      kind: 'message' as const,
      state: 'active' as const,
      sourceKey: 'long',
      text: `${'*a* _b_ ~c~ '.repeat(4_000)}\nThen Dave forgot the flag.${extraText}`,
    },
  ];
  return {
    facts: { ...facts, timeline },
    names,
    timeZone: 'Europe/Berlin',
    now: facts.incident.declaredAt + 3_600_000,
  };
}

/** read() then write(), with the facts sent along (as for an in-memory database). */
async function draft(worker: PostmortemWorker, j: DraftJob): Promise<Draft> {
  const read = await worker.read({ facts: j.facts });
  return worker.write(read!.key, { names: j.names, timeZone: j.timeZone, now: j.now });
}

describe('PostmortemWorker', () => {
  it('writes the same markdown and findings as the main thread, for several drafts at once', async () => {
    const worker = new PostmortemWorker(sources);
    try {
      const jobs = [job(), job(' One more.'), job(' And <@U1> again.')];
      const drafts = await Promise.all(jobs.map((j) => draft(worker, j)));
      const renderer = createPostmortemRenderer({ templatePath: sources.templatePath });
      const rules = loadBlamelessRules(sources.blamelessPath);
      for (const [i, j] of jobs.entries()) expect(drafts[i]).toEqual(writeDraft(j, renderer, rules));
      expect(drafts[0]!.findings.map((f) => f.phrase)).toContain('Dave forgot');
      expect(drafts[0]!.markdown).toContain('**a** _b_ ~~c~~');
    } finally {
      await worker.close();
    }
  });

  it('fails a draft with the reason when the template cannot be read, and keeps answering', async () => {
    const dir = tempDir();
    const worker = new PostmortemWorker({ ...sources, templatePath: join(dir, 'missing.md.hbs') });
    try {
      await expect(draft(worker, job())).rejects.toThrow(
        /could not be rendered: .*missing\.md\.hbs.*cannot read the template/,
      );
      await expect(draft(worker, job())).rejects.toThrow(/cannot read the template/);
    } finally {
      await worker.close();
    }
  });

  it('reads the template when the first draft is asked for, then keeps it compiled', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'partials'));
    for (const name of ['title', 'summary', 'timeline', 'key-times', 'action-items'])
      copyFileSync(join(TEMPLATES, 'partials', `${name}.md.hbs`), join(dir, 'partials', `${name}.md.hbs`));
    copyFileSync(sources.templatePath, join(dir, 'postmortem.md.hbs'));
    const worker = new PostmortemWorker({ ...sources, templatePath: join(dir, 'postmortem.md.hbs') });
    try {
      const first = await draft(worker, job());
      rmSync(join(dir, 'postmortem.md.hbs'));
      expect((await draft(worker, job())).markdown).toBe(first.markdown);
    } finally {
      await worker.close();
    }
  });

  it('reads the incident from the database file, with the ids to name, and null for an unknown incident', async () => {
    const dir = tempDir();
    const file = join(dir, 'muster.db');
    const store = new Store(openDb(file));
    const incident = await store.incidents.create({
      title: 'Checkout <@U0CAROL>',
      severity: 2,
      teamId: 'T1',
      declaredBy: 'U0ALICE',
      declaredAt: 1_700_000_000_000,
    });
    await store.timeline.add(
      {
        incidentNumber: incident.number,
        kind: 'note',
        text: 'paged <@U0BOB|bob>',
        actor: 'U0DAVE',
        occurredAt: 1_700_000_060_000,
        sourceKey: 'n1',
        meta: {},
      },
      1_700_000_060_000,
    );
    await store.close();
    const worker = new PostmortemWorker(sources);
    try {
      const read = (await worker.read({ databaseFile: file, incidentNumber: incident.number }))!;
      expect(read.incident.title).toBe('Checkout <@U0CAROL>');
      expect([...read.ids].sort()).toEqual(['U0ALICE', 'U0BOB', 'U0CAROL', 'U0DAVE']);
      const written = await worker.write(read.key, {
        names: { U0BOB: 'Bob' },
        timeZone: 'UTC',
        now: 1_700_000_120_000,
      });
      expect(written.markdown).toContain('| paged @Bob |');
      await expect(worker.write(read.key, { names: {}, timeZone: 'UTC', now: 0 })).rejects.toThrow(
        /not read first/,
      );
      expect(await worker.read({ databaseFile: file, incidentNumber: 404 })).toBeNull();
      await expect(worker.read({ databaseFile: join(dir, 'missing.db'), incidentNumber: 1 })).rejects.toThrow(
        /could not be rendered: .*(unable to open|does not exist)/,
      );
    } finally {
      await worker.close();
    }
  });

  it('fails the drafts it holds when closed, and starts a new worker for the next one', async () => {
    const worker = new PostmortemWorker(sources);
    const held = worker.read({ facts: job().facts });
    await worker.close();
    await expect(held).rejects.toThrow(/stopped/);
    expect((await draft(worker, job())).markdown).toMatch(/^# /);
    await worker.close();
  });
});
