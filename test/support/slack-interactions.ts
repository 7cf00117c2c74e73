/**
 * Interactivity payloads as Slack sends them (shapes from /work/shared/specs/slack-samples/examples:
 * block_actions*.json and view_submission*.json): a button press on a message, and the submission of a
 * modal that the app really opened in the fake Slack.
 */
import type { Incident } from '../../src/domain/incident.js';
import type { ViewRecord } from '../../packages/sandbox/src/emulators.js';
import type { Harness } from './muster-harness.js';

const TEAM = { id: 'T0MUSTER', domain: 'muster-sandbox' };
/** The `user` of an interactivity payload, for the sandbox person `id` (U0BOB: bob). */
export const userOf = (id: string) => ({
  id,
  username: id.slice(2).toLowerCase(),
  name: id.slice(2).toLowerCase(),
  team_id: TEAM.id,
});

/** A press of one of the headline's buttons of `incident`, by `user`; its response_url leads back to them. */
export function headlinePress(
  h: Harness,
  incident: Incident,
  actionId: string,
  user = 'U0ALICE',
): Record<string, unknown> {
  const channelId = incident.channelId!;
  const messageTs = incident.headlineTs!;
  return {
    type: 'block_actions',
    user: userOf(user),
    api_app_id: 'A0MUSTER',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
    trigger_id: h.slack.workspace.mintTriggerId(user),
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: incident.channelName },
    message: { type: 'message', user: 'U0MUSTERBOT', bot_id: 'B0MUSTER', text: '', ts: messageTs },
    state: { values: {} },
    response_url: h.slack.responseUrl({ channel: channelId, user, messageTs }),
    actions: [
      {
        action_id: actionId,
        block_id: `headline:${incident.number}`,
        text: { type: 'plain_text', text: 'Button', emoji: true },
        value: String(incident.number),
        type: 'button',
        action_ts: `${Math.floor(h.clock.now() / 1000)}.000100`,
      },
    ],
  };
}

/** What a person entered in one input block, in `view.state.values` form. */
export type Entered =
  | { text: string | null }
  | { option: string | null }
  | { options: string[] }
  | { checked: string[] }
  | { user: string | null };

const stateValue = (e: Entered): Record<string, unknown> => {
  if ('text' in e) return { type: 'plain_text_input', value: e.text };
  if ('option' in e)
    return {
      type: 'static_select',
      selected_option:
        e.option === null ? null : { text: { type: 'plain_text', text: e.option }, value: e.option },
    };
  if ('checked' in e)
    return {
      type: 'checkboxes',
      selected_options: e.checked.map((v) => ({ text: { type: 'plain_text', text: v }, value: v })),
    };
  if ('options' in e)
    return {
      type: 'multi_static_select',
      selected_options: e.options.map((v) => ({ text: { type: 'plain_text', text: v }, value: v })),
    };
  return { type: 'users_select', selected_user: e.user };
};

/** The submission of `opened` (a view the app opened) with `entered` values, by `user`. */
export function submission(
  opened: ViewRecord,
  entered: Record<string, Entered>,
  user = 'U0ALICE',
): Record<string, unknown> {
  const v = opened.view;
  const values = Object.fromEntries(
    Object.entries(entered).map(([block, e]) => [block, { value: stateValue(e) }]),
  );
  return {
    type: 'view_submission',
    team: TEAM,
    user: userOf(user),
    api_app_id: 'A0MUSTER',
    token: 'legacy-verification-token',
    trigger_id: `${Date.now()}.1.submit`,
    view: {
      id: opened.id,
      team_id: TEAM.id,
      type: 'modal',
      blocks: v.blocks,
      private_metadata: v.private_metadata ?? '',
      callback_id: v.callback_id,
      state: { values },
      hash: opened.hash,
      title: v.title,
      clear_on_close: false,
      notify_on_close: false,
      close: v.close ?? null,
      submit: v.submit ?? null,
      previous_view_id: null,
      root_view_id: opened.id,
      app_id: 'A0MUSTER',
      external_id: '',
      app_installed_team_id: TEAM.id,
      bot_id: 'B0MUSTER',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** The last view the app opened with views.open. */
export function lastView(h: Harness): ViewRecord {
  const view = h.slack.workspace.views().at(-1);
  if (!view) throw new Error('no view was opened');
  return view;
}
