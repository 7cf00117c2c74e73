/**
 * The render worker writes the same draft as the main thread would, fails a draft clearly when its
 * template cannot be read, is replaced after it stops, and fails what it held when closed.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBlamelessRules } from '../../../src/adapters/render/blameless-check.js';
import { createPostmortemRenderer } from '../../../src/adapters/render/postmortem-renderer.js';
import { PostmortemWorker } from '../../../src/adapters/render/postmortem-worker.js';
import { samplePostmortemInput } from '../../../src/adapters/render/postmortem-sample.js';
import { type DraftJob, writeDraft } from '../../../src/app/postmortem-draft.js';
import { removeTempDirs, tempDir } from '../../support/temp-dir.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));
const sources = { templatePath: join(TEMPLATES, 'postmortem.md.hbs'), blamelessPath: join(TEMPLATES, 'blameless-words.yaml') };
afterAll(() => removeTempDirs());

function job(extraText = ''): DraftJob {
  const { names, ...facts } = samplePostmortemInput();
  const first = facts.timeline[0]!;
  const timeline = [
    ...facts.timeline,
    { ...first, id: 9_001, kind: 'message' as const, state: 'active' as const, sourceKey: 'long', text: `${'*a* _b_ ~c~ '.repeat(4_000)}\nThen Dave forgot the flag.${extraText}` },
  ];
  return { facts: { ...facts, timeline }, names, timeZone: 'Europe/Berlin', now: facts.incident.declaredAt + 3_600_000 };
}

describe('PostmortemWorker', () => {
  it('writes the same markdown and findings as the main thread, for several drafts at once', async () => {
    const worker = new PostmortemWorker(sources);
    try {
      const jobs = [job(), job(' One more.'), job(' And <@U1> again.')];
      const drafts = await Promise.all(jobs.map((j) => worker.draft(j)));
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
      await expect(worker.draft(job())).rejects.toThrow(/could not be rendered: .*missing\.md\.hbs.*cannot read the template/);
      await expect(worker.draft(job())).rejects.toThrow(/cannot read the template/);
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
      const first = await worker.draft(job());
      rmSync(join(dir, 'postmortem.md.hbs'));
      expect((await worker.draft(job())).markdown).toBe(first.markdown);
    } finally {
      await worker.close();
    }
  });

  it('fails the drafts it holds when closed, and starts a new worker for the next one', async () => {
    const worker = new PostmortemWorker(sources);
    const held = worker.draft(job());
    await worker.close();
    await expect(held).rejects.toThrow(/stopped/);
    expect((await worker.draft(job())).markdown).toMatch(/^# /);
    await worker.close();
  });
});
