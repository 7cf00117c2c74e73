/** chat.*, pins.*, reactions.* and bookmarks.* of the sandbox Web API. */
import { isTs } from './slack-ts.js';
import { messageInput, need, type SlackMethod, str } from './slack-method-args.js';
import { permalink, wireBookmark, wireMessage } from './slack-wire-objects.js';
import type { SlackWorkspace } from './slack-workspace.js';
import { SlackApiError } from './slack-workspace-types.js';

/** A bot reacts only in conversations it is in: Slack answers `not_in_channel` otherwise. */
function reactableChannel(ws: SlackWorkspace, idOrName: string): string {
  const channel = ws.requireChannel(idOrName);
  if (!channel.members.includes(ws.botUserId)) throw new SlackApiError('not_in_channel');
  return channel.id;
}

export const chatMethods: Record<string, SlackMethod> = {
  'chat.postMessage': (ws, args) => {
    const given = need(args, 'channel', 'channel_not_found');
    // a user id: the app's direct message with that person
    const channel = /^[UW][A-Z0-9]+$/.test(given) ? ws.directMessage(given).id : given;
    const { message, channel: record } = ws.postMessage(channel, ws.botUserId, messageInput(args));
    return { channel: record.id, ts: message.ts, message: wireMessage(ws, record.id, message) };
  },

  'chat.postEphemeral': (ws, args) => {
    const channel = need(args, 'channel', 'channel_not_found');
    const user = need(args, 'user', 'user_not_found');
    return { message_ts: ws.postEphemeral(channel, user, messageInput(args)).ts };
  },

  'chat.update': (ws, args) => {
    const channel = need(args, 'channel', 'channel_not_found');
    const ts = need(args, 'ts', 'message_not_found');
    const { message, channel: record } = ws.updateMessage(channel, ts, ws.botUserId, messageInput(args));
    return { channel: record.id, ts, text: message.text, message: wireMessage(ws, record.id, message) };
  },

  'chat.getPermalink': (ws, args) => {
    const channel = ws.requireChannel(need(args, 'channel', 'channel_not_found'));
    const ts = need(args, 'message_ts', 'message_not_found');
    const message = ws.message(channel.id, ts);
    if (!message) throw new SlackApiError('message_not_found');
    return { channel: channel.id, permalink: permalink(ws, channel.id, ts, message.threadTs) };
  },

  'pins.add': (ws, args) => {
    const channel = need(args, 'channel', 'channel_not_found');
    ws.pinMessage(channel, str(args, 'timestamp') ?? '', ws.botUserId);
    return {};
  },

  'reactions.add': (ws, args) => {
    const channel = reactableChannel(ws, need(args, 'channel', 'channel_not_found'));
    const timestamp = need(args, 'timestamp', 'no_item_specified');
    if (!isTs(timestamp)) throw new SlackApiError('bad_timestamp');
    ws.addReaction(channel, timestamp, ws.botUserId, need(args, 'name', 'invalid_name'));
    return {};
  },

  'reactions.remove': (ws, args) => {
    const channel = reactableChannel(ws, need(args, 'channel', 'no_item_specified'));
    const timestamp = need(args, 'timestamp', 'no_item_specified');
    if (!isTs(timestamp)) throw new SlackApiError('bad_timestamp');
    ws.removeReaction(channel, timestamp, ws.botUserId, need(args, 'name', 'invalid_name'));
    return {};
  },

  'reactions.get': (ws, args) => {
    const channel = ws.requireChannel(need(args, 'channel', 'no_item_specified'));
    const timestamp = need(args, 'timestamp', 'no_item_specified');
    if (!isTs(timestamp)) throw new SlackApiError('bad_timestamp');
    const message = ws.message(channel.id, timestamp);
    if (!message) throw new SlackApiError('message_not_found');
    return { type: 'message', channel: channel.id, message: wireMessage(ws, channel.id, message) };
  },

  'bookmarks.add': (ws, args) => {
    const channel = need(args, 'channel_id', 'channel_not_found');
    const title = need(args, 'title', 'invalid_arguments');
    const type = need(args, 'type', 'invalid_arguments');
    if (type !== 'link') throw new SlackApiError('invalid_bookmark_type');
    const link = need(args, 'link', 'invalid_link');
    if (!/^https?:\/\/[^\s]+$/i.test(link)) throw new SlackApiError('invalid_link');
    const bookmark = ws.addBookmark(channel, { title, link, type, emoji: str(args, 'emoji') }, ws.botUserId);
    return { bookmark: wireBookmark(bookmark, ws.teamId) };
  },

  'bookmarks.list': (ws, args) => {
    const channel = ws.requireChannel(need(args, 'channel_id', 'channel_not_found'));
    return { bookmarks: ws.bookmarks(channel.id).map((b) => wireBookmark(b, ws.teamId)) };
  },
};
