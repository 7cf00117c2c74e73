/** The interfaces the core needs from the outside world. Adapters implement them; tests use the real adapters against fake servers. */
import type { Severity } from './incident.js';

export interface Clock {
  /** epoch milliseconds */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

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
  createChannel(name: string): Promise<{ id: string; name: string }>;
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
  uploadFile(input: {
    channelId: string;
    filename: string;
    title: string;
    content: string;
    initialComment?: string;
  }): Promise<UploadedFile>;
  /** `response_url` replies to a slash command or an interaction. */
  respond(responseUrl: string, message: ChatMessage & { ephemeral?: boolean; replaceOriginal?: boolean }): Promise<void>;
}

/** A runbook of a catalog service: a link, a markdown file in the runbooks folder, or a file with a link. */
export interface CatalogRunbook {
  readonly title: string;
  /** http(s) link; null for a file runbook when the catalog has no `runbooks_url` */
  readonly url: string | null;
  /** the file as written in the catalog, relative to the runbooks folder; null for a link runbook */
  readonly file: string | null;
  /** absolute path of that file; null for a link runbook */
  readonly path: string | null;
}

/** A catalog service as use cases see it; the catalog adapter's Service fits it. */
export interface CatalogService {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly description: string | null;
  /** the owning team */
  readonly owner: string;
  /** Slack channel ID of the owning team */
  readonly teamChannel: string | null;
  readonly runbooks: readonly CatalogRunbook[];
  /** where pages go; null when the service cannot be paged */
  readonly pagerduty: {
    readonly routingKey: string | null;
    readonly rest: { readonly serviceId: string; readonly escalationPolicyId: string } | null;
  } | null;
  readonly autoPage: readonly Severity[];
}

/** The service catalog in force: lookups, suggestions, title matching, paging policy. */
export interface ServiceCatalog {
  readonly services: readonly CatalogService[];
  /** the service with this name or alias (case and punctuation ignored), or null */
  find(nameOrAlias: string): CatalogService | null;
  /** service names nearest to a mistyped word, nearest first */
  suggest(word: string, limit?: number): string[];
  /** services named in the title as whole words, in order of mention */
  matchTitle(title: string): CatalogService[];
  canPage(service: CatalogService): boolean;
  autoPages(service: CatalogService, severity: Severity): boolean;
}
