/**
 * The Chat port in memory, for use-case tests: every call is recorded, posts get increasing ts values, channels
 * and files get ids, and a test can make the next call of a method fail with a Slack error code. No HTTP: the
 * fake Slack server (fake-slack.ts) is for tests that run the real WebClient.
 */
import {
  type Chat,
  ChatError,
  type ChatMessage,
  type FetchedMessage,
  type ResponseMessage,
  type SlackUser,
  type UploadedFile,
} from '../../src/domain/ports.js';

type Method = keyof Chat;

/** The Slack Web API method behind each port method, as WebChat names it in a ChatError. */
const SLACK_METHOD: Record<Method, string> = {
  createChannel: 'conversations.create',
  channelMembers: 'conversations.members',
  invite: 'conversations.invite',
  join: 'conversations.join',
  post: 'chat.postMessage',
  postEphemeral: 'chat.postEphemeral',
  update: 'chat.update',
  pin: 'pins.add',
  setTopic: 'conversations.setTopic',
  addBookmark: 'bookmarks.add',
  permalink: 'chat.getPermalink',
  userInfo: 'users.info',
  fetchMessage: 'conversations.history',
  openView: 'views.open',
  publishHome: 'views.publish',
  uploadFile: 'files.completeUploadExternal',
  respond: 'response_url',
  addReaction: 'reactions.add',
  removeReaction: 'reactions.remove',
  userByEmail: 'users.lookupByEmail',
};

/** One call as the core made it. */
export interface ChatCall {
  method: Method;
  args: unknown[];
}

/** Chat in memory: records every call; `failNext` makes a call fail as Slack would. */
export class RecordingChat implements Chat {
  readonly calls: ChatCall[] = [];
  /** messages posted, by channel then ts (fetchMessage reads them back) */
  readonly messages = new Map<string, Map<string, FetchedMessage>>();
  /** profiles users.info answers; an unknown id is `user_not_found` */
  readonly users = new Map<string, SlackUser>();
  private readonly failures = new Map<Method, string[]>();
  private seq = 0;

  /** Makes the next call of `method` fail with the Slack error `code` (queued: call again for more). */
  failNext(method: Method, code: string): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), code]);
  }

  /** The calls of one method, in order. */
  callsOf(method: Method): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  addUser(user: Partial<SlackUser> & { id: string }): void {
    this.users.set(user.id, { name: user.id, displayName: user.id, isBot: false, deleted: false, ...user });
  }

  private record(method: Method, args: unknown[]): void {
    this.calls.push({ method, args: structuredClone(args) });
    const code = this.failures.get(method)?.shift();
    if (code) throw new ChatError(SLACK_METHOD[method], code);
  }

  private nextTs(): string {
    this.seq += 1;
    return `1700000000.${String(this.seq).padStart(6, '0')}`;
  }

  /** members of each channel, as channelMembers answers them (a channel not set has none) */
  readonly members = new Map<string, string[]>();

  async createChannel(
    name: string,
    options?: { isPrivate?: boolean },
  ): Promise<{ id: string; name: string }> {
    this.record('createChannel', options ? [name, options] : [name]);
    return { id: `C${String(++this.seq).padStart(8, '0')}`, name };
  }

  async channelMembers(channelId: string): Promise<string[]> {
    this.record('channelMembers', [channelId]);
    return [...(this.members.get(channelId) ?? [])];
  }

  async invite(channelId: string, userIds: string[]): Promise<void> {
    this.record('invite', [channelId, userIds]);
  }

  async join(channelId: string): Promise<void> {
    this.record('join', [channelId]);
  }

  async post(channelId: string, message: ChatMessage): Promise<{ ts: string; channelId: string }> {
    this.record('post', [channelId, message]);
    const ts = this.nextTs();
    const channel = this.messages.get(channelId) ?? new Map<string, FetchedMessage>();
    channel.set(ts, { ts, threadTs: message.threadTs ?? null, user: null, text: message.text, files: [] });
    this.messages.set(channelId, channel);
    return { ts, channelId };
  }

  async postEphemeral(channelId: string, userId: string, message: ChatMessage): Promise<void> {
    this.record('postEphemeral', [channelId, userId, message]);
  }

  async update(channelId: string, ts: string, message: ChatMessage): Promise<void> {
    this.record('update', [channelId, ts, message]);
  }

  async pin(channelId: string, ts: string): Promise<void> {
    this.record('pin', [channelId, ts]);
  }

  async setTopic(channelId: string, topic: string): Promise<void> {
    this.record('setTopic', [channelId, topic]);
  }

  async addBookmark(channelId: string, title: string, link: string): Promise<void> {
    this.record('addBookmark', [channelId, title, link]);
  }

  async permalink(channelId: string, ts: string): Promise<string | null> {
    this.record('permalink', [channelId, ts]);
    return `https://muster.slack.test/archives/${channelId}/p${ts.replace('.', '')}`;
  }

  async userInfo(userId: string): Promise<SlackUser> {
    this.record('userInfo', [userId]);
    const user = this.users.get(userId);
    if (!user) throw new ChatError(SLACK_METHOD.userInfo, 'user_not_found');
    return { ...user };
  }

  async fetchMessage(
    channelId: string,
    ts: string,
    threadTs?: string | null,
  ): Promise<FetchedMessage | null> {
    this.record('fetchMessage', [channelId, ts, threadTs ?? null]);
    const m = this.messages.get(channelId)?.get(ts);
    return m ? structuredClone(m) : null;
  }

  async openView(triggerId: string, view: unknown): Promise<void> {
    this.record('openView', [triggerId, view]);
  }

  async publishHome(userId: string, view: unknown): Promise<void> {
    this.record('publishHome', [userId, view]);
  }

  async uploadFile(input: {
    channelId: string;
    filename: string;
    title: string;
    content: string;
    initialComment?: string;
  }): Promise<UploadedFile> {
    this.record('uploadFile', [input]);
    const id = `F${String(++this.seq).padStart(8, '0')}`;
    return { id, permalink: `https://muster.slack.test/files/${id}`, title: input.title };
  }

  async respond(responseUrl: string, message: ResponseMessage): Promise<void> {
    this.record('respond', [responseUrl, message]);
  }

  /** the bot's reactions, as `channel:ts:name` */
  readonly reactions = new Set<string>();
  /** email addresses users.lookupByEmail knows, each with its user id */
  readonly emails = new Map<string, string>();

  async addReaction(channelId: string, ts: string, name: string): Promise<void> {
    this.record('addReaction', [channelId, ts, name]);
    this.reactions.add(`${channelId}:${ts}:${name}`);
  }

  async removeReaction(channelId: string, ts: string, name: string): Promise<void> {
    this.record('removeReaction', [channelId, ts, name]);
    this.reactions.delete(`${channelId}:${ts}:${name}`);
  }

  async userByEmail(email: string): Promise<SlackUser | null> {
    this.record('userByEmail', [email]);
    const id = this.emails.get(email.toLowerCase());
    const user = id ? this.users.get(id) : undefined;
    return user ? { ...user } : null;
  }
}
