/**
 * `timeline [page]`: one page of the incident's entries, with the names of the people and channels they
 * mention. Paged, because a long incident has hundreds of entries; the complete record is the postmortem
 * export. How the page reads (dates in INCIDENT_TIMEZONE, markup made readable, long texts cut) is the
 * presentation's: adapters/slack/blocks/timeline-view.ts.
 */
import type { Incident } from '../../domain/incident.js';
import type { TimelineEntry } from '../../domain/timeline.js';
import { type TimelinePage, timelinePage } from '../../domain/timeline-page.js';
import { answerWithin } from '../../runtime/answer-within.js';
import type { Ports } from '../ports.js';

/** Entries per page: about what fits on a screen in Slack. */
export const TIMELINE_PAGE_SIZE = 30;
/** The page is the slash command's answer: waiting longer for names than this would miss Slack's 3 s. */
const NAME_WAIT_MS = 1500;

/** Actors that are no person (Muster, PagerDuty, an author Slack did not name): no name to look up. */
const SYSTEM_ACTORS: ReadonlySet<string> = new Set(['muster', 'pagerduty', 'unknown']);

/** One page of the timeline, removed entries left out, with the names its entries need. */
export interface TimelineShown {
  incident: Incident;
  page: TimelinePage<TimelineEntry>;
  /** display names by user id, and channel names by channel id, of the actors and mentions on the page */
  names: Record<string, string>;
}

const MENTIONED_USER = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;
const MENTIONED_CHANNEL = /<#([CG][A-Z0-9]+)(?:\|[^>]*)?>/g;

/** Display names for `ids`, waiting at most NAME_WAIT_MS for Slack; past it, the cached ones (else the id). */
async function namesFor(
  ports: Pick<Ports, 'store' | 'users'>,
  ids: string[],
): Promise<Record<string, string>> {
  const cached: Record<string, string> = {};
  for (const [id, u] of await ports.store.users.many(ids)) cached[id] = u.displayName;
  return answerWithin(ports.users.names(ids), NAME_WAIT_MS, cached);
}

/** Loads page `page` of the incident's timeline (removed entries left out); a page past the end is a DomainError. */
export async function loadTimelinePage(
  ports: Pick<Ports, 'store' | 'users'>,
  input: { incident: Incident; page: number; perPage?: number },
): Promise<TimelineShown> {
  const { incident } = input;
  const page = timelinePage<TimelineEntry>(
    await ports.store.timeline.list(incident.number),
    input.page,
    input.perPage ?? TIMELINE_PAGE_SIZE,
  );
  const userIds = new Set<string>();
  const channelNames: Record<string, string> = {};
  for (const e of page.entries) {
    if (!SYSTEM_ACTORS.has(e.actor)) userIds.add(e.actor);
    if (e.redactedBy) userIds.add(e.redactedBy);
    for (const m of e.text.matchAll(MENTIONED_USER)) userIds.add(m[1]!);
    for (const m of e.text.matchAll(MENTIONED_CHANNEL)) {
      const name = (await ports.store.incidents.byChannel(m[1]!))?.channelName;
      if (name) channelNames[m[1]!] = name;
    }
  }
  const names = { ...channelNames, ...(await namesFor(ports, [...userIds])) };
  return { incident, page, names };
}
