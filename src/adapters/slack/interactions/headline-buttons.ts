/**
 * The headline's buttons (action ids `headline.status`, `headline.role`, `headline.update`,
 * `headline.times`, `headline.resolve`): acknowledged at once, then the matching modal is opened with the press's trigger id.
 * A press on an old headline of a resolved (or unknown) incident gets an ephemeral explanation instead, and
 * so does a press that INCIDENT_POLICY keeps for the incident's responders (the submission is checked again).
 */
import type { App } from '@slack/bolt';
import type { Ports } from '../../../app/ports.js';
import { checkResponder } from '../../../app/incident/responders.js';
import { isDomainError } from '../../../domain/errors.js';
import type { RestrictedAction } from '../../../domain/incident-policy.js';
import { incidentRef, type Incident } from '../../../domain/incident.js';
import { ChatError, type ChatMessage } from '../../../domain/ports.js';
import {
  impactTimesModal,
  resolveModal,
  roleModal,
  statusModal,
  updateModal,
} from '../blocks/lifecycle-modals.js';
import { zoneRules } from '../../render/time-format.js';

/** The parts of a `block_actions` payload the buttons read. */
interface ButtonPress {
  user?: { id?: string };
  trigger_id?: string;
  response_url?: string;
  channel?: { id?: string };
  container?: { channel_id?: string };
  actions?: { action_id?: string; value?: string }[];
}

const MODALS: Record<
  string,
  {
    what: string;
    view: (deps: Ports, incident: Incident) => Record<string, unknown> | Promise<Record<string, unknown>>;
    /** the form also opens on a resolved incident */
    whenResolved?: boolean;
    /** what the form does, when INCIDENT_POLICY may keep it for the responders (the role form: on submission) */
    action?: RestrictedAction;
  }
> = {
  'headline.status': { what: 'change the status', view: (_d, i) => statusModal(i), action: 'status' },
  'headline.role': {
    what: 'assign a role',
    view: async (d, i) => roleModal(i, await d.store.incidents.holders(i.number)),
  },
  'headline.update': { what: 'post an update', view: (_d, i) => updateModal(i) },
  'headline.resolve': { what: 'resolve it', view: (_d, i) => resolveModal(i), action: 'resolve' },
  'headline.times': {
    what: 'set the impact times',
    view: (d, i) => impactTimesModal(i, zoneRules(d.config.INCIDENT_TIMEZONE)),
    whenResolved: true,
  },
};

/** Answers the person who pressed: through the press's response_url, else an ephemeral message. */
async function tellPresser(deps: Ports, press: ButtonPress, message: ChatMessage): Promise<void> {
  const channelId = press.channel?.id ?? press.container?.channel_id;
  const userId = press.user?.id;
  try {
    if (press.response_url) await deps.chat.respond(press.response_url, { ...message, ephemeral: true });
    else if (channelId && userId) await deps.chat.postEphemeral(channelId, userId, message);
  } catch (e) {
    deps.log.warn({ err: e }, 'could not answer a button press');
  }
}

/** Opens the modal for one press, or explains why it cannot. */
async function openFor(deps: Ports, actionId: string, press: ButtonPress): Promise<void> {
  const entry = MODALS[actionId];
  const action = press.actions?.find((a) => a.action_id === actionId);
  const number = Number(action?.value);
  const incident = Number.isInteger(number) ? await deps.store.incidents.get(number) : null;
  if (!entry) return;
  if (!incident) {
    await tellPresser(deps, press, {
      text: ':warning: This button belongs to an incident Muster does not know any more.',
    });
    return;
  }
  if (incident.status === 'resolved' && !entry.whenResolved) {
    await tellPresser(deps, press, {
      text: `:warning: ${incidentRef(incident.number)} is already resolved, so you cannot ${entry.what} from this button. \`/incident reopen [reason]\` in its channel reopens it.`,
    });
    return;
  }
  if (entry.action) {
    try {
      await checkResponder(deps, incident, entry.action, press.user?.id ?? '');
    } catch (e) {
      if (!isDomainError(e)) throw e;
      await tellPresser(deps, press, { text: `:warning: ${e.message}` });
      return;
    }
  }
  if (!press.trigger_id) return;
  try {
    await deps.chat.openView(press.trigger_id, await entry.view(deps, incident));
  } catch (e) {
    const code = e instanceof ChatError ? e.code : 'error';
    deps.log.warn({ incident: incident.number, action: actionId, error: code }, 'could not open a modal');
    await tellPresser(deps, press, {
      text: `:warning: Slack did not open the form (${code}). Press the button again, or use \`/incident help\` for the command.`,
    });
  }
}

/** Registers the headline's buttons. */
export function registerHeadlineButtons(app: App, deps: Ports): void {
  for (const actionId of Object.keys(MODALS)) {
    app.action(actionId, async ({ ack, body }) => {
      await ack();
      // views.open must follow within Slack's 3 s trigger lifetime: start it now, tracked for shutdown and tests
      deps.afterAck.run(`open ${actionId}`, () => openFor(deps, actionId, body as unknown as ButtonPress));
    });
  }
}
