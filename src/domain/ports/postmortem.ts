/**
 * Writing postmortems, as the core uses it: the template, its helpers, the time zone and the blameless word
 * list are the adapter's (adapters/render); the core hands over what was recorded and the names, and gets
 * the markdown back, with what the blameless review found.
 */
import type { DurationView } from '../duration.js';
import type { Incident } from '../incident.js';
import type { PostmortemInput } from '../postmortem.js';

/** What a postmortem is written from: the incident's record, without the names of the people in it. */
export type PostmortemFacts = Omit<PostmortemInput, 'names'>;

/** A sentence the blameless review suggests rewording; only a suggestion, the document is never changed. */
export interface BlamelessFinding {
  /** what matched: a phrase, or `<Name> <verb>` */
  phrase: string;
  /** the sentence it is in, as plain text */
  sentence: string;
  suggestion: string;
  /** the section heading it was found under */
  section: string;
}

/** One draft as written: the document, the names it used, the review's findings and the figures people see first. */
export interface PostmortemDraft {
  markdown: string;
  /** the names the document used, by user id */
  names: Record<string, string>;
  findings: BlamelessFinding[];
  /** the incident is not resolved yet */
  draft: boolean;
  /** first record to resolution, once resolved */
  duration: DurationView | null;
  /** first record to resolution, or to now while open */
  elapsed: DurationView;
  timelineCount: number;
  actionCount: number;
}

/**
 * The figures of a draft that the summary shared with it reports (never the wording, which is the adapter's):
 * stored with the draft, so whichever instance shares it, now or after its drafter died, says the same.
 */
export type DraftFigures = Pick<
  PostmortemDraft,
  'draft' | 'duration' | 'elapsed' | 'timelineCount' | 'actionCount'
>;

/** What sharing a stored draft takes: the document and its figures. */
export type SharedDraft = DraftFigures & { markdown: string };

/** What a drafting read: the incident and the user ids whose names the draft needs; `key` names the record kept for write(). */
export interface PostmortemRead {
  key: number;
  incident: Incident;
  ids: string[];
}

/** Renders on the caller's thread (`muster export`, which has no event loop to keep free). */
export interface PostmortemRenderer {
  /** The markdown of the facts as of `now`; an id without a name is shown as the id. Throws only for a bug. */
  render(facts: PostmortemFacts, names: Record<string, string>, now: number): string;
}

/**
 * Writes drafts off the event loop (a 10,000-entry timeline takes hundreds of milliseconds): the record is
 * read, the caller looks up the names (which may need Slack), then the draft is rendered and reviewed.
 */
export interface PostmortemDrafting {
  /**
   * Reads incident `incidentNumber`'s record and keeps it for write(); null for an unknown incident. Rejects when
   * it cannot be read. `facts`, the record the caller has just read itself, is used instead of reading it again
   * where the record would be read on the caller's thread (PostgreSQL, a database in memory).
   */
  read(incidentNumber: number, facts?: PostmortemFacts): Promise<PostmortemRead | null>;
  /** Writes the draft of the record read() kept, with these names, and forgets the record. Rejects when rendering fails. */
  write(key: number, names: Record<string, string>, now: number): Promise<PostmortemDraft>;
  /** Forgets a record read() kept when no draft will be written from it. */
  forget(key: number): void;
}
