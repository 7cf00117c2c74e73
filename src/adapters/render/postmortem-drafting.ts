/**
 * The PostmortemDrafting port over the render worker: the worker reads the record on its own read-only
 * connection to the database file; an in-memory database (tests, the sandbox without a file) cannot be
 * opened twice, so its record is read here and sent along.
 */

import { postmortemFacts } from '../../app/postmortem/postmortem-document.js';
import { type Config, isPostgresUrl } from '../../config.js';
import type {
  IncidentStore,
  PostmortemDraft,
  PostmortemDrafting,
  PostmortemFacts,
  PostmortemRead,
} from '../../domain/ports.js';
import { loadBlamelessRules } from './blameless-check.js';
import { type DraftSource, type DraftSources, draftSources } from './postmortem-draft.js';
import { loadPostmortemTemplate } from './postmortem-renderer.js';
import { PostmortemWorker } from './postmortem-worker.js';
import { builtFingerprint, readTemplateSources, templateFingerprint } from './precompiled-template.js';

/** The fingerprints of the templates (sources and compile options) this process has compiled and checked. */
const checked = new Set<string>();

/**
 * Compiles and checks the template and loads the blameless word list, so a broken one stops start-up; the
 * worker reads the same files when the first draft is asked for. Throws TemplateError or a loading error.
 * A template whose files are exactly those already checked is not compiled again: the shipped template as the
 * build checked and precompiled it (a TemplateError fails `npm run build`), or one this process has checked
 * (an app built again in the same process: a test suite, an embedding). The same sources give the same verdict.
 */
export function checkPostmortemSources(config: Pick<Config, 'POSTMORTEM_TEMPLATE'>): DraftSources {
  const sources = draftSources(config);
  const read = readTemplateSources(sources.templatePath);
  const fingerprint = read ? templateFingerprint(read) : null;
  // the build's fingerprint is read only when this process has not checked the template yet
  const known = fingerprint !== null && (checked.has(fingerprint) || fingerprint === builtFingerprint());
  if (!known) loadPostmortemTemplate(config);
  if (fingerprint !== null) checked.add(fingerprint);
  loadBlamelessRules(sources.blamelessPath);
  return sources;
}

export class WorkerDrafting implements PostmortemDrafting {
  private readonly worker: PostmortemWorker;

  constructor(
    sources: DraftSources,
    private readonly opts: {
      config: Pick<Config, 'DATABASE_URL' | 'INCIDENT_TIMEZONE'>;
      /** read from only for an in-memory database */
      store: IncidentStore;
    },
  ) {
    this.worker = new PostmortemWorker(sources);
  }

  async read(incidentNumber: number, facts?: PostmortemFacts): Promise<PostmortemRead | null> {
    return this.worker.read(await this.source(incidentNumber, facts));
  }

  write(key: number, names: Record<string, string>, now: number): Promise<PostmortemDraft> {
    return this.worker.write(key, { names, timeZone: this.opts.config.INCIDENT_TIMEZONE, now });
  }

  forget(key: number): void {
    this.worker.forget(key);
  }

  /** Stops the worker; drafts still in it are failed. */
  close(): Promise<void> {
    return this.worker.close();
  }

  /**
   * The database file when the worker can open it; else the facts, sent: those the caller read (`known`), or
   * read here.
   */
  private async source(incidentNumber: number, known?: PostmortemFacts): Promise<DraftSource> {
    // The worker opens a SQLite file read-only, off the event loop; PostgreSQL (and a database in memory) is read
    // here, the rendering still happens in the worker.
    const url = this.opts.config.DATABASE_URL;
    const file = url.replace(/^sqlite:(\/\/)?/, '');
    if (file !== ':memory:' && !isPostgresUrl(url)) return { databaseFile: file, incidentNumber };
    const facts = known ?? (await postmortemFacts(this.opts.store, incidentNumber));
    if (!facts) throw new Error(`incident ${incidentNumber} does not exist`);
    return { facts };
  }
}
