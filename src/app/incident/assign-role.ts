/**
 * Giving a role to someone (`role <ic|comms|scribe|tech> @person`, the headline's Assign role button). The
 * person is checked with Slack first (a bot, an unknown or a deactivated account is refused); the handover
 * is stored; then the person is invited, gets the role's checklist privately, and the previous holder is told.
 */
import {
  checklistMessage,
  handoverNotice,
  roleConfirmation,
} from '../../adapters/slack/blocks/lifecycle-messages.js';
import { DomainError } from '../../domain/errors.js';
import { incidentRef, type Incident } from '../../domain/incident.js';
import { ChatError } from '../../domain/ports.js';
import { type Handover, handover, type Role } from '../../domain/roles.js';
import type { Ports } from '../ports.js';
import { publish } from '../../adapters/slack/notices/broadcast.js';
import { loadIncident, recordEntry } from './lifecycle-change.js';
import { roleChecklist } from './role-checklist.js';

export interface RoleChange extends Handover {
  incident: Incident;
  by: string;
}

/** Checks the person, then stores the new holder and the timeline entry; throws DomainError when refused (resolved incident, bot, unknown person...). */
export async function assignRole(
  deps: Ports,
  input: { number: number; role: Role; userId: string; by: string },
): Promise<RoleChange> {
  const profile = await deps.users.get(input.userId);
  const candidate = profile ? { id: profile.id, isBot: profile.isBot, deleted: profile.deleted } : null;
  const now = deps.clock.now();
  return deps.store.tx(() => {
    const incident = loadIncident(deps, input.number);
    // the command listener refuses `role` on a resolved incident; a modal opened before resolving is refused here
    if (incident.status === 'resolved') {
      throw new DomainError(
        'incident.resolved',
        `${incidentRef(input.number)} is resolved; \`/incident reopen\` it before assigning roles.`,
      );
    }
    const result = handover({
      incidentNumber: input.number,
      holders: deps.store.incidents.holders(input.number),
      role: input.role,
      userId: input.userId,
      candidate,
      by: input.by,
      now,
    });
    deps.store.incidents.assignRole(input.number, input.role, input.userId, input.by, now);
    recordEntry(deps, result.entry, now);
    deps.log.info(
      { incident: input.number, role: input.role, previous: result.previous !== null },
      'role assigned',
    );
    return { ...result, incident, by: input.by };
  });
}

/** Confirms in the channel; invites the new holder, sends the checklist, tells the previous holder; refreshes. */
export async function publishRoleChange(deps: Ports, change: RoleChange): Promise<void> {
  const { incident, role, userId, previous } = change;
  const channelId = incident.channelId;
  const steps: [string, () => Promise<unknown>][] = [];
  if (channelId) {
    steps.push([`invite <@${userId}>`, () => deps.chat.invite(channelId, [userId])]);
    steps.push([
      `send <@${userId}> the checklist`,
      () =>
        deps.chat.postEphemeral(
          channelId,
          userId,
          checklistMessage(incident, role, roleChecklist(role, incident)),
        ),
    ]);
    if (previous) {
      steps.push([
        `tell <@${previous}>`,
        async () => {
          try {
            await deps.chat.postEphemeral(channelId, previous, handoverNotice(incident, role, userId));
          } catch (e) {
            // someone who left the channel has handed over already; the confirmation names them anyway
            if (!(e instanceof ChatError && e.code === 'user_not_in_channel')) throw e;
          }
        },
      ]);
    }
  }
  await publish(deps, incident.number, {
    channel: roleConfirmation(role, userId, previous, change.by),
    steps,
    topic: role === 'ic',
    announcement: role === 'ic',
  });
}
