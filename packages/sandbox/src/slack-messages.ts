/** The message half of a sandbox Slack workspace: posting, threads, edits, deletions, reactions, pins and files. */
import { randomBytes, randomUUID } from 'node:crypto';
import { SlackChannels } from './slack-channels.js';
import { isTs } from './slack-ts.js';
import { wireMessage } from './slack-wire-objects.js';
import {
  type ChannelRecord,
  type FileRecord,
  type MessageInput,
  type MessageRecord,
  SlackApiError,
  type SlackEvent,
} from './slack-workspace-types.js';

export const MAX_TEXT_LENGTH = 40_000;
const EMOJI_PATTERN = /^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/;

export abstract class SlackMessages extends SlackChannels {
  /** Posts a message as `userId`; `asResponse` skips the membership check, as response_url posts do. */
  postMessage(
    idOrName: string,
    userId: string,
    input: MessageInput,
    opts: { asResponse?: boolean; clientMsgId?: string; subtype?: 'file_share' } = {},
  ): { message: MessageRecord; channel: ChannelRecord; event: SlackEvent } {
    const channel = this.requireChannel(idOrName, userId);
    if (channel.isArchived) throw new SlackApiError('is_archived');
    if (!opts.asResponse && !channel.members.includes(userId)) throw new SlackApiError('not_in_channel');
    checkContent(input, (input.files?.length ?? 0) > 0);
    let threadTs: string | undefined;
    if (input.threadTs !== undefined && input.threadTs !== '') {
      if (!isTs(input.threadTs)) throw new SlackApiError('invalid_thread_ts');
      const parent = this.message(channel.id, input.threadTs);
      if (!parent || parent.subtype === 'tombstone') throw new SlackApiError('thread_not_found');
      // a reply to a reply lands in the parent's thread
      threadTs = parent.threadTs ?? parent.ts;
    }
    const author = this.user(userId);
    const { message, event } = this.appendMessage(channel, {
      ts: this.nextTs(),
      user: userId,
      text: input.text ?? '',
      subtype: threadTs && input.replyBroadcast ? 'thread_broadcast' : opts.subtype,
      botId: author?.botId ?? undefined,
      blocks: withBlockIds(input.blocks),
      attachments: input.attachments,
      threadTs,
      files: input.files,
      clientMsgId: opts.clientMsgId,
      metadata: input.metadata,
    });
    return { message, channel, event };
  }

  /** Replaces a message's content; only its author may. `edit` marks a person's edit (the `edited` field). */
  updateMessage(
    idOrName: string,
    ts: string,
    userId: string,
    input: MessageInput,
    edit = false,
  ): { message: MessageRecord; channel: ChannelRecord; event: SlackEvent } {
    const channel = this.requireChannel(idOrName, userId);
    const current = this.requireMessage(channel.id, ts);
    if (current.user !== userId || current.subtype === 'tombstone')
      throw new SlackApiError('cant_update_message');
    checkContent(input, (current.files?.length ?? 0) > 0);
    const previous = structuredClone(current);
    const eventTs = this.nextTs();
    current.text = input.text ?? current.text;
    if (input.blocks !== undefined)
      current.blocks = input.blocks.length > 0 ? withBlockIds(input.blocks) : undefined;
    if (input.attachments !== undefined) current.attachments = input.attachments;
    if (edit) current.edited = { user: userId, ts: eventTs };
    const event: SlackEvent = {
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel: channel.id,
      channel_type: channel.isPrivate ? 'group' : 'channel',
      ts: eventTs,
      event_ts: eventTs,
      message: wireMessage(this, channel.id, current),
      previous_message: wireMessage(this, channel.id, previous),
    };
    this.emitChange(
      { type: 'message_changed', channel: channel.id, message: current, previous, events: [event] },
      channel.id,
    );
    return { message: current, channel, event };
  }

  /** Deletes a message; a thread parent with replies leaves Slack's "This message was deleted." tombstone. */
  deleteMessage(idOrName: string, ts: string, userId: string): SlackEvent {
    const channel = this.requireChannel(idOrName, userId);
    const current = this.requireMessage(channel.id, ts);
    if (current.subtype === 'tombstone') throw new SlackApiError('message_not_found');
    if (current.user !== userId && !this.user(userId)?.isAdmin)
      throw new SlackApiError('cant_delete_message');
    const previous = structuredClone(current);
    const list = this.messages(channel.id);
    if (this.threadReplies(channel.id, ts).length > 0) {
      Object.assign(current, { user: 'USLACKBOT', text: 'This message was deleted.', subtype: 'tombstone' });
      Object.assign(current, { blocks: undefined, attachments: undefined, files: undefined, reactions: [] });
    } else {
      list.splice(list.indexOf(current), 1);
    }
    const eventTs = this.nextTs();
    const event: SlackEvent = {
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel: channel.id,
      channel_type: channel.isPrivate ? 'group' : 'channel',
      ts: eventTs,
      event_ts: eventTs,
      deleted_ts: ts,
      previous_message: wireMessage(this, channel.id, previous),
    };
    this.emitChange({ type: 'message_deleted', channel: channel.id, previous, events: [event] }, channel.id);
    return event;
  }

  /** Adds a reaction; returns the reaction_added event. */
  addReaction(idOrName: string, ts: string, userId: string, name: string): SlackEvent {
    return this.react(idOrName, ts, userId, name, true);
  }

  /** Removes a reaction; returns the reaction_removed event. */
  removeReaction(idOrName: string, ts: string, userId: string, name: string): SlackEvent {
    return this.react(idOrName, ts, userId, name, false);
  }

  private react(idOrName: string, ts: string, userId: string, rawName: string, add: boolean): SlackEvent {
    const channel = this.requireChannel(idOrName, userId);
    if (!ts) throw new SlackApiError('no_item_specified');
    const message = this.requireMessage(channel.id, ts);
    const name = rawName.replace(/^:|:$/g, '');
    if (!EMOJI_PATTERN.test(name)) throw new SlackApiError('invalid_name');
    const reaction = message.reactions.find((r) => r.name === name);
    if (add) {
      if (reaction?.users.includes(userId)) throw new SlackApiError('already_reacted');
      if (reaction) reaction.users.push(userId);
      else message.reactions.push({ name, users: [userId] });
    } else {
      if (!reaction?.users.includes(userId)) throw new SlackApiError('no_reaction');
      reaction.users = reaction.users.filter((u) => u !== userId);
      if (reaction.users.length === 0) message.reactions = message.reactions.filter((r) => r !== reaction);
    }
    const type = add ? 'reaction_added' : 'reaction_removed';
    const event: SlackEvent = {
      type,
      user: userId,
      reaction: name,
      item_user: message.user,
      item: { type: 'message', channel: channel.id, ts },
      event_ts: this.nextTs(),
    };
    this.emitChange(
      { type, channel: channel.id, ts, user: userId, reaction: name, events: [event] },
      channel.id,
    );
    return event;
  }

  pinMessage(idOrName: string, ts: string, userId: string): void {
    const channel = this.requireChannel(idOrName, userId);
    if (!ts) throw new SlackApiError('no_item_specified');
    if (!isTs(ts)) throw new SlackApiError('bad_timestamp');
    const message = this.requireMessage(channel.id, ts);
    if (message.pinnedTo.includes(channel.id)) throw new SlackApiError('already_pinned');
    message.pinnedTo.push(channel.id);
    this.emitChange({ type: 'pin_added', channel: channel.id, ts, user: userId, events: [] }, channel.id);
  }

  /** The pinned messages of a channel, oldest first. */
  pins(channelId: string): MessageRecord[] {
    return this.messages(channelId).filter((m) => m.pinnedTo.includes(channelId));
  }
  file(id: string): FileRecord | undefined {
    return this.state.files.find((f) => f.id === id);
  }

  files(): FileRecord[] {
    return this.state.files;
  }

  /** The bytes uploaded for a file, or null before the upload. */
  fileContent(id: string): Buffer | null {
    const content = this.file(id)?.content;
    return content == null ? null : Buffer.from(content, 'base64');
  }

  /** Starts an upload (files.getUploadURLExternal); the bytes arrive later at `uploadUrl(file.id)`. */
  reserveFile(
    input: { filename: string; length: number; snippetType?: string; altText?: string },
    userId: string,
  ): FileRecord {
    const file: FileRecord = {
      id: this.nextId('F'),
      name: input.filename,
      title: input.filename,
      declaredLength: input.length,
      content: null,
      snippetType: input.snippetType ?? null,
      altText: input.altText ?? null,
      user: userId,
      created: this.nowSeconds(),
      completed: false,
      // the upload URL is the only credential of the upload: unguessable, like Slack's own
      uploadKey: randomBytes(16).toString('hex'),
      shares: [],
    };
    this.state.files.push(file);
    return file;
  }

  /** The URL the bytes of a reserved file are posted to; throws file_not_found when none is pending. */
  uploadUrl(fileId: string): string {
    const key = this.file(fileId)?.uploadKey;
    if (!key) throw new SlackApiError('file_not_found');
    return `${this.baseUrl}/upload/v1/${key}`;
  }

  /** The file whose upload URL ends in `key`, while its bytes are awaited; undefined for any other key. */
  fileOfUpload(key: string): string | undefined {
    return this.state.files.find((f) => f.uploadKey === key && !f.completed && f.content === null)?.id;
  }

  /** Stores the bytes posted to an upload URL; throws file_not_found for an unknown or finished upload. */
  receiveFileContent(fileId: string, bytes: Buffer): FileRecord {
    const file = this.file(fileId);
    if (!file || file.completed) throw new SlackApiError('file_not_found');
    file.content = bytes.toString('base64');
    delete file.uploadKey;
    this.emitChange({ type: 'file_uploaded', file, events: [] });
    return file;
  }

  /** Finishes uploads (files.completeUploadExternal), sharing them in one message when a channel is given. */
  completeFiles(
    entries: { id: string; title?: string }[],
    userId: string,
    share?: { channel: string; initialComment?: string; threadTs?: string; blocks?: unknown[] },
  ): FileRecord[] {
    const files = entries.map((e) => {
      const file = this.file(e.id);
      // completing twice, or before the bytes arrived, finds no file to complete
      if (!file || file.completed || file.content === null) throw new SlackApiError('file_not_found');
      return file;
    });
    for (const [i, file] of files.entries()) file.title = entries[i]?.title || file.title;
    if (share) {
      const input: MessageInput = {
        text: share.initialComment ?? '',
        blocks: share.initialComment ? undefined : share.blocks,
        threadTs: share.threadTs,
        files: files.map((f) => f.id),
      };
      const { message, channel } = this.postMessage(share.channel, userId, input);
      for (const file of files)
        file.shares.push({ channel: channel.id, ts: message.ts, threadTs: message.threadTs });
    }
    for (const file of files) {
      file.completed = true;
      this.emitChange({ type: 'file_completed', file, events: [] });
    }
    return files;
  }

  /** A person uploads a file into a channel; returns the `message` event (subtype `file_share`). */
  userUploadFile(a: {
    user: string;
    channel: string;
    filename: string;
    content: string | Buffer;
    title?: string;
    text?: string;
    threadTs?: string;
  }): SlackEvent {
    const bytes = typeof a.content === 'string' ? Buffer.from(a.content) : a.content;
    const file = this.reserveFile({ filename: a.filename, length: bytes.length }, a.user);
    file.content = bytes.toString('base64');
    delete file.uploadKey;
    file.title = a.title ?? a.filename;
    const input: MessageInput = { text: a.text ?? '', threadTs: a.threadTs, files: [file.id] };
    const { message, channel, event } = this.postMessage(a.channel, a.user, input, {
      clientMsgId: randomUUID(),
      subtype: 'file_share',
    });
    file.shares.push({ channel: channel.id, ts: message.ts, threadTs: message.threadTs });
    file.completed = true;
    this.emitChange({ type: 'file_completed', file, events: [] });
    return event;
  }
}

/** Slack's content rules: some text, blocks, attachments or files (`no_text`), at most 40,000 characters. */
export function checkContent(input: MessageInput, hasFiles: boolean): void {
  const hasBlocks = (input.blocks?.length ?? 0) > 0 || (input.attachments?.length ?? 0) > 0;
  if (!input.text && !hasBlocks && !hasFiles) throw new SlackApiError('no_text');
  if ((input.text?.length ?? 0) > MAX_TEXT_LENGTH) throw new SlackApiError('msg_too_long');
}

/** Slack gives every block without a block_id one; interaction payloads carry it. */
function withBlockIds(blocks: unknown[] | undefined): unknown[] | undefined {
  if (!blocks || blocks.length === 0) return undefined;
  return blocks.map((b, i) =>
    typeof b === 'object' && b !== null && !('block_id' in b) ? { ...b, block_id: `b${i}` } : b,
  );
}
