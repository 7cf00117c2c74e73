/** conversations.* of the sandbox Web API: create, invite, join, info, members, setTopic, history, replies. */
import { tsToMicros } from './slack-ts.js';
import { bool, int, need, type SlackArgs, type SlackMethod, str } from './slack-method-args.js';
import { wireChannel, wireMessage } from './slack-wire-objects.js';
import type { SlackWorkspace } from './slack-workspace.js';
import { type ChannelRecord, type MessageRecord, SlackApiError } from './slack-workspace-types.js';

function readableChannel(ws: SlackWorkspace, args: SlackArgs): ChannelRecord {
  const channel = ws.requireChannel(need(args, 'channel', 'channel_not_found'));
  // a bot reads history only of conversations it is in
  if (!channel.members.includes(ws.botUserId)) throw new SlackApiError('not_in_channel');
  return channel;
}

function bound(args: SlackArgs, key: 'latest' | 'oldest'): number | undefined {
  const v = str(args, key);
  if (v === undefined) return undefined;
  const micros = tsToMicros(v);
  if (Number.isNaN(micros)) throw new SlackApiError(`invalid_ts_${key}`);
  return micros;
}

/** Slack's opaque cursor: we encode the ts the next page continues from. */
const encodeCursor = (ts: string): string => Buffer.from(`next_ts:${ts}`).toString('base64');

function decodeCursor(args: SlackArgs): number | undefined {
  const cursor = str(args, 'cursor');
  if (cursor === undefined) return undefined;
  const match = /^next_ts:(\d+\.\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match?.[1]) throw new SlackApiError('invalid_cursor');
  return tsToMicros(match[1]);
}

/** Messages between `oldest` and `latest` (bounds included with `inclusive`). */
function within(messages: MessageRecord[], args: SlackArgs): MessageRecord[] {
  const latest = bound(args, 'latest');
  const oldest = bound(args, 'oldest');
  const inclusive = bool(args, 'inclusive');
  return messages.filter((m) => {
    const t = tsToMicros(m.ts);
    const aboveOldest = oldest === undefined || (inclusive ? t >= oldest : t > oldest);
    const belowLatest = latest === undefined || (inclusive ? t <= latest : t < latest);
    return aboveOldest && belowLatest;
  });
}

function limitOf(args: SlackArgs, fallback: number): number {
  return Math.min(Math.max(int(args, 'limit') ?? fallback, 1), 999);
}

function page(ws: SlackWorkspace, channel: string, list: MessageRecord[], limit: number) {
  const shown = list.slice(0, limit);
  const hasMore = list.length > limit;
  const last = shown.at(-1);
  return {
    messages: shown.map((m) => wireMessage(ws, channel, m)),
    has_more: hasMore,
    ...(hasMore && last ? { response_metadata: { next_cursor: encodeCursor(last.ts) } } : {}),
  };
}

export const conversationMethods: Record<string, SlackMethod> = {
  'conversations.create': (ws, args) => {
    const name = need(args, 'name', 'invalid_name_required');
    const channel = ws.createChannel(name, ws.botUserId, bool(args, 'is_private'));
    return { channel: wireChannel(ws, channel, ws.botUserId) };
  },

  'conversations.invite': (ws, args) => {
    const channel = need(args, 'channel', 'channel_not_found');
    const users = (str(args, 'users') ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== '');
    const record = ws.inviteToChannel(channel, users, ws.botUserId);
    return { channel: wireChannel(ws, record, ws.botUserId) };
  },

  'conversations.join': (ws, args) => {
    const { channel, event } = ws.joinChannel(need(args, 'channel', 'channel_not_found'), ws.botUserId);
    const warning = event
      ? {}
      : { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } };
    return { channel: wireChannel(ws, channel, ws.botUserId), ...warning };
  },

  'conversations.info': (ws, args) => {
    const channel = ws.requireChannel(need(args, 'channel', 'channel_not_found'));
    return { channel: wireChannel(ws, channel, ws.botUserId, bool(args, 'include_num_members')) };
  },

  // a page of member ids at a time, as Slack does (default 100); the cursor is the offset of the next page
  'conversations.members': (ws, args) => {
    const channel = ws.requireChannel(need(args, 'channel', 'channel_not_found'));
    const cursor = str(args, 'cursor');
    let from = 0;
    if (cursor !== undefined && cursor !== '') {
      const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
      if (!match?.[1]) throw new SlackApiError('invalid_cursor');
      from = Number(match[1]);
    }
    const limit = limitOf(args, 100);
    const members = channel.members.slice(from, from + limit);
    const next =
      from + limit < channel.members.length ? Buffer.from(`offset:${from + limit}`).toString('base64') : '';
    return { members, response_metadata: { next_cursor: next } };
  },

  'conversations.setTopic': (ws, args) => {
    const channel = need(args, 'channel', 'channel_not_found');
    const record = ws.setTopic(channel, str(args, 'topic') ?? '', ws.botUserId);
    return { channel: wireChannel(ws, record, ws.botUserId) };
  },

  'conversations.history': (ws, args) => {
    const channel = readableChannel(ws, args);
    const cursor = decodeCursor(args);
    // thread replies stay in their thread unless broadcast
    const top = ws
      .messages(channel.id)
      .filter((m) => m.threadTs === undefined || m.threadTs === m.ts || m.subtype === 'thread_broadcast');
    const list = within(top, args)
      .filter((m) => cursor === undefined || tsToMicros(m.ts) < cursor)
      .reverse();
    return {
      ...page(ws, channel.id, list, limitOf(args, 100)),
      pin_count: ws.pins(channel.id).length,
      channel_actions_ts: null,
      channel_actions_count: 0,
    };
  },

  'conversations.replies': (ws, args) => {
    const channel = readableChannel(ws, args);
    const ts = need(args, 'ts', 'thread_not_found');
    const found = ws.message(channel.id, ts);
    const parent = found ? ws.message(channel.id, found.threadTs ?? found.ts) : undefined;
    if (!parent) throw new SlackApiError('thread_not_found');
    const cursor = decodeCursor(args);
    const replies = within(ws.threadReplies(channel.id, parent.ts), args).filter(
      (m) => cursor === undefined || tsToMicros(m.ts) > cursor,
    );
    // the parent leads the first page, as in Slack
    const list = cursor === undefined ? [parent, ...replies] : replies;
    return page(ws, channel.id, list, limitOf(args, 1000));
  },
};
