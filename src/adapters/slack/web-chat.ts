/**
 * The Chat port over Bolt's WebClient. The client itself retries 5xx and network failures with jittered
 * exponential backoff and waits out `ratelimited` (HTTP 429) for the Retry-After it was given, pausing its
 * whole queue so no call goes out early; what is left is a ChatError with Slack's error code.
 */
import type { WebClient } from '@slack/web-api';
import {
  ChatError,
  type Chat,
  type ChatMessage,
  type FetchedMessage,
  type ResponseMessage,
  type SlackUser,
  type UploadedFile,
} from '../../domain/ports.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../log.js';
import { fitMessageText, fitPlain } from './text-fit.js';

/** Longest channel topic Slack keeps. */
const TOPIC_CHARS = 250;

interface SlackFile {
  name?: string;
  title?: string;
  url_private?: string;
  permalink?: string;
  mimetype?: string;
}

interface SlackApiMessage {
  ts: string;
  subtype?: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  files?: SlackFile[];
}

export const filesOf = (files: SlackFile[] | undefined): FetchedMessage['files'] =>
  (files ?? []).map((f) => ({
    name: f.name ?? f.title ?? 'file',
    url: f.permalink ?? f.url_private ?? '',
    ...(f.mimetype ? { mimetype: f.mimetype } : {}),
  }));

/** A user object as users.info and users.lookupByEmail return it. */
interface SlackApiUser {
  id: string;
  name: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  profile?: { display_name?: string; real_name?: string; email?: string };
}

const toSlackUser = (u: SlackApiUser): SlackUser => ({
  id: u.id,
  name: u.name,
  displayName: u.profile?.display_name || u.profile?.real_name || u.real_name || u.name,
  isBot: Boolean(u.is_bot) || u.id === 'USLACKBOT',
  deleted: Boolean(u.deleted),
  // only with the users:read.email scope
  ...(u.profile?.email ? { email: u.profile.email } : {}),
});

/** What conversations.replies answers for a message that no longer exists. */
const GONE = ['thread_not_found', 'message_not_found'];

/** Pages of conversations.members read at most (1,000 members each): a channel beyond that is not an incident's. */
const MAX_MEMBER_PAGES = 100;

export class WebChat implements Chat {
  constructor(
    private readonly client: WebClient,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly fetchFn: typeof fetch = fetch,
    /**
     * The client App Homes are published with. WebClient pauses its whole queue while one method is rate
     * limited: refreshing every viewer's Home must never hold back a message to an incident channel.
     */
    private readonly homeClient: WebClient = client,
  ) {}

  /** Calls a Web API method; a Slack error becomes a ChatError and is counted by method and code. */
  private async call<T>(
    method: string,
    args: Record<string, unknown>,
    expectedCodes: readonly string[] = [],
    client: WebClient = this.client,
  ): Promise<T> {
    try {
      return (await client.apiCall(method, args)) as T;
    } catch (e) {
      const err = e as {
        code?: string;
        data?: { error?: string };
        retryAfter?: number;
        statusCode?: number;
        original?: Error;
      };
      // Rate limits still hit after every retry reach us as a request error wrapping this message.
      const limited = /^A rate limit was exceeded .*retry-after: (\d+)/.exec(err.original?.message ?? '');
      if (limited) err.retryAfter = Number(limited[1]);
      const code =
        err.data?.error ??
        (err.code === 'slack_webapi_rate_limited_error' || limited
          ? 'ratelimited'
          : err.code === 'slack_webapi_http_error'
            ? `http_${err.statusCode ?? 'error'}`
            : err.code === 'slack_webapi_request_error'
              ? 'request_failed'
              : 'unknown_error');
      this.metrics.slackApiErrors.inc({ method, error: code });
      // An answer the caller expects and handles (a message that is gone) is not worth a warning.
      if (!expectedCodes.includes(code)) this.log.warn({ method, error: code }, 'Slack API call failed');
      throw new ChatError(method, code, err.retryAfter);
    }
  }

  async createChannel(
    name: string,
    options: { isPrivate?: boolean } = {},
  ): Promise<{ id: string; name: string }> {
    const r = await this.call<{ channel: { id: string; name: string } }>('conversations.create', {
      name,
      is_private: options.isPrivate ?? false,
    });
    return { id: r.channel.id, name: r.channel.name };
  }

  /** conversations.members, page after page (Slack's cursor; an empty `next_cursor` is the last page). */
  async channelMembers(channelId: string): Promise<string[]> {
    const members: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < MAX_MEMBER_PAGES; pages++) {
      const r = await this.call<{ members?: string[]; response_metadata?: { next_cursor?: string } }>(
        'conversations.members',
        { channel: channelId, limit: 1000, ...(cursor ? { cursor } : {}) },
      );
      members.push(...(r.members ?? []));
      cursor = r.response_metadata?.next_cursor || undefined;
      if (!cursor) return members;
    }
    throw new ChatError('conversations.members', 'too_many_pages');
  }

  async invite(channelId: string, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    try {
      await this.call('conversations.invite', { channel: channelId, users: userIds.join(',') });
    } catch (e) {
      // Inviting someone already there is what we wanted anyway.
      if (e instanceof ChatError && (e.code === 'already_in_channel' || e.code === 'cant_invite_self'))
        return;
      throw e;
    }
  }

  async join(channelId: string): Promise<void> {
    await this.call('conversations.join', { channel: channelId });
  }

  /** text, blocks and thread: the message arguments chat.postMessage and chat.postEphemeral both take. */
  private messageArgs(m: ChatMessage): Record<string, unknown> {
    return {
      text: fitMessageText(m.text),
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    };
  }

  async post(channelId: string, m: ChatMessage): Promise<{ ts: string; channelId: string }> {
    const r = await this.call<{ ts: string; channel: string }>('chat.postMessage', {
      channel: channelId,
      ...this.messageArgs(m),
      ...(m.broadcast ? { reply_broadcast: true } : {}),
      unfurl_links: false,
      unfurl_media: false,
    });
    return { ts: r.ts, channelId: r.channel ?? channelId };
  }

  // chat.postEphemeral takes neither unfurl_links, unfurl_media nor reply_broadcast (Slack's OpenAPI spec):
  // an ephemeral message is never unfurled nor broadcast.
  async postEphemeral(channelId: string, userId: string, m: ChatMessage): Promise<void> {
    await this.call('chat.postEphemeral', { channel: channelId, user: userId, ...this.messageArgs(m) });
  }

  async update(channelId: string, ts: string, m: ChatMessage): Promise<void> {
    await this.call('chat.update', {
      channel: channelId,
      ts,
      text: fitMessageText(m.text),
      ...(m.blocks ? { blocks: m.blocks } : {}),
    });
  }

  async pin(channelId: string, ts: string): Promise<void> {
    try {
      await this.call('pins.add', { channel: channelId, timestamp: ts });
    } catch (e) {
      if (e instanceof ChatError && e.code === 'already_pinned') return;
      throw e;
    }
  }

  async setTopic(channelId: string, topic: string): Promise<void> {
    // Slack truncates topics at 250 characters; cut on our side, between graphemes, so the end stays readable.
    await this.call('conversations.setTopic', { channel: channelId, topic: fitPlain(topic, TOPIC_CHARS) });
  }

  async addBookmark(channelId: string, title: string, link: string): Promise<void> {
    await this.call('bookmarks.add', { channel_id: channelId, title, type: 'link', link });
  }

  async permalink(channelId: string, ts: string): Promise<string | null> {
    try {
      const r = await this.call<{ permalink?: string }>('chat.getPermalink', {
        channel: channelId,
        message_ts: ts,
      });
      return r.permalink ?? null;
    } catch {
      return null;
    }
  }

  async userInfo(userId: string): Promise<SlackUser> {
    const r = await this.call<{ user: SlackApiUser }>('users.info', { user: userId });
    return toSlackUser(r.user);
  }

  async userByEmail(email: string): Promise<SlackUser | null> {
    try {
      const r = await this.call<{ user: SlackApiUser }>('users.lookupByEmail', { email }, [
        'users_not_found',
      ]);
      return toSlackUser(r.user);
    } catch (e) {
      // Nobody in the workspace has that address: an answer, not a failure.
      if (e instanceof ChatError && e.code === 'users_not_found') return null;
      throw e;
    }
  }

  async addReaction(channelId: string, ts: string, name: string): Promise<void> {
    try {
      await this.call('reactions.add', { channel: channelId, timestamp: ts, name }, ['already_reacted']);
    } catch (e) {
      // A redelivered event, or a second pin of the same message: the reaction is there, as wanted.
      if (e instanceof ChatError && e.code === 'already_reacted') return;
      throw e;
    }
  }

  async removeReaction(channelId: string, ts: string, name: string): Promise<void> {
    try {
      await this.call('reactions.remove', { channel: channelId, timestamp: ts, name }, [
        'no_reaction',
        'message_not_found',
      ]);
    } catch (e) {
      // Already off (taken off twice, never added), or the message is gone with its reactions.
      if (e instanceof ChatError && (e.code === 'no_reaction' || e.code === 'message_not_found')) return;
      throw e;
    }
  }

  async fetchMessage(
    channelId: string,
    ts: string,
    threadTs?: string | null,
  ): Promise<FetchedMessage | null> {
    const window = { channel: channelId, latest: ts, oldest: ts, inclusive: true };
    // A reaction does not say whether its message is a thread reply. Top-level messages come from
    // conversations.history; replies only from conversations.replies, which also accepts a reply's own ts.
    let m: SlackApiMessage | undefined;
    if (!threadTs || threadTs === ts) {
      const r = await this.call<{ messages?: SlackApiMessage[] }>('conversations.history', {
        ...window,
        limit: 1,
      });
      m = (r.messages ?? []).find((x) => x.ts === ts);
    }
    if (!m) {
      try {
        // The thread parent always leads the answer, so a reply needs a limit of 2.
        const r = await this.call<{ messages?: SlackApiMessage[] }>(
          'conversations.replies',
          { ...window, ts: threadTs ?? ts, limit: 2 },
          GONE,
        );
        m = (r.messages ?? []).find((x) => x.ts === ts);
      } catch (e) {
        // Neither a top-level message nor a thread: it is gone.
        if (e instanceof ChatError && GONE.includes(e.code)) return null;
        throw e;
      }
    }
    if (!m || m.subtype === 'tombstone') return null;
    return {
      ts: m.ts,
      threadTs: m.thread_ts && m.thread_ts !== m.ts ? m.thread_ts : null,
      user: m.user ?? m.bot_id ?? null,
      text: m.text ?? '',
      files: filesOf(m.files),
    };
  }

  async openView(triggerId: string, view: unknown): Promise<void> {
    await this.call('views.open', { trigger_id: triggerId, view });
  }

  async publishHome(userId: string, view: unknown): Promise<void> {
    await this.call('views.publish', { user_id: userId, view }, [], this.homeClient);
  }

  async uploadFile(input: {
    channelId: string;
    filename: string;
    title: string;
    content: string;
    initialComment?: string;
  }): Promise<UploadedFile> {
    const bytes = Buffer.from(input.content, 'utf8');
    const target = await this.call<{ upload_url: string; file_id: string }>('files.getUploadURLExternal', {
      filename: input.filename,
      length: bytes.length,
    });
    const put = await this.fetchFn(target.upload_url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
      signal: AbortSignal.timeout(30_000),
    });
    if (!put.ok) {
      this.metrics.slackApiErrors.inc({ method: 'files.upload_url', error: `http_${put.status}` });
      throw new ChatError('files.upload_url', `http_${put.status}`);
    }
    const done = await this.call<{ files?: { id: string; title?: string; permalink?: string }[] }>(
      'files.completeUploadExternal',
      {
        files: JSON.stringify([{ id: target.file_id, title: input.title }]),
        channel_id: input.channelId,
        ...(input.initialComment ? { initial_comment: input.initialComment } : {}),
      },
    );
    const f = done.files?.[0];
    return { id: f?.id ?? target.file_id, permalink: f?.permalink ?? null, title: f?.title ?? input.title };
  }

  async respond(responseUrl: string, m: ResponseMessage): Promise<void> {
    // Deleting sends nothing else: Slack removes the message the URL answers and shows no text.
    const body = m.deleteOriginal
      ? { delete_original: true }
      : {
          text: fitMessageText(m.text),
          ...(m.blocks ? { blocks: m.blocks } : {}),
          response_type: m.ephemeral === false ? 'in_channel' : 'ephemeral',
          ...(m.replaceOriginal ? { replace_original: true } : {}),
        };
    const r = await this.fetchFn(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!r.ok) throw new ChatError('response_url', `http_${r.status}`);
  }
}
