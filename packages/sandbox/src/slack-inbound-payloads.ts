/**
 * The bodies Slack sends to an app for what people do, in Slack's field names and shapes (see
 * /work/shared/specs/slack-samples: slash_command.*, block_actions.*, view_submission.*, and the Events API
 * wrapper schema): a slash command form, an Events API envelope, block_actions and view_submission payloads.
 */
import { randomBytes } from 'node:crypto';
import { formatTs } from './slack-ts.js';
import type { SlackWorkspace } from './slack-workspace.js';
import type { EphemeralRecord, MessageRecord, SlackEvent, ViewRecord } from './slack-workspace-types.js';
import { wireMessage, wireView } from './slack-wire-objects.js';

type Json = Record<string, unknown>;

/** The legacy verification token Slack still puts in payloads; Muster checks signatures instead. */
const VERIFICATION_TOKEN = 'sandbox-verification-token';

const team = (ws: SlackWorkspace) => ({ id: ws.teamId, domain: ws.team().domain });

function userRef(ws: SlackWorkspace, userId: string): Json {
  const name = ws.user(userId)?.name ?? userId.toLowerCase();
  return { id: userId, username: name, name, team_id: ws.teamId };
}

/** A Slack event id: `Ev` and ten upper-case letters or digits. */
export const newEventId = (): string => `Ev${randomBytes(8).toString('hex').toUpperCase().slice(0, 10)}`;

/** An action_ts / event ts for now. */
export const tsOf = (ms: number): string => formatTs(Math.floor(ms) * 1000);

/** The form of a slash command typed by `user` in `channel`. */
export function slashCommandForm(
  ws: SlackWorkspace,
  a: { user: string; channel: string; command: string; text: string; responseUrl: string; triggerId: string },
): URLSearchParams {
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: ws.teamId,
    team_domain: ws.team().domain,
    channel_id: a.channel,
    channel_name: ws.channel(a.channel)?.name ?? 'unknown',
    user_id: a.user,
    user_name: ws.user(a.user)?.name ?? a.user,
    command: a.command,
    text: a.text,
    api_app_id: ws.appId,
    is_enterprise_install: 'false',
    response_url: a.responseUrl,
    trigger_id: a.triggerId,
  });
}

/** The Events API envelope (`event_callback`) around one event. */
export function eventEnvelope(
  ws: SlackWorkspace,
  event: SlackEvent,
  eventId: string,
  nowMs: number,
): Json & { event_id: string } {
  return {
    token: VERIFICATION_TOKEN,
    team_id: ws.teamId,
    context_team_id: ws.teamId,
    api_app_id: ws.appId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(nowMs / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: ws.teamId,
        user_id: ws.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-sandbox-${eventId}`,
  };
}

/** Where a press happened: a message (or an ephemeral one) in a channel, or a modal. */
export type PressSource =
  | { kind: 'message'; channel: string; message: MessageRecord; state: Json }
  | { kind: 'ephemeral'; channel: string; ephemeral: EphemeralRecord; state: Json }
  | { kind: 'view'; view: ViewRecord; state: Json };

/** A block_actions payload for one action (see slack-view-state.ts `actionOf`). */
export function blockActionsPayload(
  ws: SlackWorkspace,
  a: { user: string; source: PressSource; action: Json; triggerId: string; responseUrl: string | null },
): Json {
  const common = {
    type: 'block_actions',
    user: userRef(ws, a.user),
    api_app_id: ws.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: a.triggerId,
    team: team(ws),
    enterprise: null,
    is_enterprise_install: false,
  };
  const s = a.source;
  if (s.kind === 'view') {
    return {
      ...common,
      container: { type: 'view', view_id: s.view.id },
      view: { ...wireView(ws, s.view, ws.botId), state: { values: s.state } },
      actions: [a.action],
    };
  }
  const channel = { id: s.channel, name: ws.channel(s.channel)?.name ?? 'unknown' };
  const ts = s.kind === 'message' ? s.message.ts : s.ephemeral.ts;
  // Slack sends no message for an ephemeral one, only its ts in the container
  const message = s.kind === 'message' ? { message: wireMessage(ws, s.channel, s.message) } : {};
  return {
    ...common,
    container: {
      type: 'message',
      message_ts: ts,
      channel_id: s.channel,
      is_ephemeral: s.kind === 'ephemeral',
    },
    channel,
    ...message,
    state: { values: s.state },
    ...(a.responseUrl ? { response_url: a.responseUrl } : {}),
    actions: [a.action],
  };
}

/** A view_submission payload for `view` with the state entered. */
export function viewSubmissionPayload(
  ws: SlackWorkspace,
  a: { user: string; view: ViewRecord; state: Json; triggerId: string },
): Json {
  return {
    type: 'view_submission',
    team: team(ws),
    user: userRef(ws, a.user),
    api_app_id: ws.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: a.triggerId,
    view: { ...wireView(ws, a.view, ws.botId), state: { values: a.state } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A view_closed payload (sent only when the view asked for `notify_on_close`). */
export function viewClosedPayload(
  ws: SlackWorkspace,
  a: { user: string; view: ViewRecord; state: Json },
): Json {
  return {
    type: 'view_closed',
    team: team(ws),
    user: userRef(ws, a.user),
    api_app_id: ws.appId,
    token: VERIFICATION_TOKEN,
    view: { ...wireView(ws, a.view, ws.botId), state: { values: a.state } },
    is_cleared: false,
    is_enterprise_install: false,
    enterprise: null,
  };
}
