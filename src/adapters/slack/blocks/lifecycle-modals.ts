/**
 * The modals the headline's buttons open: change status, assign a role, post an update, resolve. Pure: data
 * in, view out. Every input block's element has the action id `value`; private_metadata carries the
 * incident number, which the submission reloads (the incident may have changed meanwhile).
 */
import { incidentRef, type Incident, TRANSITIONS } from '../../../domain/incident.js';
import { ROLE_TITLES, ROLES, type RoleHolders } from '../../../domain/roles.js';
import { slackPlain } from '../mrkdwn.js';
import { fitPlain, SLACK_LIMITS } from '../text-fit.js';

export const STATUS_CALLBACK = 'incident.status';
export const ROLE_CALLBACK = 'incident.role';
export const UPDATE_CALLBACK = 'incident.update';
export const RESOLVE_CALLBACK = 'incident.resolve';

/** Longest update or resolution summary accepted, as for `/incident update`. */
export const MAX_UPDATE = 3000;

const plain = (text: string) => ({ type: 'plain_text', text });
const option = (text: string, value: string) => ({
  text: plain(fitPlain(text, SLACK_LIMITS.optionText)),
  value,
});

function modal(
  callbackId: string,
  title: string,
  submit: string,
  incident: Incident,
  blocks: unknown[],
): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(fitPlain(title, SLACK_LIMITS.modalTitle)),
    submit: plain(submit),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ incident: incident.number }),
    blocks: [
      {
        type: 'context',
        elements: [
          // plain_text is shown as written: the title's Slack markup is read, never shown escaped
          {
            type: 'plain_text',
            text: fitPlain(`${incidentRef(incident.number)}: ${slackPlain(incident.title)}`, 150),
          },
        ],
      },
      ...blocks,
    ],
  };
}

/** Choose the next status among those the transition table allows from the current one. */
export function statusModal(incident: Incident): Record<string, unknown> {
  const next = TRANSITIONS[incident.status];
  return modal(STATUS_CALLBACK, 'Change status', 'Change', incident, [
    {
      type: 'input',
      block_id: 'status',
      label: plain(`Status (now ${incident.status})`),
      element: { type: 'static_select', action_id: 'value', options: next.map((s) => option(s, s)) },
    },
  ]);
}

/** Choose a role and a person; the current holders are shown in the role options. */
export function roleModal(incident: Incident, holders: RoleHolders): Record<string, unknown> {
  return modal(ROLE_CALLBACK, 'Assign a role', 'Assign', incident, [
    {
      type: 'input',
      block_id: 'role',
      label: plain('Role'),
      element: {
        type: 'static_select',
        action_id: 'value',
        options: ROLES.map((r) => option(`${ROLE_TITLES[r]}${holders[r] ? '' : ' (unassigned)'}`, r)),
      },
    },
    {
      type: 'input',
      block_id: 'user',
      label: plain('Person'),
      element: { type: 'users_select', action_id: 'value' },
    },
  ]);
}

/** Write an update for the channel and the announcement thread. */
export function updateModal(incident: Incident): Record<string, unknown> {
  return modal(UPDATE_CALLBACK, 'Post an update', 'Post', incident, [
    {
      type: 'input',
      block_id: 'text',
      label: plain('What is the impact, what is being done, when is the next update?'),
      element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: MAX_UPDATE },
    },
  ]);
}

/** Resolve, with an optional summary. */
export function resolveModal(incident: Incident): Record<string, unknown> {
  return modal(RESOLVE_CALLBACK, `Resolve ${incidentRef(incident.number)}`, 'Resolve', incident, [
    {
      type: 'input',
      block_id: 'summary',
      optional: true,
      label: plain('Summary: cause and fix'),
      element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: MAX_UPDATE },
    },
  ]);
}
