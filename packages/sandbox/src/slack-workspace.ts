/**
 * One Slack workspace held in memory: the fake Slack of the tests and the sandbox's workspace are this class.
 * Every state change is emitted as a `change` event (with the Events API events Slack would deliver), and the
 * whole state round-trips through `toJSON()` / `SlackWorkspace.fromJSON()`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { checkContent, SlackMessages } from './slack-messages.js';
import { OpenIdProvider } from './slack-openid.js';
import { APP_ID, BOT_ID, BOT_USER_ID, TEAM, seedChannels, seedUsers } from './slack-workspace-seed.js';
import {
  type EphemeralRecord,
  type MessageInput,
  type ResponseContext,
  type ResponseRecord,
  SlackApiError,
  type SlackEvent,
  type ViewRecord,
  type WorkspaceSnapshot,
} from './slack-workspace-types.js';

/** A fresh bot token: each workspace (each sandbox run) accepts its own, so no token is known in advance. */
export function randomBotToken(): string {
  return `xoxb-${randomBytes(6).readUIntBE(0, 6)}-${randomBytes(24).toString('hex')}`;
}

export interface SlackWorkspaceOptions {
  /** the bot token Web API calls must carry; default a random one (see randomBotToken) */
  token?: string;
  /** epoch milliseconds; default Date.now */
  clock?: () => number;
  /** where the workspace is served: permalinks, file and response URLs start with it */
  baseUrl?: string;
  /** seed #general and #incidents (default true); users are always seeded */
  seedChannels?: boolean;
  /** the app's client id and secret that Sign in with Slack checks (openid.connect.*); default random ones */
  clientId?: string;
  clientSecret?: string;
}

const MAX_VIEW_STACK = 3;
/**
 * Caps on what the workspace keeps, oldest dropped first. The sandbox runs for days and saves the workspace to
 * its database, so none of these may grow without end: ephemeral messages (Slack itself forgets them on reload),
 * recorded response_url posts (each up to a megabyte), and minted response_urls (Slack's expire in 30 minutes).
 */
export const EPHEMERALS_CAP = 500;
export const RESPONSES_CAP = 200;
export const RESPONSE_URLS_CAP = 2000;

/** Drops the oldest items of `list` beyond `cap`, in place. */
function keepLatest<T>(list: T[], cap: number): void {
  if (list.length > cap) list.splice(0, list.length - cap);
}

function emptySnapshot(withChannels: boolean): WorkspaceSnapshot {
  const channels = withChannels ? seedChannels() : [];
  return {
    version: 1,
    team: { ...TEAM },
    users: seedUsers(),
    channels,
    messages: Object.fromEntries(channels.map((c) => [c.id, []])),
    bookmarks: [],
    files: [],
    views: [],
    ephemerals: [],
    responses: [],
    responseContexts: {},
    triggers: [],
    counters: {},
    lastTsMicros: 0,
  };
}

export class SlackWorkspace extends SlackMessages {
  readonly teamId: string;
  readonly botUserId = BOT_USER_ID;
  readonly botId = BOT_ID;
  readonly appId = APP_ID;
  readonly token: string;
  /** Sign in with Slack: who consents on the authorize page, the codes and user tokens it hands out */
  readonly openId: OpenIdProvider;
  baseUrl: string;
  protected state: WorkspaceSnapshot;
  protected readonly clock: () => number;

  constructor(options: SlackWorkspaceOptions = {}, snapshot?: WorkspaceSnapshot) {
    super();
    this.token = options.token ?? randomBotToken();
    this.clock = options.clock ?? Date.now;
    this.baseUrl = (options.baseUrl ?? 'http://localhost:3000').replace(/\/+$/, '');
    this.state = snapshot ? structuredClone(snapshot) : emptySnapshot(options.seedChannels ?? true);
    this.teamId = this.state.team.id;
    this.openId = new OpenIdProvider(this, {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
    });
  }

  /** Restores a workspace from `toJSON()` output; throws on an unknown snapshot version. */
  static fromJSON(snapshot: WorkspaceSnapshot, options: SlackWorkspaceOptions = {}): SlackWorkspace {
    if (snapshot?.version !== 1)
      throw new Error(`unsupported Slack workspace snapshot version: ${snapshot?.version}`);
    return new SlackWorkspace(options, snapshot);
  }

  /** The whole state as plain JSON (a copy). */
  toJSON(): WorkspaceSnapshot {
    return structuredClone(this.state);
  }

  team(): WorkspaceSnapshot['team'] {
    return this.state.team;
  }

  /** Posts a message only `userId` sees. */
  postEphemeral(
    idOrName: string,
    userId: string,
    input: MessageInput,
    via: EphemeralRecord['via'] = 'chat.postEphemeral',
  ): EphemeralRecord {
    const channel = this.requireChannel(idOrName);
    if (!this.user(userId)) throw new SlackApiError('user_not_found');
    if (via === 'chat.postEphemeral' && !channel.members.includes(userId)) {
      throw new SlackApiError('user_not_in_channel');
    }
    checkContent(input, false);
    const ephemeral: EphemeralRecord = {
      channel: channel.id,
      user: userId,
      ts: this.nextTs(),
      text: input.text ?? '',
      ...(input.blocks ? { blocks: input.blocks } : {}),
      ...(input.threadTs ? { threadTs: input.threadTs } : {}),
      via,
    };
    this.state.ephemerals.push(ephemeral);
    keepLatest(this.state.ephemerals, EPHEMERALS_CAP);
    this.emitChange({ type: 'ephemeral_posted', ephemeral, events: [] });
    return ephemeral;
  }

  /** Ephemeral messages, optionally only those of one channel and/or person. */
  ephemerals(filter: { channel?: string; user?: string } = {}): EphemeralRecord[] {
    return this.state.ephemerals.filter(
      (e) => (!filter.channel || e.channel === filter.channel) && (!filter.user || e.user === filter.user),
    );
  }

  /** A trigger_id for a person's slash command or interaction (inside view `viewId` when given). */
  mintTriggerId(userId: string, viewId: string | null = null): string {
    const id = `${this.nowSeconds()}.${this.nextId('T').slice(2)}.${randomBytes(8).toString('hex')}`;
    this.state.triggers.push({ id, user: userId, viewId });
    // triggers live seconds in Slack; keep only the recent ones
    if (this.state.triggers.length > 200) this.state.triggers.splice(0, this.state.triggers.length - 200);
    return id;
  }

  view(id: string): ViewRecord | undefined {
    return this.state.views.find((v) => v.id === id);
  }

  views(): ViewRecord[] {
    return this.state.views;
  }

  private newView(
    view: Record<string, unknown>,
    triggerId: string | null,
    parent: ViewRecord | null,
  ): ViewRecord {
    const trigger = this.state.triggers.find((t) => t.id === triggerId);
    const id = this.nextId('V');
    const record: ViewRecord = {
      id,
      view,
      triggerId,
      user: trigger?.user ?? parent?.user ?? null,
      rootViewId: parent?.rootViewId ?? id,
      previousViewId: parent?.id ?? null,
      hash: this.nextHash(),
      closed: false,
    };
    this.state.views.push(record);
    return record;
  }

  private nextHash(): string {
    return `${this.nowSeconds()}.${randomBytes(4).toString('hex')}`;
  }

  /** Opens a modal (views.open). */
  openView(triggerId: string, view: Record<string, unknown>): ViewRecord {
    const record = this.newView(view, triggerId, null);
    this.emitChange({ type: 'view_opened', view: record, events: [] });
    return record;
  }

  /** The Home tab view last published for `userId`, if any. */
  homeView(userId: string): ViewRecord | undefined {
    return this.state.views.find((v) => v.user === userId && v.view['type'] === 'home');
  }

  /**
   * Publishes `userId`'s Home tab (views.publish): one view a person, replaced in place (its id stays, as in
   * Slack); a stale `hash` is a hash_conflict.
   */
  publishHome(userId: string, view: Record<string, unknown>, hash?: string): ViewRecord {
    if (!this.user(userId)) throw new SlackApiError('user_not_found');
    const record = this.homeView(userId);
    if (!record) {
      const created = this.newView(view, null, null);
      created.user = userId;
      this.emitChange({ type: 'view_opened', view: created, events: [] });
      return created;
    }
    if (hash && hash !== record.hash) throw new SlackApiError('hash_conflict');
    record.view = view;
    record.hash = this.nextHash();
    this.emitChange({ type: 'view_updated', view: record, events: [] });
    return record;
  }

  /**
   * A person opens the app's Home tab (`tab` "home") or Messages tab: returns the `app_home_opened` event Slack
   * sends, with the Home view last published for them.
   */
  userOpenAppHome(user: string, tab: 'home' | 'messages' = 'home'): SlackEvent {
    if (!this.user(user)) throw new SlackApiError('user_not_found');
    const home = this.homeView(user);
    const event: SlackEvent = {
      type: 'app_home_opened',
      user,
      // the app's direct message with the person (its Messages tab); opening the Home opens no conversation, so
      // one not opened yet is named without being created (it would show in the sandbox's sidebar)
      channel:
        this.channels().find((c) => c.id.startsWith('D') && c.name === user)?.id ??
        `D${user.replace(/^[UW]/, '')}`,
      tab,
      event_ts: `${this.nowSeconds()}.000100`,
      ...(home ? { view: { id: home.id, team_id: this.teamId, type: 'home', hash: home.hash } } : {}),
    };
    this.emitChange({ type: 'app_home_opened', user, events: [event] });
    return event;
  }

  /** Replaces a view (views.update) found by id or external_id; a stale `hash` is a hash_conflict. */
  updateView(
    ref: { viewId?: string; externalId?: string; hash?: string },
    view: Record<string, unknown>,
  ): ViewRecord {
    const record = ref.viewId
      ? this.view(ref.viewId)
      : this.state.views.find((v) => v.view['external_id'] === ref.externalId);
    if (!record) throw new SlackApiError('not_found');
    if (ref.hash && ref.hash !== record.hash) throw new SlackApiError('hash_conflict');
    record.view = view;
    record.hash = this.nextHash();
    this.emitChange({ type: 'view_updated', view: record, events: [] });
    return record;
  }

  /** Pushes a view on the stack of the view the trigger came from (or the person's latest open view). */
  pushView(triggerId: string, view: Record<string, unknown>): ViewRecord {
    const trigger = this.state.triggers.find((t) => t.id === triggerId);
    const open = this.state.views.filter((v) => !v.closed && (!trigger || v.user === trigger.user));
    const parent = (trigger?.viewId ? this.view(trigger.viewId) : undefined) ?? open.at(-1) ?? null;
    if (
      parent &&
      this.state.views.filter((v) => v.rootViewId === parent.rootViewId && !v.closed).length >= MAX_VIEW_STACK
    ) {
      throw new SlackApiError('push_limit_reached');
    }
    const record = this.newView(view, triggerId, parent);
    this.emitChange({ type: 'view_pushed', view: record, events: [] });
    return record;
  }

  /** Closes a view and the views pushed on it (a person submitted or cancelled). */
  closeView(viewId: string): void {
    const record = this.view(viewId);
    if (!record) throw new SlackApiError('not_found');
    for (const v of this.state.views) {
      if (v.id === viewId || (record.previousViewId === null && v.rootViewId === viewId)) v.closed = true;
    }
    this.emitChange({ type: 'view_closed', view: record, events: [] });
  }

  /** Mints a response_url for a command or interaction in `context`; its id is unguessable, like Slack's. */
  responseUrl(context: ResponseContext = {}): string {
    const id = `${this.nextId('R').slice(2)}${randomBytes(16).toString('hex')}`;
    const contexts = this.state.responseContexts;
    contexts[id] = context;
    // ids start with the counter's digits and letters, never a pure array index, so keys keep minting order
    const ids = Object.keys(contexts);
    for (const old of ids.slice(0, Math.max(0, ids.length - RESPONSE_URLS_CAP))) delete contexts[old];
    return `${this.baseUrl}/response/${id}`;
  }

  /** Whether `id` is a response_url id this workspace minted (and still keeps). */
  issuedResponse(id: string): boolean {
    return Object.hasOwn(this.state.responseContexts, id);
  }

  responses(): ResponseRecord[] {
    return this.state.responses;
  }

  /**
   * Records a post to a response_url and, when the URL was minted here with a context, does what Slack does:
   * ephemeral reply (the default), `in_channel` message, `replace_original` or `delete_original`.
   */
  receiveResponse(id: string, body: unknown): ResponseRecord {
    const context = this.state.responseContexts[id] ?? null;
    const response: ResponseRecord = { id, body, at: this.clock(), context };
    this.state.responses.push(response);
    keepLatest(this.state.responses, RESPONSES_CAP);
    this.emitChange({ type: 'response_received', response, events: [] });
    if (context?.channel && typeof body === 'object' && body !== null) {
      this.applyResponse(context as ResponseContext & { channel: string }, body as Record<string, unknown>);
    }
    return response;
  }

  private applyResponse(context: ResponseContext & { channel: string }, body: Record<string, unknown>): void {
    const input: MessageInput = {
      text: typeof body['text'] === 'string' ? body['text'] : undefined,
      blocks: Array.isArray(body['blocks']) ? body['blocks'] : undefined,
      threadTs: typeof body['thread_ts'] === 'string' ? body['thread_ts'] : undefined,
    };
    const original = context.messageTs ? this.message(context.channel, context.messageTs) : undefined;
    // an interaction on an ephemeral message replaces (or deletes) that ephemeral message, as in Slack
    const ephemeral = original
      ? undefined
      : this.state.ephemerals.find(
          (e) => e.channel === context.channel && e.user === context.user && e.ts === context.messageTs,
        );
    const deleting = isTrue(body['delete_original']);
    if (ephemeral && (deleting || isTrue(body['replace_original']))) {
      this.changeEphemeral(ephemeral, deleting ? null : input);
      return;
    }
    try {
      if (deleting) {
        // nothing else is shown, even when there is nothing (left) to delete
        if (original) this.deleteMessage(context.channel, original.ts, original.user);
      } else if (isTrue(body['replace_original']) && original) {
        this.updateMessage(context.channel, original.ts, original.user, input);
      } else if (body['response_type'] === 'in_channel') {
        this.postMessage(context.channel, this.botUserId, input, { asResponse: true });
      } else if (context.user) {
        const posted = this.postEphemeral(context.channel, context.user, input, 'response_url');
        // A slash command's first ephemeral answer is the original its response_url replaces or deletes
        // later ("Working on it…" giving way to the result), as in Slack.
        context.messageTs ??= posted.ts;
      }
    } catch (error) {
      // the post is recorded either way; an effect that cannot apply (message gone, empty text) is dropped
      if (!(error instanceof SlackApiError)) throw error;
    }
  }

  /** Replaces an ephemeral message's content, or removes it (`input` null). */
  private changeEphemeral(ephemeral: EphemeralRecord, input: MessageInput | null): void {
    if (input === null) {
      this.state.ephemerals = this.state.ephemerals.filter((e) => e !== ephemeral);
    } else {
      ephemeral.text = input.text ?? ephemeral.text;
      if (input.blocks !== undefined) ephemeral.blocks = input.blocks;
    }
    this.emitChange({ type: 'ephemeral_changed', ephemeral, deleted: input === null, events: [] });
  }

  /** A person posts; returns the Events API `message` event. */
  userPostMessage(a: {
    user: string;
    channel: string;
    text: string;
    threadTs?: string;
    replyBroadcast?: boolean;
  }): SlackEvent {
    const input = { text: a.text, threadTs: a.threadTs, replyBroadcast: a.replyBroadcast };
    return this.postMessage(a.channel, a.user, input, { clientMsgId: randomUUID() }).event;
  }

  /** A person edits their message; returns the `message_changed` event. */
  userEditMessage(a: { user: string; channel: string; ts: string; text: string }): SlackEvent {
    return this.updateMessage(a.channel, a.ts, a.user, { text: a.text }, true).event;
  }

  /** A person deletes their message; returns the `message_deleted` event. */
  userDeleteMessage(a: { user: string; channel: string; ts: string }): SlackEvent {
    return this.deleteMessage(a.channel, a.ts, a.user);
  }

  /** A person reacts; returns the `reaction_added` event. */
  userAddReaction(a: { user: string; channel: string; ts: string; reaction: string }): SlackEvent {
    return this.addReaction(a.channel, a.ts, a.user, a.reaction);
  }

  /** A person takes a reaction back; returns the `reaction_removed` event. */
  userRemoveReaction(a: { user: string; channel: string; ts: string; reaction: string }): SlackEvent {
    return this.removeReaction(a.channel, a.ts, a.user, a.reaction);
  }

  /** A person joins a public channel; returns the `member_joined_channel` event, or null if already a member. */
  userJoinChannel(a: { user: string; channel: string }): SlackEvent | null {
    return this.joinChannel(a.channel, a.user).event;
  }
}

const isTrue = (v: unknown): boolean => v === true || v === 'true';
