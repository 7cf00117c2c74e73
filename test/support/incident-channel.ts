/**
 * An open incident with its channel, and people talking and reacting in it: messages are posted in the fake
 * Slack (whose clock is the app's clock) and their events delivered to Muster, signed, as Slack would.
 */
import type { Overrides } from '../../src/compose.js';
import type { Incident } from '../../src/domain/incident.js';
import type { TimelineEntry } from '../../src/domain/timeline.js';
import { startFakeSlack } from '../fakes/fake-slack.js';
import { FixedClock } from './fixed-clock.js';
import { type Harness, startMuster } from './muster-harness.js';

export interface IncidentChannel {
  h: Harness;
  incident: Incident;
  channel: string;
  /** Posts as `user` and delivers the message event (unless `deliver` is false); returns the message ts. */
  say(user: string, text: string, opts?: { threadTs?: string; deliver?: boolean }): Promise<string>;
  /** Reacts in the fake Slack and delivers the event; returns the event id used. */
  react(user: string, ts: string, reaction?: string, channel?: string): Promise<string>;
  unreact(user: string, ts: string, reaction?: string): Promise<string>;
  /** Every entry of the incident, removed ones included. */
  entries(): Promise<TimelineEntry[]>;
  /** The entry of the message with this ts, or undefined. */
  entryOf(ts: string): Promise<TimelineEntry | undefined>;
  /** `/incident <text>` typed in the incident channel. */
  command(text: string, user?: string): ReturnType<Harness['command']>;
}

/** People in the seeded workspace who join the incident channel. */
const PEOPLE = ['U0BOB', 'U0CAROL'];

/** Starts Muster (clock at `at`) and declares an incident as Alice; Bob and Carol join its channel. */
export async function openIncident(
  opts: { env?: Record<string, string>; at?: number; overrides?: Overrides } = {},
): Promise<IncidentChannel> {
  const clock = new FixedClock(opts.at ?? Date.UTC(2026, 10, 23, 9, 0, 0));
  const slack = await startFakeSlack({ clock: () => clock.now() });
  const h = await startMuster({
    clock,
    slack,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.overrides ? { overrides: opts.overrides } : {}),
  });
  await h.command('declare sev2 Checkout returns 500s', { user: 'U0ALICE' });
  await h.idle();
  return around(h);
}

/** The IncidentChannel of the first open incident of a running harness (after a restart, say). */
export async function around(h: Harness): Promise<IncidentChannel> {
  const incident = (await h.app.deps.store.incidents.listOpen())[0]!;
  const channel = incident.channelId!;
  const ws = h.slack.workspace;
  for (const user of PEOPLE) ws.userJoinChannel({ user, channel });
  const c: IncidentChannel = {
    h,
    incident,
    channel,
    async say(user, text, o = {}) {
      const ev = ws.userPostMessage({ user, channel, text, ...(o.threadTs ? { threadTs: o.threadTs } : {}) });
      if (o.deliver !== false) await h.event(ev);
      await h.idle();
      return ev.ts as string;
    },
    async react(user, ts, reaction = 'pushpin', where = channel) {
      const r = await h.event(ws.userAddReaction({ user, channel: where, ts, reaction }));
      await h.idle();
      return r.eventId;
    },
    async unreact(user, ts, reaction = 'pushpin') {
      const r = await h.event(ws.userRemoveReaction({ user, channel, ts, reaction }));
      await h.idle();
      return r.eventId;
    },
    entries: async () => h.app.deps.store.timeline.list(incident.number, { includeRemoved: true }),
    entryOf: async (ts) => (await c.entries()).find((e) => e.meta.messageTs === ts),
    command: (text, user = 'U0ALICE') => h.command(text, { user, channel }),
  };
  return c;
}
