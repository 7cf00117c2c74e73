/**
 * One postmortem draft as a job that can run on another thread: the facts and names go in, the markdown,
 * the blameless findings and the few figures the channel summary shows come out. Everything here is
 * synchronous; `/incident postmortem` runs it in the render worker so a long document never holds the
 * event loop (see adapters/render/postmortem-worker.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../../config.js';
import type { Incident } from '../../domain/incident.js';
import type { PostmortemInput } from '../../domain/postmortem.js';
import { projectRoot } from '../../adapters/project-root.js';
import {
  type BlamelessFinding,
  type BlamelessRules,
  checkBlameless,
  loadBlamelessRules,
} from '../../adapters/render/blameless-check.js';
import type { PostmortemRenderer } from '../../adapters/render/postmortem-renderer.js';
import { PostmortemWorker } from '../../adapters/render/postmortem-worker.js';
import { loadPostmortemRenderer, locateTemplate, renderWithNames } from './postmortem-document.js';

export interface DraftJob {
  facts: Omit<PostmortemInput, 'names'>;
  /** display names by user id (ids without one are shown as the id) */
  names: Record<string, string>;
  timeZone: string;
  now: number;
}

/** Where the render worker reads an incident's record: the database file (its own read-only connection), or the facts themselves. */
export type DraftSource =
  | { databaseFile: string; incidentNumber: number }
  | { facts: Omit<PostmortemInput, 'names'> };

/** What the worker read: the incident, and the user ids whose names the draft needs; `key` names the record kept for write(). */
export interface DraftRead {
  key: number;
  incident: Incident;
  ids: string[];
}

export interface Draft {
  markdown: string;
  /** the names the document used, by user id */
  names: Record<string, string>;
  findings: BlamelessFinding[];
  /** the incident is not resolved yet */
  draft: boolean;
  /** `duration 2 h 5 min` once resolved, else `open for 40 min` */
  durationText: string;
  timelineCount: number;
  actionCount: number;
}

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

export interface PostmortemTools {
  /** the template, compiled and checked at start-up */
  renderer: PostmortemRenderer;
  blameless: BlamelessRules;
  /** writes drafts off the event loop, with the same template and word list */
  worker: PostmortemWorker;
}

/**
 * Compiles and checks the template and loads the blameless word list here, so a broken one stops start-up;
 * the worker reads the same files when the first draft is asked for. Throws TemplateError or a loading error.
 */
export function loadPostmortemTools(config: Pick<Config, 'POSTMORTEM_TEMPLATE'>): PostmortemTools {
  const sources = draftSources(config);
  return {
    renderer: loadPostmortemRenderer(config),
    blameless: loadBlamelessRules(sources.blamelessPath),
    worker: new PostmortemWorker(sources),
  };
}

/** Renders the draft and checks it for blame; synchronous, so call it from the render worker on a live bot. */
export function writeDraft(job: DraftJob, renderer: PostmortemRenderer, blameless: BlamelessRules): Draft {
  const rendered = renderWithNames(job.facts, job.names, renderer, job.timeZone, job.now);
  const d = rendered.data;
  return {
    markdown: rendered.markdown,
    names: rendered.names,
    findings: checkBlameless(rendered.markdown, blameless, Object.values(rendered.names)),
    draft: d.draft,
    durationText: d.summary.duration
      ? `duration ${d.summary.duration.text}`
      : `open for ${d.summary.elapsed.text}`,
    timelineCount: d.timeline.length,
    actionCount: d.actions.length,
  };
}
