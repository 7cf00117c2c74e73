/**
 * Giving a role to someone (`role <ic|comms|scribe|tech> @person`, the headline's Assign role button). The
 * person is checked with Slack first (a bot, an unknown or a deactivated account is refused); the handover
 * is stored; telling it (`role_assigned`) invites the person, sends the role's checklist privately and tells
 * the previous holder.
 */
import { DomainError } from '../../domain/errors.js';
import { incidentRef, type Incident } from '../../domain/incident.js';
import { roleAction } from '../../domain/incident-policy.js';
import type { Notice } from '../../domain/notices.js';
import { type Handover, handover, type Role } from '../../domain/roles.js';
import type { Ports } from '../ports.js';
import { checkResponder } from './responders.js';
import { loadIncident, recordEntry } from './lifecycle-change.js';

export interface RoleChange extends Handover {
  incident: Incident;
  by: string;
  notices: Notice[];
}

/**
 * Checks the person, then stores the new holder and the timeline entry; throws DomainError when refused (resolved
 * incident, bot, unknown person, or INCIDENT_POLICY keeping the commander and held roles for the responders).
 */
export async function assignRole(
  ports: Pick<Ports, 'store' | 'clock' | 'log' | 'users' | 'config'>,
  input: { number: number; role: Role; userId: string; by: string },
): Promise<RoleChange> {
  const profile = await ports.users.get(input.userId);
  const candidate = profile ? { id: profile.id, isBot: profile.isBot, deleted: profile.deleted } : null;
  const now = ports.clock.now();
  return ports.store.tx(async () => {
    const incident = await loadIncident(ports, input.number);
    // the command listener refuses `role` on a resolved incident; a modal opened before resolving is refused here
    if (incident.status === 'resolved') {
      throw new DomainError(
        'incident.resolved',
        `${incidentRef(input.number)} is resolved; \`/incident reopen\` it before assigning roles.`,
      );
    }
    const holders = await ports.store.incidents.holders(input.number);
    await checkResponder(ports, incident, roleAction(input.role, holders), input.by, holders);
    const result = handover({
      incidentNumber: input.number,
      holders,
      role: input.role,
      userId: input.userId,
      candidate,
      by: input.by,
      now,
    });
    await ports.store.incidents.assignRole(input.number, input.role, input.userId, input.by, now);
    await recordEntry(ports, result.entry, now);
    ports.log.info(
      { incident: input.number, role: input.role, previous: result.previous !== null },
      'role assigned',
    );
    const notice: Notice = {
      kind: 'role_assigned',
      incident,
      role: result.role,
      userId: result.userId,
      previous: result.previous,
      by: input.by,
    };
    return { ...result, incident, by: input.by, notices: [notice] };
  });
}
