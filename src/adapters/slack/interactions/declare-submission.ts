/**
 * Submission of the declare modal (callback id `declare`): title (required, at most 200 characters),
 * severity (1-4), private (a checkbox), description (at most 2000) and when impact started (optional, a `<when>` not in the future). Problems go back as field errors; a valid form declares
 * the incident before the ack closes the modal, and the channel is provisioned afterwards as for
 * `/incident declare`.
 */
import type { App } from '@slack/bolt';
import { declareIncident } from '../../../app/incident/declare-incident.js';
import { provisionIncident } from '../../../app/incident/provision-incident.js';
import type { Ports } from '../../../app/ports.js';
import type { Severity } from '../../../domain/incident.js';
import { incidentOpenMessage } from '../blocks/lifecycle-messages.js';
import { DECLARE_CALLBACK } from './declare-modal.js';
import { declaredServices } from './declare-services.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import { resolveWhen } from '../../../domain/impact.js';
import { zoneRules } from '../../render/time-format.js';
import {
  errorsResponse,
  type FieldErrors,
  metadataOf,
  multiSelectField,
  selectField,
  type SubmittedView,
  textField,
  whenField,
} from './view-state.js';

export const MAX_TITLE = 200;
export const MAX_DESCRIPTION = 2000;

interface DeclareSubmission {
  user?: { id?: string; team_id?: string };
  team?: { id?: string } | null;
  view?: SubmittedView;
  response_urls?: { response_url?: string; channel_id?: string }[];
}

type Ack = (response?: Record<string, unknown>) => Promise<void>;

/** The declaration a valid form asks for. */
export interface DeclareForm {
  title: string;
  severity: Severity;
  description: string;
  private: boolean;
}

/** Checks the form; returns the declaration's input or the field errors. */
export function readDeclareForm(view: SubmittedView): { form: DeclareForm } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const title = textField(view, 'title', { label: 'title', max: MAX_TITLE, required: true }, errors);
  const severity = selectField(view, 'severity', ['1', '2', '3', '4'] as const, 'severity', errors);
  const description = textField(
    view,
    'description',
    { label: 'description', max: MAX_DESCRIPTION, required: false },
    errors,
  );
  if (Object.keys(errors).length || !title || !severity) return { errors };
  // A form gives the text as typed; a title and a description are kept as Slack text, as `/incident declare`
  // sends them (`&`, `<` and `>` escaped), so every message shows them escaped exactly once.
  return {
    form: {
      title: escapeMrkdwn(title),
      severity: Number(severity) as Severity,
      description: escapeMrkdwn(description ?? ''),
      private: multiSelectField(view, 'private').includes('private'),
    },
  };
}

async function submitDeclare(deps: Ports, body: DeclareSubmission, ack: Ack): Promise<void> {
  const view = body.view ?? {};
  const read = readDeclareForm(view);
  const userId = body.user?.id;
  if ('errors' in read) {
    await ack(errorsResponse(read.errors));
    return;
  }
  if (!userId) {
    await ack(errorsResponse({ title: 'Slack did not say who submitted this form; try again.' }));
    return;
  }
  const serviceErrors: FieldErrors = {};
  const services = declaredServices(view, deps.catalog.current, serviceErrors);
  if (Object.keys(serviceErrors).length) {
    await ack(errorsResponse(serviceErrors));
    return;
  }
  const zone = zoneRules(deps.config.INCIDENT_TIMEZONE);
  const now = deps.clock.now();
  const impactErrors: FieldErrors = {};
  const impact = whenField(view, 'impact', null, { now, zone }, impactErrors);
  if (Object.keys(impactErrors).length) {
    await ack(errorsResponse(impactErrors));
    return;
  }
  const meta = metadataOf(view);
  const fromChannelId = typeof meta.channelId === 'string' ? meta.channelId : null;
  const responseUrl = body.response_urls?.find((r) => r.response_url)?.response_url ?? null;
  const incident = await declareIncident(deps, {
    ...read.form,
    services,
    teamId: body.team?.id ?? body.user?.team_id ?? '',
    userId,
    responseUrl,
    fromChannelId,
    impact: impact ? { at: resolveWhen(impact, now, zone), zone } : null,
  });
  await ack();
  deps.afterAck.run('provision incident', async () => {
    await provisionIncident(deps, incident.number, { responseUrl });
    const channelId = (await deps.store.incidents.get(incident.number))?.channelId;
    // without a response_url, the declarer hears where the incident is where they opened the form
    if (responseUrl || !fromChannelId || !channelId) return;
    try {
      await deps.chat.postEphemeral(fromChannelId, userId, incidentOpenMessage(incident, channelId));
    } catch (e) {
      deps.log.info(
        { err: e, incident: incident.number },
        'could not tell the declarer where the incident is',
      );
    }
  });
}

/** Registers the declare modal's submission. */
export function registerDeclareSubmission(app: App, deps: Ports): void {
  app.view(DECLARE_CALLBACK, async ({ ack, body }) => {
    await submitDeclare(deps, body as unknown as DeclareSubmission, ack as unknown as Ack);
  });
}
