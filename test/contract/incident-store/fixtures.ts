/** Rows the contract suite writes again and again, with only what a test cares about spelled out. */
import type { Incident } from '../../../src/domain/incident.js';
import type { NewPage, IncidentStore, NewMessage } from '../../../src/domain/ports.js';
import type { NewEntry } from '../../../src/domain/timeline.js';

/** The store under test; each test gets a fresh one. */
export type UseStore = () => IncidentStore;

export const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

/** Declares an incident at `T0` (or `at`). */
export async function declare(
  store: IncidentStore,
  overrides: { title?: string; at?: number } = {},
): Promise<Incident> {
  return store.incidents.create({
    title: overrides.title ?? 'search is slow',
    severity: 2,
    teamId: 'T0TEAM',
    declaredBy: 'U0ALICE',
    declaredAt: overrides.at ?? T0,
  });
}

/** A note entry of incident `incidentNumber`, keyed `key`. */
export const note = (incidentNumber: number, key: string, overrides: Partial<NewEntry> = {}): NewEntry => ({
  incidentNumber,
  kind: 'note',
  text: `note ${key}`,
  actor: 'U0BOB',
  occurredAt: T0,
  sourceKey: key,
  ...overrides,
});

export const newPage = (
  incidentNumber: number,
  dedupKey: string,
  overrides: Partial<NewPage> = {},
): NewPage => ({
  incidentNumber,
  service: 'search',
  via: 'events',
  dedupKey,
  message: 'the index is down',
  severity: 2,
  requestedBy: 'U0ALICE',
  requestedAt: T0,
  ...overrides,
});

export const message = (ts: string, overrides: Partial<NewMessage> = {}): NewMessage => ({
  channelId: 'C0INC',
  ts,
  threadTs: null,
  userId: 'U0BOB',
  text: `message ${ts}`,
  files: [],
  ...overrides,
});

/** A Slack `message` event envelope as the Events API delivers it. */
export const messageEvent = (channel: string, ts: string, text: string): string =>
  JSON.stringify({
    type: 'event_callback',
    event_id: `Ev${ts}`,
    event: { type: 'message', channel, ts, user: 'U0BOB', text, blocks: [{ type: 'rich_text' }] },
  });
