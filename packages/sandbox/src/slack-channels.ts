/** The channel half of a sandbox Slack workspace: users, channels and membership, topics, bookmarks, message storage. */
import { EventEmitter } from 'node:events';
import { formatTs } from './slack-ts.js';
import { type WireSource, wireMessage } from './slack-wire-objects.js';
import {
  type BookmarkRecord,
  type ChannelRecord,
  type FileRecord,
  type MessageRecord,
  SlackApiError,
  type SlackEvent,
  type UserRecord,
  type WorkspaceChange,
  type WorkspaceSnapshot,
} from './slack-workspace-types.js';

/** Slack's channel-name rules as its error code, or null when the name is fine. */
export function channelNameError(name: string): string | null {
  if (name.length === 0) return 'invalid_name_required';
  if (name.length > 80) return 'invalid_name_maxlength';
  if (/[^a-z0-9_-]/.test(name)) return 'invalid_name_specials';
  if (!/[a-z0-9]/.test(name)) return 'invalid_name_punctuation';
  return null;
}

type Changes = { change: [WorkspaceChange] };

/** Base of SlackWorkspace: state plumbing (ids, ts, change events), users and channels. */
export abstract class SlackChannels extends EventEmitter<Changes> implements WireSource {
  abstract readonly teamId: string;
  abstract readonly botUserId: string;
  abstract baseUrl: string;
  protected abstract state: WorkspaceSnapshot;
  protected abstract readonly clock: () => number;
  abstract file(id: string): FileRecord | undefined;

  now(): number {
    return this.clock();
  }

  /** A new ts: unique, increasing, and at least the clock's time. */
  protected nextTs(): string {
    const micros = Math.max(Math.floor(this.clock()) * 1000, this.state.lastTsMicros + 100);
    this.state.lastTsMicros = micros;
    return formatTs(micros);
  }

  protected nextId(prefix: string): string {
    const n = (this.state.counters[prefix] ?? 0) + 1;
    this.state.counters[prefix] = n;
    return `${prefix}0${n.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  protected nowSeconds(): number {
    return Math.floor(this.clock() / 1000);
  }

  /** Emits a change; its Slack events are delivered only when the bot can see the channel, as in Slack. */
  protected emitChange(change: WorkspaceChange, channelId?: string): void {
    const visible = channelId === undefined || this.isMember(channelId, this.botUserId);
    this.emit('change', visible ? change : { ...change, events: [] });
  }

  user(id: string): UserRecord | undefined {
    return this.state.users.find((u) => u.id === id);
  }

  users(): UserRecord[] {
    return this.state.users;
  }

  /** Adds a person or bot; the id is minted when not given. */
  addUser(input: Partial<UserRecord> & { name: string; realName: string }): UserRecord {
    const id = input.id ?? this.nextId('U');
    if (this.user(id)) throw new SlackApiError('user_already_exists');
    const [first = input.realName, ...rest] = input.realName.split(' ');
    const user: UserRecord = {
      displayName: input.isBot ? '' : first,
      firstName: first,
      lastName: rest.join(' '),
      title: '',
      email: input.isBot ? null : `${input.name}@example.com`,
      tz: 'UTC',
      color: '3c989f',
      isBot: false,
      botId: null,
      isAdmin: false,
      deleted: false,
      updated: this.nowSeconds(),
      ...input,
      id,
    };
    this.state.users.push(user);
    this.emitChange({ type: 'user_added', user, events: [] });
    return user;
  }

  /** A channel by id, or by name with or without '#'. */
  channel(idOrName: string): ChannelRecord | undefined {
    const name = idOrName.replace(/^#/, '');
    return (
      this.state.channels.find((c) => c.id === idOrName) ?? this.state.channels.find((c) => c.name === name)
    );
  }

  channels(): ChannelRecord[] {
    return this.state.channels;
  }

  isMember(channelId: string, userId: string): boolean {
    return this.channel(channelId)?.members.includes(userId) ?? false;
  }

  /** A channel `viewer` can see; channel_not_found otherwise. */
  requireChannel(idOrName: string, viewer = this.botUserId): ChannelRecord {
    const c = this.channel(idOrName);
    // a private channel is invisible to those outside it
    if (!c || (c.isPrivate && !c.members.includes(viewer))) throw new SlackApiError('channel_not_found');
    return c;
  }

  /** Creates a channel with Slack's name rules; the creator is its first member. */
  createChannel(name: string, creator: string, isPrivate = false): ChannelRecord {
    const error = channelNameError(name);
    if (error) throw new SlackApiError(error);
    if (this.state.channels.some((c) => c.name === name)) throw new SlackApiError('name_taken');
    const now = this.nowSeconds();
    const channel: ChannelRecord = {
      id: this.nextId('C'),
      name,
      topic: { value: '', creator: '', lastSet: 0 },
      purpose: { value: '', creator: '', lastSet: 0 },
      members: [creator],
      created: now,
      creator,
      isPrivate,
      isArchived: false,
      isGeneral: false,
      previousNames: [],
    };
    this.state.channels.push(channel);
    this.state.messages[channel.id] = [];
    this.emitChange({ type: 'channel_created', channel, events: [] });
    return channel;
  }

  /**
   * The app's direct message with a person, opened on first use: Slack posts a `chat.postMessage` whose channel
   * is a user id there. Its id starts with D; it is named after the user, a name no channel can take (channel
   * names are lowercase). Slack answers `channel_not_found` for an unknown user, `cannot_dm_bot` for a bot.
   */
  directMessage(userId: string): ChannelRecord {
    const open = this.state.channels.find((c) => c.id.startsWith('D') && c.name === userId);
    if (open) return open;
    const user = this.user(userId);
    if (!user) throw new SlackApiError('channel_not_found');
    if (user.isBot) throw new SlackApiError('cannot_dm_bot');
    const now = this.nowSeconds();
    const channel: ChannelRecord = {
      id: this.nextId('D'),
      name: userId,
      topic: { value: '', creator: '', lastSet: 0 },
      purpose: { value: '', creator: '', lastSet: 0 },
      members: [this.botUserId, userId],
      created: now,
      creator: this.botUserId,
      isPrivate: true,
      isArchived: false,
      isGeneral: false,
      previousNames: [],
    };
    this.state.channels.push(channel);
    this.state.messages[channel.id] = [];
    this.emitChange({ type: 'channel_created', channel, events: [] });
    return channel;
  }

  /** Adds a member and posts Slack's `channel_join` message; returns the member_joined_channel event. */
  protected addMember(channel: ChannelRecord, userId: string, inviter: string | null): SlackEvent {
    channel.members.push(userId);
    const ts = this.nextTs();
    const event: SlackEvent = {
      type: 'member_joined_channel',
      user: userId,
      channel: channel.id,
      channel_type: channel.isPrivate ? 'G' : 'C',
      team: this.teamId,
      ...(inviter ? { inviter } : {}),
      event_ts: ts,
    };
    this.emitChange(
      { type: 'member_joined', channel: channel.id, user: userId, inviter, events: [event] },
      channel.id,
    );
    const text = `<@${userId}> has joined the channel`;
    this.appendMessage(channel, {
      ts,
      user: userId,
      text,
      subtype: 'channel_join',
      inviter: inviter ?? undefined,
    });
    return event;
  }

  /** Joins a public channel; `event` is null when already a member (Slack's `already_in_channel` warning). */
  joinChannel(idOrName: string, userId: string): { channel: ChannelRecord; event: SlackEvent | null } {
    const channel = this.requireChannel(idOrName, userId);
    if (channel.isArchived) throw new SlackApiError('is_archived');
    if (channel.isPrivate) throw new SlackApiError('method_not_supported_for_channel_type');
    if (channel.members.includes(userId)) return { channel, event: null };
    return { channel, event: this.addMember(channel, userId, null) };
  }

  /** Invites users, all or none: the first failure is the error, with one entry per failed user. */
  inviteToChannel(idOrName: string, userIds: string[], inviter: string): ChannelRecord {
    const channel = this.requireChannel(idOrName, inviter);
    if (channel.isArchived) throw new SlackApiError('is_archived');
    if (!channel.members.includes(inviter)) throw new SlackApiError('not_in_channel');
    if (userIds.length === 0) throw new SlackApiError('no_user');
    if (userIds.length > 1000) throw new SlackApiError('too_many_users');
    const errors = userIds.flatMap((user) => {
      const found = this.user(user);
      const error = !found
        ? 'user_not_found'
        : user === inviter
          ? 'cant_invite_self'
          : channel.members.includes(user)
            ? 'already_in_channel'
            : null;
      return error ? [{ ok: false, error, user }] : [];
    });
    const first = errors[0];
    if (first) throw new SlackApiError(first.error, { errors });
    for (const user of new Set(userIds)) this.addMember(channel, user, inviter);
    return channel;
  }

  /** Sets the topic and posts Slack's `channel_topic` message. */
  setTopic(idOrName: string, topic: string, userId: string): ChannelRecord {
    const channel = this.requireChannel(idOrName, userId);
    if (channel.isArchived) throw new SlackApiError('is_archived');
    if (!channel.members.includes(userId)) throw new SlackApiError('not_in_channel');
    if (topic.length > 250) throw new SlackApiError('too_long');
    channel.topic = { value: topic, creator: userId, lastSet: this.nowSeconds() };
    this.emitChange({ type: 'channel_updated', channel, events: [] });
    const text = `<@${userId}> set the channel topic: ${topic}`;
    this.appendMessage(channel, { ts: this.nextTs(), user: userId, text, subtype: 'channel_topic', topic });
    return channel;
  }

  /** Every message of a channel, thread replies included, oldest first. */
  messages(channelId: string): MessageRecord[] {
    return this.state.messages[channelId] ?? [];
  }

  message(channelId: string, ts: string): MessageRecord | undefined {
    return this.messages(channelId).find((m) => m.ts === ts);
  }

  /** The replies of a thread (without its parent), oldest first. */
  threadReplies(channelId: string, threadTs: string): MessageRecord[] {
    return this.messages(channelId).filter((m) => m.threadTs === threadTs && m.ts !== threadTs);
  }

  protected requireMessage(channelId: string, ts: string): MessageRecord {
    const m = this.message(channelId, ts);
    if (!m) throw new SlackApiError('message_not_found');
    return m;
  }

  /** The Events API `message` event for a stored message. */
  messageEvent(channel: ChannelRecord, m: MessageRecord): SlackEvent {
    return {
      ...wireMessage(this, channel.id, m),
      type: 'message',
      channel: channel.id,
      event_ts: m.ts,
      channel_type: channel.isPrivate ? 'group' : 'channel',
    };
  }

  /** Stores a message at the end of its channel and emits it. */
  protected appendMessage(
    channel: ChannelRecord,
    fields: Omit<MessageRecord, 'reactions' | 'pinnedTo'>,
  ): { message: MessageRecord; event: SlackEvent } {
    const message: MessageRecord = { ...fields, reactions: [], pinnedTo: [] };
    const list = this.state.messages[channel.id] ?? [];
    list.push(message);
    this.state.messages[channel.id] = list;
    const event = this.messageEvent(channel, message);
    this.emitChange({ type: 'message_posted', channel: channel.id, message, events: [event] }, channel.id);
    return { message, event };
  }

  addBookmark(
    idOrName: string,
    input: { title: string; link: string; type: string; emoji?: string },
    userId: string,
  ): BookmarkRecord {
    const channel = this.requireChannel(idOrName, userId);
    if (this.bookmarks(channel.id).length >= 100) throw new SlackApiError('too_many_bookmarks');
    const bookmark: BookmarkRecord = {
      id: this.nextId('Bk'),
      channelId: channel.id,
      title: input.title,
      link: input.link,
      emoji: input.emoji ?? null,
      type: input.type,
      created: this.nowSeconds(),
      createdBy: userId,
    };
    this.state.bookmarks.push(bookmark);
    this.emitChange({ type: 'bookmark_added', bookmark, events: [] }, channel.id);
    return bookmark;
  }

  bookmarks(channelId: string): BookmarkRecord[] {
    return this.state.bookmarks.filter((b) => b.channelId === channelId);
  }
}
