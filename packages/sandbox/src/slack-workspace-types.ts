/** The records a sandbox Slack workspace keeps, its JSON snapshot, and the changes it announces. */

/** A Slack Web API failure: `code` is the `error` string Slack answers with (`channel_not_found`, ...). */
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'SlackApiError';
  }
}

export interface UserRecord {
  id: string;
  name: string;
  realName: string;
  displayName: string;
  firstName: string;
  lastName: string;
  title: string;
  email: string | null;
  tz: string;
  color: string;
  isBot: boolean;
  botId: string | null;
  isAdmin: boolean;
  deleted: boolean;
  /** epoch seconds */
  updated: number;
}

export interface TopicRecord {
  value: string;
  creator: string;
  /** epoch seconds */
  lastSet: number;
}

export interface ChannelRecord {
  id: string;
  name: string;
  topic: TopicRecord;
  purpose: TopicRecord;
  members: string[];
  /** epoch seconds */
  created: number;
  creator: string;
  isPrivate: boolean;
  isArchived: boolean;
  isGeneral: boolean;
  previousNames: string[];
}

export interface ReactionRecord {
  name: string;
  users: string[];
}

/** A message as stored. Thread summaries, reaction counts and file objects are derived when rendered. */
export interface MessageRecord {
  ts: string;
  user: string;
  text: string;
  subtype?: string;
  botId?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  threadTs?: string;
  edited?: { user: string; ts: string };
  reactions: ReactionRecord[];
  pinnedTo: string[];
  /** ids of shared files */
  files?: string[];
  clientMsgId?: string;
  /** the topic set, for `channel_topic` messages */
  topic?: string;
  /** who invited the user, for `channel_join` messages */
  inviter?: string;
  metadata?: unknown;
}

export interface BookmarkRecord {
  id: string;
  channelId: string;
  title: string;
  link: string;
  emoji: string | null;
  type: string;
  /** epoch seconds */
  created: number;
  createdBy: string;
}

export interface FileRecord {
  id: string;
  name: string;
  title: string;
  /** bytes announced in files.getUploadURLExternal */
  declaredLength: number;
  /** base64 of the uploaded bytes; null until the upload URL received them */
  content: string | null;
  snippetType: string | null;
  altText: string | null;
  user: string;
  /** epoch seconds */
  created: number;
  completed: boolean;
  /** the secret part of the file's upload URL, until the bytes arrive (absent in snapshots older than it) */
  uploadKey?: string;
  /** where the file was shared: channel id and message ts */
  shares: { channel: string; ts: string; threadTs?: string }[];
}

export interface ViewRecord {
  id: string;
  /** the view as the app sent it (type, title, blocks, ...) */
  view: Record<string, unknown>;
  triggerId: string | null;
  /** the user who sees the view, when the trigger was minted with one */
  user: string | null;
  rootViewId: string;
  previousViewId: string | null;
  hash: string;
  closed: boolean;
}

export interface EphemeralRecord {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  /** how it arrived: chat.postEphemeral or a response_url post */
  via: 'chat.postEphemeral' | 'response_url';
}

/** Where a response_url leads: the conversation and person of the command or interaction that minted it. */
export interface ResponseContext {
  channel?: string;
  user?: string;
  /** the message an interaction came from, so `replace_original`/`delete_original` can act on it */
  messageTs?: string;
}

export interface ResponseRecord {
  id: string;
  body: unknown;
  /** epoch milliseconds */
  at: number;
  context: ResponseContext | null;
}

export interface TriggerRecord {
  id: string;
  user: string;
  viewId: string | null;
}

/** Everything a workspace holds, as plain JSON (what `toJSON` returns and `fromJSON` takes). */
export interface WorkspaceSnapshot {
  version: 1;
  team: { id: string; name: string; domain: string };
  users: UserRecord[];
  channels: ChannelRecord[];
  messages: Record<string, MessageRecord[]>;
  bookmarks: BookmarkRecord[];
  files: FileRecord[];
  views: ViewRecord[];
  ephemerals: EphemeralRecord[];
  responses: ResponseRecord[];
  responseContexts: Record<string, ResponseContext>;
  triggers: TriggerRecord[];
  counters: Record<string, number>;
  /** the last ts handed out, in microseconds, so ts values keep increasing after a restart */
  lastTsMicros: number;
}

/** An Events API inner `event` object (`message`, `reaction_added`, ...), as Slack would deliver it. */
export type SlackEvent = { type: string } & Record<string, unknown>;

/** A state change of the workspace. `events` are what Slack would deliver to the bot for it (bot in the channel). */
export type WorkspaceChange = { events: SlackEvent[] } & (
  | { type: 'user_added'; user: UserRecord }
  | { type: 'channel_created'; channel: ChannelRecord }
  | { type: 'channel_updated'; channel: ChannelRecord }
  | { type: 'member_joined'; channel: string; user: string; inviter: string | null }
  | { type: 'message_posted'; channel: string; message: MessageRecord }
  | { type: 'message_changed'; channel: string; message: MessageRecord; previous: MessageRecord }
  | { type: 'message_deleted'; channel: string; previous: MessageRecord }
  | {
      type: 'reaction_added' | 'reaction_removed';
      channel: string;
      ts: string;
      user: string;
      reaction: string;
    }
  | { type: 'pin_added'; channel: string; ts: string; user: string }
  | { type: 'bookmark_added'; bookmark: BookmarkRecord }
  | { type: 'file_uploaded' | 'file_completed'; file: FileRecord }
  | { type: 'view_opened' | 'view_updated' | 'view_pushed' | 'view_closed'; view: ViewRecord }
  | { type: 'app_home_opened'; user: string }
  | { type: 'ephemeral_posted'; ephemeral: EphemeralRecord }
  | { type: 'ephemeral_changed'; ephemeral: EphemeralRecord; deleted: boolean }
  | { type: 'response_received'; response: ResponseRecord }
);

/** What a message says, as the Web API or a person gives it. */
export interface MessageInput {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  threadTs?: string;
  replyBroadcast?: boolean;
  files?: string[];
  metadata?: unknown;
}
