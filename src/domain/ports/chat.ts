/** Slack, as the core uses it: the `Chat` port and the shapes it speaks. */
/** A Slack Web API failure the core reacts to (`name_taken`, `not_in_channel`, `channel_not_found`, `ratelimited`, ...). */
export class ChatError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`${method} failed: ${code}`);
    this.name = 'ChatError';
  }
}

export interface ChatMessage {
  text: string;
  /** Block Kit blocks; the domain treats them as opaque. */
  blocks?: unknown[];
  threadTs?: string;
  /** also show a thread reply in the channel */
  broadcast?: boolean;
}

export interface SlackUser {
  id: string;
  name: string;
  displayName: string;
  isBot: boolean;
  deleted: boolean;
  /** the profile's email, when Slack tells it (`users.info` with the users:read.email scope) */
  email?: string;
}

export interface FetchedMessage {
  ts: string;
  threadTs: string | null;
  user: string | null;
  text: string;
  files: { name: string; url: string; mimetype?: string }[];
}

export interface UploadedFile {
  id: string;
  permalink: string | null;
  title: string;
}

/** Slack, as the core uses it. Every method rejects with ChatError on a Slack error. */
export interface Chat {
  /** A public channel, or a private one (`isPrivate`: seen and joined only by whoever is invited). */
  createChannel(name: string, options?: { isPrivate?: boolean }): Promise<{ id: string; name: string }>;
  /** The ids of every member of a channel the bot is in, all pages read. */
  channelMembers(channelId: string): Promise<string[]>;
  invite(channelId: string, userIds: string[]): Promise<void>;
  join(channelId: string): Promise<void>;
  post(channelId: string, message: ChatMessage): Promise<{ ts: string; channelId: string }>;
  postEphemeral(channelId: string, userId: string, message: ChatMessage): Promise<void>;
  update(channelId: string, ts: string, message: ChatMessage): Promise<void>;
  pin(channelId: string, ts: string): Promise<void>;
  setTopic(channelId: string, topic: string): Promise<void>;
  addBookmark(channelId: string, title: string, link: string): Promise<void>;
  permalink(channelId: string, ts: string): Promise<string | null>;
  userInfo(userId: string): Promise<SlackUser>;
  fetchMessage(channelId: string, ts: string, threadTs?: string | null): Promise<FetchedMessage | null>;
  openView(triggerId: string, view: unknown): Promise<void>;
  /** Publishes `view` (a `home` view) as the App Home tab of `userId` (views.publish), replacing the one shown. */
  publishHome(userId: string, view: unknown): Promise<void>;
  uploadFile(input: {
    channelId: string;
    filename: string;
    title: string;
    content: string;
    initialComment?: string;
  }): Promise<UploadedFile>;
  /**
   * `response_url` replies to a slash command or an interaction. `replaceOriginal` puts the message in place
   * of the one the URL answers (a command's first ephemeral answer, the message a button was in);
   * `deleteOriginal` removes that message instead (the text is then not shown).
   */
  respond(responseUrl: string, message: ResponseMessage): Promise<void>;
  /** Adds the bot's reaction (`white_check_mark`) to a message; having reacted already counts as done. */
  addReaction(channelId: string, ts: string, name: string): Promise<void>;
  /** Takes the bot's reaction off a message; a reaction that is not there counts as done. */
  removeReaction(channelId: string, ts: string, name: string): Promise<void>;
  /** The workspace member with this email address, or null when nobody has it (`users_not_found`). */
  userByEmail(email: string): Promise<SlackUser | null>;
}

/** What a `response_url` is sent. */
export type ResponseMessage = ChatMessage & {
  ephemeral?: boolean;
  replaceOriginal?: boolean;
  deleteOriginal?: boolean;
};
