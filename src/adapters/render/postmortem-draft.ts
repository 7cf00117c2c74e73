/**
 * One postmortem draft as a job that can run on another thread: the facts and names go in, the markdown,
 * the blameless findings and the few figures the channel summary shows come out. Everything here is
 * synchronous; `/incident postmortem` runs it in the render worker so a long document never holds the
 * event loop (see postmortem-worker.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../../config.js';
import type { PostmortemDraft, PostmortemFacts, PostmortemRead } from '../../domain/ports.js';
import { projectRoot } from '../project-root.js';
import { type BlamelessRules, checkBlameless } from './blameless-check.js';
import { locateTemplate, renderWithNames } from './postmortem-markdown.js';
import type { PostmortemTemplate } from './postmortem-renderer.js';

export interface DraftJob {
  facts: PostmortemFacts;
  /** display names by user id (ids without one are shown as the id) */
  names: Record<string, string>;
  timeZone: string;
  now: number;
}

/** Where the render worker reads an incident's record: the database file (its own read-only connection), or the facts themselves. */
export type DraftSource = { databaseFile: string; incidentNumber: number } | { facts: PostmortemFacts };

/** What the worker read (see the PostmortemDrafting port). */
export type DraftRead = PostmortemRead;

/** A draft as the worker writes it (see the PostmortemDrafting port). */
export type Draft = PostmortemDraft;

/** Where the template and the blameless word list are: the word list beside the template, else the shipped one. */
export interface DraftSources {
  templatePath: string;
  blamelessPath: string;
}

export function draftSources(config: Pick<Config, 'POSTMORTEM_TEMPLATE'>): DraftSources {
  const templatePath = locateTemplate(config.POSTMORTEM_TEMPLATE);
  const beside = join(dirname(templatePath), 'blameless-words.yaml');
  return {
    templatePath,
    blamelessPath: existsSync(beside) ? beside : join(projectRoot(), 'templates/blameless-words.yaml'),
  };
}

/** Renders the draft and checks it for blame; synchronous, so call it from the render worker on a live bot. */
export function writeDraft(job: DraftJob, template: PostmortemTemplate, blameless: BlamelessRules): Draft {
  const rendered = renderWithNames(job.facts, job.names, template, job.timeZone, job.now);
  const d = rendered.data;
  return {
    markdown: rendered.markdown,
    names: rendered.names,
    findings: checkBlameless(rendered.markdown, blameless, Object.values(rendered.names)),
    draft: d.draft,
    duration: d.summary.duration,
    elapsed: d.summary.elapsed,
    timelineCount: d.timeline.length,
    actionCount: d.actions.length,
  };
}
