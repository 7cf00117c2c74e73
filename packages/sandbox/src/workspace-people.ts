/**
 * The people of the sandbox workspace acting, as a Slack client would for them: typing messages and slash
 * commands, reacting, pressing buttons, choosing options, submitting and closing modals. Each act changes
 * the workspace and reaches the app the way Slack would tell it (signed, over HTTP): events for messages and
 * reactions, a slash command form, block_actions and view_submission payloads. The app's answers come back
 * through the Web API the workspace serves, or as the HTTP answer Slack reads (a command's reply, a modal's
 * `response_action`).
 */
import type { DeliveryAnswer, SlackDelivery } from './slack-delivery.js';
import {
  blockActionsPayload,
  eventEnvelope,
  newEventId,
  type PressSource,
  slashCommandForm,
  tsOf,
  viewClosedPayload,
  viewSubmissionPayload,
} from './slack-inbound-payloads.js';
import { actionOf, type Entered, type EnteredValues, findElement, stateValues } from './slack-view-state.js';
import type { SlackWorkspace } from './slack-workspace.js';
import { SlackApiError, type SlackEvent, type ViewRecord } from './slack-workspace-types.js';
import { inputProblems } from './view-input-checks.js';
import { slackifyText } from './typed-text.js';

/** What an act did: done, or Slack's error code (`not_in_channel`, ...) with the field errors of a modal. */
export type Outcome = { ok: true } | { ok: false; error: string; errors?: Record<string, string> };

export interface WorkspacePeopleOptions {
  workspace: SlackWorkspace;
  delivery: SlackDelivery;
  clock: () => number;
  /** whether the app subscribed to an event (from the manifest's bot_events) */
  subscribed: (event: SlackEvent) => boolean;
}

/** Where a press happened: a message or ephemeral message (by channel and ts), or an open modal. */
export type PressTarget = { channel: string; ts: string } | { viewId: string };

const ok: Outcome = { ok: true };
const failed = (error: string): Outcome => ({ ok: false, error });

/** Runs a workspace change, turning Slack's refusals into an outcome. */
function attempt(fn: () => unknown): Outcome {
  try {
    fn();
    return ok;
  } catch (e) {
    if (e instanceof SlackApiError) return failed(e.code);
    throw e;
  }
}

export class WorkspacePeople {
  private readonly ws: SlackWorkspace;
  private readonly delivery: SlackDelivery;
  private readonly clock: () => number;
  /** field errors a modal shows after a `response_action: errors` answer, by view id */
  private readonly viewErrors = new Map<string, Record<string, string>>();
  private readonly forward: (change: { events: SlackEvent[] }) => void;

  constructor(opts: WorkspacePeopleOptions) {
    this.ws = opts.workspace;
    this.delivery = opts.delivery;
    this.clock = opts.clock;
    this.forward = (change) => {
      for (const event of change.events) {
        if (!opts.subscribed(event)) continue;
        this.delivery.event(eventEnvelope(this.ws, event, newEventId(), this.clock()));
      }
    };
    this.ws.on('change', this.forward);
  }

  /** Stops sending the workspace's events to the app. */
  detach(): void {
    this.ws.off('change', this.forward);
  }

  /** Resolves when every event so far reached the app. */
  idle(): Promise<void> {
    return this.delivery.idle();
  }

  /** The field errors a modal shows, if its last submission was refused. */
  errorsOf(viewId: string): Record<string, string> | undefined {
    return this.viewErrors.get(viewId);
  }

  /** What a person types in a composer: a slash command when it starts with "/", else a message. */
  async type(user: string, channel: string, text: string, threadTs?: string): Promise<Outcome> {
    const trimmed = text.trim();
    if (trimmed === '') return failed('no_text');
    if (trimmed.startsWith('/')) return this.command(user, channel, trimmed);
    return this.say(user, channel, text, threadTs);
  }

  /** Posts a message as `user`; mentions typed as @name become Slack's `<@U…>`. */
  say(user: string, channel: string, text: string, threadTs?: string): Outcome {
    return attempt(() =>
      this.ws.userPostMessage({ user, channel, text: slackifyText(this.ws, text, false), threadTs }),
    );
  }

  /** Runs a slash command (`/incident …`) typed by `user` in `channel`, showing the app's answer as Slack does. */
  async command(user: string, channel: string, typed: string): Promise<Outcome> {
    const [command = ''] = typed.trim().split(/\s+/);
    const found = this.ws.channel(channel);
    if (!found || !this.ws.user(user)) return failed('channel_not_found');
    if (command !== '/incident') {
      this.slackbotSays(
        channel,
        user,
        `\`${command}\` is not a valid command. In this sandbox, only \`/incident\` is installed.`,
      );
      return failed('invalid_command');
    }
    // Slack escapes the text of a command installed with should_escape: mentions arrive as <@U…|name>
    const text = slackifyText(this.ws, typed.trim().slice(command.length).trim(), true);
    const responseUrl = this.ws.responseUrl({ channel: found.id, user });
    const form = slashCommandForm(this.ws, {
      user,
      channel: found.id,
      command,
      text,
      responseUrl,
      triggerId: this.ws.mintTriggerId(user),
    });
    const answer = await this.send(() => this.delivery.command(form));
    if (!answer) return this.dispatchFailed(found.id, user, command, 'dispatch_failed');
    if (answer.status !== 200) return this.dispatchFailed(found.id, user, command, `http_${answer.status}`);
    const reply = answer.json ?? (answer.text.trim() ? { text: answer.text } : null);
    // the answer to the command request is shown like a post to its response_url
    if (reply) this.ws.receiveResponse(responseUrl.slice(responseUrl.lastIndexOf('/') + 1), reply);
    return ok;
  }

  /** Opens the app's Home tab (or its Messages tab) as `user`: Slack tells the app with `app_home_opened`. */
  openAppHome(user: string, tab: 'home' | 'messages' = 'home'): Outcome {
    return attempt(() => this.ws.userOpenAppHome(user, tab));
  }

  /** Adds (`on`) or removes a reaction of `user`. */
  react(user: string, channel: string, ts: string, reaction: string, on: boolean): Outcome {
    return attempt(() =>
      on
        ? this.ws.userAddReaction({ user, channel, ts, reaction })
        : this.ws.userRemoveReaction({ user, channel, ts, reaction }),
    );
  }

  /** Joins a public channel. */
  join(user: string, channel: string): Outcome {
    return attempt(() => this.ws.userJoinChannel({ user, channel }));
  }

  /**
   * Presses a button (or changes a select) in a message, an ephemeral message or an open modal. `entered` is
   * the selection for selects; `values` what the person entered elsewhere in that modal or message.
   */
  async press(
    user: string,
    target: PressTarget,
    element: { blockId: string; actionId: string },
    entered: Entered = null,
    values: EnteredValues = {},
  ): Promise<Outcome> {
    const source = this.sourceOf(user, target, values);
    if (!source) return failed('not_found');
    const blocks =
      source.kind === 'view'
        ? source.view.view['blocks']
        : source.kind === 'message'
          ? source.message.blocks
          : source.ephemeral.blocks;
    const found = findElement(blocks, element.blockId, element.actionId);
    if (!found) return failed('element_not_found');
    // a press on a message can be answered through a response_url; one in a modal cannot
    const inMessage = 'channel' in target ? target : null;
    const payload = blockActionsPayload(this.ws, {
      user,
      source,
      action: actionOf(found, entered, tsOf(this.clock())),
      triggerId: this.ws.mintTriggerId(user, 'viewId' in target ? target.viewId : null),
      responseUrl: inMessage
        ? this.ws.responseUrl({ channel: inMessage.channel, user, messageTs: inMessage.ts })
        : null,
    });
    const answer = await this.send(() => this.delivery.interact(payload));
    if (!answer) return failed('dispatch_failed');
    return answer.status === 200 ? ok : failed(`http_${answer.status}`);
  }

  /** Submits an open modal with what was entered; refused fields come back as `errors`, as Slack shows them. */
  async submit(user: string, viewId: string, values: EnteredValues): Promise<Outcome> {
    const view = this.openView(user, viewId);
    if (!view) return failed('not_found');
    // Slack's client checks required fields and lengths itself, before anything is sent
    const problems = inputProblems(view.view['blocks'], values);
    if (Object.keys(problems).length > 0) return this.refuse(viewId, problems);
    const payload = viewSubmissionPayload(this.ws, {
      user,
      view,
      state: stateValues(view.view['blocks'], values),
      triggerId: this.ws.mintTriggerId(user, viewId),
    });
    const answer = await this.send(() => this.delivery.interact(payload));
    if (answer?.status !== 200) return failed(answer ? `http_${answer.status}` : 'dispatch_failed');
    this.viewErrors.delete(viewId);
    return this.applySubmissionAnswer(user, view, answer.json);
  }

  /** Closes a modal (Cancel or ×); the app hears of it only when the view asked for `notify_on_close`. */
  async close(user: string, viewId: string, values: EnteredValues = {}): Promise<Outcome> {
    const view = this.openView(user, viewId);
    if (!view) return failed('not_found');
    this.ws.closeView(viewId);
    this.viewErrors.delete(viewId);
    if (view.view['notify_on_close'] === true) {
      const payload = viewClosedPayload(this.ws, {
        user,
        view,
        state: stateValues(view.view['blocks'], values),
      });
      await this.send(() => this.delivery.interact(payload));
    }
    return ok;
  }

  private applySubmissionAnswer(
    user: string,
    view: ViewRecord,
    body: Record<string, unknown> | null,
  ): Outcome {
    const action = body?.['response_action'];
    if (action === 'errors') {
      const errors = body?.['errors'];
      const fieldErrors =
        errors && typeof errors === 'object'
          ? Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, String(v)]))
          : {};
      return this.refuse(view.id, fieldErrors);
    }
    const next = body?.['view'];
    const nextView = next && typeof next === 'object' ? (next as Record<string, unknown>) : null;
    return attempt(() => {
      if (action === 'update' && nextView) this.ws.updateView({ viewId: view.id }, nextView);
      else if (action === 'push' && nextView)
        this.ws.pushView(this.ws.mintTriggerId(user, view.id), nextView);
      else if (action === 'clear') this.ws.closeView(view.rootViewId);
      else this.ws.closeView(view.id);
    });
  }

  private refuse(viewId: string, errors: Record<string, string>): Outcome {
    this.viewErrors.set(viewId, errors);
    return { ok: false, error: 'invalid_input', errors };
  }

  private openView(user: string, viewId: string): ViewRecord | undefined {
    const view = this.ws.view(viewId);
    return view && !view.closed && view.user === user ? view : undefined;
  }

  private sourceOf(user: string, target: PressTarget, values: EnteredValues): PressSource | null {
    if ('viewId' in target) {
      const view = this.openView(user, target.viewId);
      return view ? { kind: 'view', view, state: stateValues(view.view['blocks'], values) } : null;
    }
    const message = this.ws.message(target.channel, target.ts);
    if (message)
      return {
        kind: 'message',
        channel: target.channel,
        message,
        state: stateValues(message.blocks, values),
      };
    const ephemeral = this.ws.ephemerals({ channel: target.channel, user }).find((e) => e.ts === target.ts);
    return ephemeral
      ? {
          kind: 'ephemeral',
          channel: target.channel,
          ephemeral,
          state: stateValues(ephemeral.blocks, values),
        }
      : null;
  }

  /** Sends to the app; null when it could not be reached. */
  private async send(fn: () => Promise<DeliveryAnswer>): Promise<DeliveryAnswer | null> {
    try {
      return await fn();
    } catch {
      return null;
    }
  }

  private dispatchFailed(channel: string, user: string, command: string, code: string): Outcome {
    this.slackbotSays(channel, user, `${command} failed with the error "${code}"`);
    return failed(code);
  }

  /** An ephemeral note from Slack itself (not from the app), as Slackbot shows them. */
  private slackbotSays(channel: string, user: string, text: string): void {
    attempt(() => this.ws.postEphemeral(channel, user, { text }, 'response_url'));
  }
}
