/** Renders stored workspace records as the JSON objects Slack's Web API and Events API carry. */
import { DateTime } from 'luxon';
import type {
  BookmarkRecord,
  ChannelRecord,
  FileRecord,
  MessageRecord,
  UserRecord,
  ViewRecord,
} from './slack-workspace-types.js';

/** What rendering needs to read from a workspace. */
export interface WireSource {
  readonly teamId: string;
  /** where the workspace is served (permalinks, file URLs), without a trailing slash */
  readonly baseUrl: string;
  readonly botUserId: string;
  user(id: string): UserRecord | undefined;
  file(id: string): FileRecord | undefined;
  message(channelId: string, ts: string): MessageRecord | undefined;
  threadReplies(channelId: string, threadTs: string): MessageRecord[];
  /** epoch milliseconds */
  now(): number;
}

type Json = Record<string, unknown>;

/** Drops undefined fields, as Slack omits absent ones rather than sending null. */
function compact(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export const appIdOf = (botId: string): string => `A${botId.slice(1)}`;

export function wireUser(src: WireSource, u: UserRecord): Json {
  const zone = DateTime.fromMillis(src.now()).setZone(u.tz);
  const profile = compact({
    title: u.title,
    phone: '',
    skype: '',
    real_name: u.realName,
    real_name_normalized: u.realName,
    display_name: u.displayName,
    display_name_normalized: u.displayName,
    fields: null,
    status_text: '',
    status_emoji: '',
    status_expiration: 0,
    avatar_hash: '',
    email: u.email ?? undefined,
    first_name: u.firstName,
    last_name: u.lastName,
    team: src.teamId,
    bot_id: u.botId ?? undefined,
    api_app_id: u.botId ? appIdOf(u.botId) : undefined,
    always_active: u.isBot ? false : undefined,
  });
  return {
    id: u.id,
    team_id: src.teamId,
    name: u.name,
    deleted: u.deleted,
    color: u.color,
    real_name: u.realName,
    tz: u.tz,
    tz_label: zone.isValid ? (zone.offsetNameLong ?? u.tz) : u.tz,
    tz_offset: zone.isValid ? zone.offset * 60 : 0,
    profile,
    is_admin: u.isAdmin,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: u.isBot,
    is_app_user: false,
    updated: u.updated,
    is_email_confirmed: u.email !== null,
    who_can_share_contact_card: 'EVERYONE',
  };
}

/** A channel as conversations.info/create/join return it, seen by `viewer` (is_member). */
export function wireChannel(src: WireSource, c: ChannelRecord, viewer: string, withCount = false): Json {
  const topic = (t: ChannelRecord['topic']) => ({ value: t.value, creator: t.creator, last_set: t.lastSet });
  return compact({
    id: c.id,
    name: c.name,
    // channels made with conversations.create, private or not, are "channels" (C ids), not legacy groups
    is_channel: true,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: c.isPrivate,
    created: c.created,
    is_archived: c.isArchived,
    is_general: c.isGeneral,
    unlinked: 0,
    name_normalized: c.name,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: src.teamId,
    updated: c.created * 1000,
    parent_conversation: null,
    creator: c.creator,
    shared_team_ids: [src.teamId],
    is_member: c.members.includes(viewer),
    topic: topic(c.topic),
    purpose: topic(c.purpose),
    previous_names: c.previousNames,
    num_members: withCount ? c.members.length : undefined,
  });
}

const KINDS: Record<string, [mimetype: string, filetype: string, pretty: string]> = {
  md: ['text/markdown', 'markdown', 'Markdown (raw)'],
  txt: ['text/plain', 'text', 'Plain Text'],
  json: ['application/json', 'json', 'JSON'],
  csv: ['text/csv', 'csv', 'CSV'],
  html: ['text/html', 'html', 'HTML'],
  pdf: ['application/pdf', 'pdf', 'PDF'],
  png: ['image/png', 'png', 'PNG'],
  jpg: ['image/jpeg', 'jpg', 'JPEG'],
  jpeg: ['image/jpeg', 'jpg', 'JPEG'],
  gif: ['image/gif', 'gif', 'GIF'],
};

/** The mimetype, Slack filetype and pretty type of a file name. */
export function fileKind(name: string): { mimetype: string; filetype: string; prettyType: string } {
  const ext = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
  const [mimetype, filetype, prettyType] = KINDS[ext] ?? ['application/octet-stream', 'binary', 'Binary'];
  return { mimetype, filetype, prettyType };
}

/** The URL path a file's bytes are served at (`download` adds Content-Disposition: attachment). */
export function filePath(teamId: string, f: FileRecord, download: boolean): string {
  const name = encodeURIComponent(f.name);
  return `/files-pri/${teamId}-${f.id}/${download ? 'download/' : ''}${name}`;
}

export function wireFile(src: WireSource, f: FileRecord): Json {
  const kind = fileKind(f.name);
  const size = f.content === null ? 0 : Buffer.from(f.content, 'base64').length;
  const shares: Record<string, Json[]> = {};
  for (const s of f.shares) {
    const list = shares[s.channel] ?? [];
    list.push(compact({ ts: s.ts, thread_ts: s.threadTs, share_user_id: f.user, team_id: src.teamId }));
    shares[s.channel] = list;
  }
  const channels = [...new Set(f.shares.map((s) => s.channel))];
  const firstShare = f.shares[0];
  return compact({
    id: f.id,
    created: f.created,
    timestamp: f.created,
    name: f.name,
    title: f.title,
    mimetype: kind.mimetype,
    filetype: kind.filetype,
    pretty_type: kind.prettyType,
    user: f.user,
    user_team: src.teamId,
    editable: false,
    size,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: channels.length > 0,
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: `${src.baseUrl}${filePath(src.teamId, f, false)}`,
    url_private_download: `${src.baseUrl}${filePath(src.teamId, f, true)}`,
    permalink: firstShare
      ? permalink(src, firstShare.channel, firstShare.ts, firstShare.threadTs)
      : `${src.baseUrl}/files/${f.user}/${f.id}/${encodeURIComponent(f.name)}`,
    permalink_public: `${src.baseUrl}/files-pub/${src.teamId}-${f.id}`,
    alt_txt: f.altText ?? undefined,
    comments_count: 0,
    is_starred: false,
    shares: channels.length > 0 ? { public: shares } : {},
    channels,
    groups: [],
    ims: [],
    has_more_shares: false,
    has_rich_preview: false,
    file_access: 'visible',
  });
}

/** Slack's permalink form: /archives/<channel>/p<ts without the dot>, with thread_ts for replies. */
export function permalink(src: WireSource, channel: string, ts: string, threadTs?: string): string {
  const base = `${src.baseUrl}/archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
}

/** A message as history, replies and chat.postMessage return it, with thread summary and reactions derived. */
export function wireMessage(src: WireSource, channel: string, m: MessageRecord): Json {
  const author = src.user(m.user);
  const botId = m.botId ?? author?.botId ?? undefined;
  const isParent = m.threadTs === undefined || m.threadTs === m.ts;
  const replies = isParent ? src.threadReplies(channel, m.ts) : [];
  const parentUser = !isParent && m.threadTs ? src.message(channel, m.threadTs)?.user : undefined;
  const replyUsers = [...new Set(replies.map((r) => r.user))];
  const files = (m.files ?? []).map((id) => src.file(id)).filter((f): f is FileRecord => f !== undefined);
  return compact({
    type: 'message',
    subtype: m.subtype,
    ts: m.ts,
    user: m.user,
    bot_id: botId,
    app_id: botId ? appIdOf(botId) : undefined,
    bot_profile: botId && author ? botProfile(src, author, botId) : undefined,
    text: m.text,
    blocks: m.blocks,
    attachments: m.attachments,
    team: src.teamId,
    client_msg_id: m.clientMsgId,
    thread_ts: replies.length > 0 ? m.ts : m.threadTs,
    parent_user_id: parentUser,
    reply_count: replies.length > 0 ? replies.length : undefined,
    reply_users_count: replies.length > 0 ? replyUsers.length : undefined,
    latest_reply: replies.length > 0 ? replies[replies.length - 1]?.ts : undefined,
    reply_users: replies.length > 0 ? replyUsers : undefined,
    is_locked: replies.length > 0 ? false : undefined,
    subscribed: replies.length > 0 ? false : undefined,
    edited: m.edited ? { ...m.edited } : undefined,
    reactions:
      m.reactions.length > 0
        ? m.reactions.map((r) => ({ name: r.name, users: [...r.users], count: r.users.length }))
        : undefined,
    pinned_to: m.pinnedTo.length > 0 ? [...m.pinnedTo] : undefined,
    files: files.length > 0 ? files.map((f) => wireFile(src, f)) : undefined,
    upload: files.length > 0 ? m.subtype === 'file_share' : undefined,
    display_as_bot: files.length > 0 ? false : undefined,
    topic: m.topic,
    inviter: m.inviter,
    metadata: m.metadata,
  });
}

function botProfile(src: WireSource, u: UserRecord, botId: string): Json {
  return {
    id: botId,
    deleted: u.deleted,
    name: u.realName,
    updated: u.updated,
    app_id: appIdOf(botId),
    icons: {},
    team_id: src.teamId,
  };
}

export function wireBookmark(b: BookmarkRecord, teamId: string): Json {
  return {
    id: b.id,
    channel_id: b.channelId,
    title: b.title,
    link: b.link,
    emoji: b.emoji,
    icon_url: null,
    type: b.type,
    entity_id: null,
    date_created: b.created,
    date_updated: 0,
    rank: 'U',
    last_updated_by_user_id: b.createdBy,
    last_updated_by_team_id: teamId,
    shortcut_id: null,
    app_id: null,
  };
}

export function wireView(src: WireSource, v: ViewRecord, botId: string): Json {
  const view = v.view;
  return {
    id: v.id,
    team_id: src.teamId,
    type: view['type'],
    blocks: view['blocks'] ?? [],
    private_metadata: view['private_metadata'] ?? '',
    callback_id: view['callback_id'] ?? '',
    state: { values: {} },
    hash: v.hash,
    title: view['title'],
    clear_on_close: view['clear_on_close'] ?? false,
    notify_on_close: view['notify_on_close'] ?? false,
    close: view['close'] ?? null,
    submit: view['submit'] ?? null,
    previous_view_id: v.previousViewId,
    root_view_id: v.rootViewId,
    app_id: appIdOf(botId),
    external_id: view['external_id'] ?? '',
    app_installed_team_id: src.teamId,
    bot_id: botId,
  };
}
