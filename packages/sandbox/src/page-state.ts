/**
 * What the sandbox page shows one person: the channels they can see, one channel's messages (with threads,
 * reactions, files, pins), the ephemeral messages meant for them alone, the modal open for them, and the
 * issues in the sandbox's GitHub (everyone sees the same). Plain
 * JSON for the page's script; file links are paths on the sandbox's own server.
 */
import { type CommandKind, severityLabel, SUMMARY, USAGE } from '../../../src/index.js';
import { tsToMicros } from './slack-ts.js';
import { filePath, fileKind } from './slack-wire-objects.js';
import type { SlackWorkspace } from './slack-workspace.js';
import type { ChannelRecord, MessageRecord, UserRecord } from './slack-workspace-types.js';

export interface PageStateRequest {
  user: string;
  /** the channel shown; default the announce channel */
  channel?: string;
  /** the thread open beside it (parent ts) */
  thread?: string;
}

export interface PageStateContext {
  version: number;
  /** the channel opened first */
  announceChannel: string;
  /** incident channels are named `<prefix>-<number>-…` */
  channelPrefix: string;
  errorsOf: (viewId: string) => Record<string, string> | undefined;
  /** Muster's incident whose channel this is, if any (the sidebar marks its severity and status) */
  incidentIn?: (channelId: string) => Promise<IncidentMark | null>;
  /** the issues of the sandbox's tracker, newest first */
  issues?: () => Promise<IssueView[]>;
}

/** An issue of the sandbox's GitHub as the page lists it, with the action item and incident it came from. */
export interface IssueView {
  repo: string;
  number: number;
  /** `acme/storefront#1` */
  key: string;
  title: string;
  state: 'open' | 'closed';
  assignee: { login: string; name: string | null } | null;
  /** the issue's page: it opens the sandbox page with the issue shown */
  url: string;
  /** the incident whose action item it is; null for an issue Muster did not file */
  incident: { number: number; ref: string; channelId: string | null } | null;
  /** whether Muster has the action item done (its issue closed), null when it has none */
  actionDone: boolean | null;
}

/** What the sidebar says of an incident channel. */
export interface IncidentMark {
  number: number;
  severity: Parameters<typeof severityLabel>[0];
  status: string;
}

type Json = Record<string, unknown>;

const person = (u: UserRecord) => ({
  id: u.id,
  name: u.name,
  realName: u.realName,
  displayName: u.displayName || u.realName,
  title: u.title,
  color: u.color,
  isBot: u.isBot,
});

function fileOf(ws: SlackWorkspace, id: string): Json | null {
  const f = ws.file(id);
  if (!f) return null;
  const size = f.content === null ? 0 : Buffer.byteLength(f.content, 'base64');
  return {
    id: f.id,
    name: f.name,
    title: f.title,
    size,
    prettyType: fileKind(f.name).prettyType,
    url: filePath(ws.teamId, f, false),
    download: filePath(ws.teamId, f, true),
  };
}

function messageOf(ws: SlackWorkspace, channel: ChannelRecord, m: MessageRecord, me: string): Json {
  const replies = m.threadTs === undefined || m.threadTs === m.ts ? ws.threadReplies(channel.id, m.ts) : [];
  return {
    ts: m.ts,
    user: m.user,
    text: m.text,
    subtype: m.subtype ?? null,
    blocks: m.blocks ?? null,
    attachments: m.attachments ?? null,
    threadTs: m.threadTs ?? null,
    edited: !!m.edited,
    pinned: m.pinnedTo.includes(channel.id),
    files: (m.files ?? []).map((id) => fileOf(ws, id)).filter((f) => f !== null),
    reactions: m.reactions.map((r) => ({
      name: r.name,
      count: r.users.length,
      users: r.users,
      mine: r.users.includes(me),
    })),
    replyCount: replies.length,
    replyUsers: [...new Set(replies.map((r) => r.user))],
    latestReply: replies.at(-1)?.ts ?? null,
  };
}

/** Messages shown in the channel itself: thread replies stay in their thread unless broadcast. */
const inChannel = (m: MessageRecord): boolean =>
  m.threadTs === undefined || m.threadTs === m.ts || m.subtype === 'thread_broadcast';

type SidebarChannel = { incident: boolean; status: string | null };

/** Channels first, then open incidents, then resolved ones; otherwise in the workspace's order. */
function sidebarOrder(a: SidebarChannel, b: SidebarChannel): number {
  const rank = (c: SidebarChannel) => (!c.incident ? 0 : c.status === 'resolved' ? 2 : 1);
  return rank(a) - rank(b);
}

/** The page's JSON for one person. */
export async function pageState(
  ws: SlackWorkspace,
  req: PageStateRequest,
  ctx: PageStateContext,
): Promise<Json> {
  // the page may name the person by id or user name (`?as=bob`); anyone else sees it as the first person
  const humans = ws.users().filter((u) => !u.isBot && !u.deleted);
  const me = (humans.find((u) => u.id === req.user || u.name === req.user) ?? humans[0])?.id ?? req.user;
  const visible = ws.channels().filter((c) => !c.isArchived && (!c.isPrivate || c.members.includes(me)));
  const incident = new RegExp(`^${ctx.channelPrefix}-\\d+`);
  const marks = new Map<string, IncidentMark | null>();
  for (const c of visible) marks.set(c.id, (await ctx.incidentIn?.(c.id)) ?? null);
  const channel =
    visible.find((c) => c.id === req.channel) ??
    visible.find((c) => c.id === ctx.announceChannel) ??
    visible[0];
  const ephemerals = channel ? ws.ephemerals({ channel: channel.id, user: me }) : [];
  const thread = channel && req.thread ? ws.message(channel.id, req.thread) : undefined;
  // the app's Home tab as last published for this person (views.publish), shown when they open it
  const home = ws.homeView(me);
  const modal = ws
    .views()
    .filter((v) => !v.closed && v.user === me && v.view['type'] === 'modal')
    .at(-1);
  return {
    version: ctx.version,
    team: ws.team().name,
    me,
    botUserId: ws.botUserId,
    baseUrl: ws.baseUrl,
    commands: (Object.keys(USAGE) as CommandKind[]).map((kind) => ({
      kind,
      usage: USAGE[kind],
      summary: SUMMARY[kind],
    })),
    people: ws
      .users()
      .filter((u) => !u.deleted)
      .map(person),
    channels: visible
      .map((c) => {
        const known = marks.get(c.id) ?? null;
        return {
          id: c.id,
          name: c.name,
          topic: c.topic.value,
          purpose: c.purpose.value,
          isMember: c.members.includes(me),
          isPrivate: c.isPrivate,
          incident: known !== null || incident.test(c.name),
          // severity as words (`SEV-1`) and status, so the sidebar reads without an emoji font
          severity: known ? severityLabel(known.severity) : null,
          status: known?.status ?? null,
          members: c.members.length,
          latest: ws.messages(c.id).at(-1)?.ts ?? null,
        };
      })
      .sort(sidebarOrder),
    channel: channel
      ? {
          id: channel.id,
          name: channel.name,
          topic: channel.topic.value,
          purpose: channel.purpose.value,
          isMember: channel.members.includes(me),
          members: channel.members,
          bookmarks: ws.bookmarks(channel.id).map((b) => ({ title: b.title, link: b.link, emoji: b.emoji })),
          pinned: ws.pins(channel.id).map((m) => m.ts),
        }
      : null,
    messages: channel
      ? ws
          .messages(channel.id)
          .filter(inChannel)
          .map((m) => messageOf(ws, channel, m, me))
      : [],
    thread:
      channel && thread
        ? {
            parent: messageOf(ws, channel, thread, me),
            replies: ws.threadReplies(channel.id, thread.ts).map((m) => messageOf(ws, channel, m, me)),
          }
        : null,
    ephemerals: ephemerals
      .map((e) => ({ ts: e.ts, text: e.text, blocks: e.blocks ?? null, threadTs: e.threadTs ?? null }))
      .sort((a, b) => tsToMicros(a.ts) - tsToMicros(b.ts)),
    modal: modal
      ? {
          id: modal.id,
          hash: modal.hash,
          title: modal.view['title'] ?? null,
          submit: modal.view['submit'] ?? null,
          close: modal.view['close'] ?? null,
          blocks: modal.view['blocks'] ?? [],
          errors: ctx.errorsOf(modal.id) ?? {},
          stacked: modal.previousViewId !== null,
        }
      : null,
    home: home ? { id: home.id, hash: home.hash, blocks: home.view['blocks'] ?? [] } : null,
    issues: ctx.issues ? await ctx.issues() : [],
  };
}
