/**
 * The modals the headline's buttons open: change status, assign a role, post an update, resolve. Pure: data
 * in, view out. Every input block's element has the action id `value`; private_metadata carries the
 * incident number, which the submission reloads (the incident may have changed meanwhile).
 */
import { wallTime, type ZoneRules } from '../../../domain/impact.js';
import { incidentRef, type Incident, TRANSITIONS } from '../../../domain/incident.js';
import { ROLE_TITLES, ROLES, type RoleHolders } from '../../../domain/roles.js';
import { slackPlain } from '../mrkdwn.js';
import { fitPlain, SLACK_LIMITS } from '../text-fit.js';

export const STATUS_CALLBACK = 'incident.status';
export const ROLE_CALLBACK = 'incident.role';
export const UPDATE_CALLBACK = 'incident.update';
export const RESOLVE_CALLBACK = 'incident.resolve';
export const IMPACT_TIMES_CALLBACK = 'incident.times';

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

/** The `<when>` field of a form: `HH:MM`, `YYYY-MM-DD HH:MM` or `-25m`, in the incident's time zone. */
export function whenInput(opts: {
  block: string;
  label: string;
  zone: string;
  hint: string;
  initial?: string;
}): Record<string, unknown> {
  return {
    type: 'input',
    block_id: opts.block,
    optional: true,
    label: plain(opts.label),
    hint: plain(
      fitPlain(
        `${opts.hint} HH:MM or YYYY-MM-DD HH:MM (${opts.zone}), or -25m, -2h.`,
        SLACK_LIMITS.inputHint,
      ),
    ),
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      max_length: 40,
      placeholder: plain('15:10, 2026-11-23 15:10 or -25m'),
      ...(opts.initial ? { initial_value: opts.initial } : {}),
    },
  };
}

/** When customer impact began and when it was detected; each field shows the time recorded, empty when none. */
export function impactTimesModal(incident: Incident, zone: ZoneRules): Record<string, unknown> {
  const shown = (ms: number | null): string | undefined => (ms === null ? undefined : wallTime(ms, zone));
  return modal(IMPACT_TIMES_CALLBACK, 'Impact times', 'Save', incident, [
    whenInput({
      block: 'impact',
      label: 'Impact started',
      zone: zone.name,
      hint: 'When customers started to feel it. Empty: not recorded.',
      initial: shown(incident.impactStartedAt),
    }),
    whenInput({
      block: 'detected',
      label: 'Detected',
      zone: zone.name,
      hint: 'When someone or something noticed. Empty: the declaration, or the first page when earlier.',
      initial: shown(incident.detectedAt),
    }),
  ]);
}
