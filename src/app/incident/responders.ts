/**
 * The one place the use cases and the buttons ask `INCIDENT_POLICY` whether someone may steer an incident:
 * it reads the roles held now from the store, so a handover since a form was opened counts.
 */
import { checkMayAct, type RestrictedAction } from '../../domain/incident-policy.js';
import type { Incident } from '../../domain/incident.js';
import type { RoleHolders } from '../../domain/roles.js';
import type { Ports } from '../ports.js';

/**
 * Checks that `userId` may do `action` on `incident` (null: a change anyone may make); throws
 * `policy.not_responder` naming who can. `holders`, when the caller has read them already, saves a read.
 */
export async function checkResponder(
  ports: Pick<Ports, 'store' | 'config'>,
  incident: Incident,
  action: RestrictedAction | null,
  userId: string,
  holders?: RoleHolders,
): Promise<void> {
  const policy = ports.config.INCIDENT_POLICY;
  if (policy === 'open' || action === null) return;
  checkMayAct({
    policy,
    action,
    incidentNumber: incident.number,
    responders: {
      declaredBy: incident.declaredBy,
      holders: holders ?? (await ports.store.incidents.holders(incident.number)),
    },
    userId,
  });
}
