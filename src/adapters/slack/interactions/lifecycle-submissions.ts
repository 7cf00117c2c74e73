/**
 * Submissions of the headline's modals. Each is checked field by field (missing, over-long, not allowed):
 * problems go back with `response_action: 'errors'` and the modal stays open; a valid one is stored before
 * the ack closes the modal, and Slack is told afterwards, as for the slash commands. A change the incident
 * no longer allows (resolved meanwhile, or kept by INCIDENT_POLICY for responders the person is no longer
 * among) is shown as an error on the modal's field.
 */
import type { App } from '@slack/bolt';
import { assignRole } from '../../../app/incident/assign-role.js';
import { changeStatus } from '../../../app/incident/change-status.js';
import type { Ports } from '../../../app/ports.js';
import { postUpdate } from '../../../app/incident/post-update.js';
import { recordImpactTimes } from '../../../app/incident/impact-times.js';
import { resolveIncident } from '../../../app/incident/resolve-incident.js';
import { isDomainError } from '../../../domain/errors.js';
import { answerWithin } from '../../../runtime/answer-within.js';
import type { Notice } from '../../../domain/notices.js';
import type { WhenSpec, ZoneRules } from '../../../domain/impact.js';
import { type Incident, STATUSES } from '../../../domain/incident.js';
import { ROLES } from '../../../domain/roles.js';
import {
  IMPACT_TIMES_CALLBACK,
  MAX_UPDATE,
  RESOLVE_CALLBACK,
  ROLE_CALLBACK,
  STATUS_CALLBACK,
  UPDATE_CALLBACK,
} from '../blocks/lifecycle-modals.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import { zoneRules } from '../../render/time-format.js';
import {
  errorsResponse,
  type FieldErrors,
  metadataOf,
  selectField,
  type SubmittedView,
  textField,
  userField,
  whenField,
} from './view-state.js';

interface Submission {
  user?: { id?: string };
  view?: SubmittedView;
}

type Ack = (response?: Record<string, unknown>) => Promise<void>;

/** Does the storing part of a submission; returns the notices to tell, or field errors. */
type Handle = (
  deps: Ports,
  s: { number: number; userId: string; view: SubmittedView },
) => Promise<{ errors: FieldErrors } | { notices: Notice[] }>;

/** Modal text is plain text: escaped so it reads the same in Slack's mrkdwn as it was typed. */
const asSlackText = (s: string | null): string | null => (s === null ? null : escapeMrkdwn(s));

const MENTION = /<@([A-Z0-9]+)(?:\|[^>]*)?>/g;

/** Field errors are plain text: mentions and code marks would show as written. */
const asPlainText = (s: string): string => s.replace(MENTION, 'That person').replace(/`/g, '');

/**
 * How long a refusal may wait for the names of the people it lists (known ones come from the database at once;
 * a profile not refreshed for a day asks Slack). Past it, Slack's 3 s limit on the answer is near: they are
 * left unnamed.
 */
const NAMES_WAIT_MS = 1000;

/** A refusal naming who can act: plain text too, with each mention as the person's name. */
async function withNames(deps: Ports, s: string): Promise<string> {
  const names = await answerWithin(
    deps.users.names([...s.matchAll(MENTION)].map((m) => m[1]!)),
    NAMES_WAIT_MS,
    null,
  );
  if (!names) return asPlainText(s);
  return s.replace(MENTION, (_m, id: string) => names[id] ?? id).replace(/`/g, '');
}

/** The impact times form: each field changed is recorded; the domain checks their order. */
function readImpactTimes(
  view: SubmittedView,
  incident: Incident,
  ctx: { now: number; zone: ZoneRules },
): { errors: FieldErrors } | { impact?: WhenSpec | null; detected?: WhenSpec | null } {
  const errors: FieldErrors = {};
  const impact = whenField(view, 'impact', incident.impactStartedAt, ctx, errors);
  const detected = whenField(view, 'detected', incident.detectedAt, ctx, errors);
  if (Object.keys(errors).length) return { errors };
  return { ...(impact !== undefined ? { impact } : {}), ...(detected !== undefined ? { detected } : {}) };
}

const HANDLERS: Record<string, { block: string; handle: Handle }> = {
  [STATUS_CALLBACK]: {
    block: 'status',
    handle: async (deps, { number, userId, view }) => {
      const errors: FieldErrors = {};
      const status = selectField(view, 'status', STATUSES, 'status', errors);
      if (!status) return { errors };
      return changeStatus(deps, { number, status, by: userId });
    },
  },
  [ROLE_CALLBACK]: {
    block: 'user',
    handle: async (deps, { number, userId, view }) => {
      const errors: FieldErrors = {};
      const role = selectField(view, 'role', ROLES, 'role', errors);
      const person = userField(view, 'user', 'person', errors);
      if (!role || !person) return { errors };
      return assignRole(deps, { number, role, userId: person, by: userId });
    },
  },
  [UPDATE_CALLBACK]: {
    block: 'text',
    handle: async (deps, { number, userId, view }) => {
      const errors: FieldErrors = {};
      const text = textField(view, 'text', { label: 'update', max: MAX_UPDATE, required: true }, errors);
      if (!text) return { errors };
      return postUpdate(deps, { number, text: asSlackText(text)!, by: userId });
    },
  },
  [IMPACT_TIMES_CALLBACK]: {
    block: 'impact',
    handle: async (deps, { number, userId, view }) => {
      const incident = await deps.store.incidents.get(number);
      if (!incident) return { errors: { impact: 'This incident does not exist any more.' } };
      const zone = zoneRules(deps.config.INCIDENT_TIMEZONE);
      const read = readImpactTimes(view, incident, { now: deps.clock.now(), zone });
      if ('errors' in read) return read;
      return recordImpactTimes(deps, { number, ...read, by: userId, zone });
    },
  },
  [RESOLVE_CALLBACK]: {
    block: 'summary',
    handle: async (deps, { number, userId, view }) => {
      const errors: FieldErrors = {};
      const summary = textField(
        view,
        'summary',
        { label: 'summary', max: MAX_UPDATE, required: false },
        errors,
      );
      if (Object.keys(errors).length) return { errors };
      return resolveIncident(deps, { number, summary: asSlackText(summary), by: userId });
    },
  },
};

async function submit(deps: Ports, callbackId: string, body: Submission, ack: Ack): Promise<void> {
  const entry = HANDLERS[callbackId]!;
  const view = body.view ?? {};
  const number = Number(metadataOf(view).incident);
  const userId = body.user?.id;
  if (!Number.isInteger(number) || !userId) {
    await ack(
      errorsResponse({
        [entry.block]: 'This form lost track of its incident; close it and use the headline again.',
      }),
    );
    return;
  }
  let result: { errors: FieldErrors } | { notices: Notice[] };
  try {
    result = await entry.handle(deps, { number, userId, view });
  } catch (e) {
    if (!isDomainError(e)) {
      deps.log.error({ err: e, callbackId }, 'modal submission failed');
      await ack(
        errorsResponse({
          [entry.block]: "Something went wrong on Muster's side; the team can find it in the logs.",
        }),
      );
      return;
    }
    // a refused change (resolved meanwhile, a bot as holder...) is shown on the modal's field, as plain text
    const field = e.details.field;
    const block = e.code.startsWith('role.')
      ? 'user'
      : e.code.startsWith('impact.') && (field === 'impact' || field === 'detected')
        ? field
        : entry.block;
    const text =
      e.code === 'policy.not_responder' ? await withNames(deps, e.message) : asPlainText(e.message);
    await ack(errorsResponse({ [block]: text }));
    return;
  }
  if ('errors' in result) {
    await ack(errorsResponse(result.errors));
    return;
  }
  await ack();
  const { notices } = result;
  deps.afterAck.run(`tell ${callbackId}`, () => deps.notifier.notify(notices));
}

/** Registers the submissions of the status, role, update, impact times and resolve modals. */
export function registerLifecycleSubmissions(app: App, deps: Ports): void {
  for (const callbackId of Object.keys(HANDLERS)) {
    app.view(callbackId, async ({ ack, body }) => {
      await submit(deps, callbackId, body as unknown as Submission, ack as unknown as Ack);
    });
  }
}
