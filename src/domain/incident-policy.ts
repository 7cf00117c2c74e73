/**
 * Who may steer an incident (`INCIDENT_POLICY`). Under `open`, everyone in the channel may do everything.
 * Under `responders`, the changes that steer the response (severity, status, resolving, reopening, paging,
 * the commander, and taking a role from its holder) are for the incident's responders: whoever holds one of
 * its roles now, and its declarer. Recording (notes, pins, updates, action items) and reading stay open to
 * everyone, and so does filling a role nobody holds: staffing a gap is how a responder joins.
 */
import { DomainError } from './errors.js';
import { incidentRef } from './incident.js';
import { ROLES, type Role, type RoleHolders } from './roles.js';

export const INCIDENT_POLICIES = ['open', 'responders'] as const;
export type IncidentPolicy = (typeof INCIDENT_POLICIES)[number];

/** The changes `responders` keeps for the responders, with the words that name them in a refusal. */
export const RESTRICTED_ACTIONS = {
  severity: 'change its severity',
  status: 'change its status',
  resolve: 'resolve it',
  reopen: 'reopen it',
  page: 'page for it',
  escalate: 'escalate its pages',
  commander: 'hand over its commander role',
  handover: 'take a role from its holder',
} as const;
export type RestrictedAction = keyof typeof RESTRICTED_ACTIONS;

/** The short role names of a refusal. */
const ROLE_WORDS: Record<Role, string> = {
  ic: 'commander',
  comms: 'comms',
  scribe: 'scribe',
  tech: 'tech lead',
};

/** The people an incident's responders are made of: its declarer and its current role holders. */
export interface Responders {
  declaredBy: string;
  holders: RoleHolders;
}

/**
 * What giving `role` is, under the policy: handing over the commander, taking a held role from its holder, or
 * (null) filling a role nobody holds, which anyone may do.
 */
export function roleAction(role: Role, holders: RoleHolders): RestrictedAction | null {
  if (role === 'ic') return 'commander';
  return holders[role] ? 'handover' : null;
}

/** True when `userId` may do `action` (null: an unrestricted one) on an incident with these responders. */
export function mayAct(
  policy: IncidentPolicy,
  action: RestrictedAction | null,
  responders: Responders,
  userId: string,
): boolean {
  if (policy === 'open' || action === null) return true;
  return responders.declaredBy === userId || ROLES.some((r) => responders.holders[r] === userId);
}

/**
 * Checks that `userId` may do `action` on incident `incidentNumber`; throws `policy.not_responder`, naming the
 * current role holders and the declarer, when they may not.
 */
export function checkMayAct(input: {
  policy: IncidentPolicy;
  action: RestrictedAction | null;
  incidentNumber: number;
  responders: Responders;
  userId: string;
}): void {
  const { policy, action, responders, userId } = input;
  if (action === null || mayAct(policy, action, responders, userId)) return;
  throw new DomainError(
    'policy.not_responder',
    `Only ${incidentRef(input.incidentNumber)}'s responders can ${RESTRICTED_ACTIONS[action]}: ${whoCan(responders)}. INCIDENT_POLICY is ${policy}.`,
    { action },
  );
}

/** "<@U1> (commander), <@U2> (comms) or <@U3> who declared it": each person once, in role order. */
function whoCan({ declaredBy, holders }: Responders): string {
  const people = new Map<string, string[]>();
  for (const r of ROLES) {
    const id = holders[r];
    if (id) people.set(id, [...(people.get(id) ?? []), ROLE_WORDS[r]]);
  }
  const parts = [...people].map(([id, roles]) =>
    id === declaredBy ? `<@${id}> (${roles.join(', ')}; declared it)` : `<@${id}> (${roles.join(', ')})`,
  );
  if (!people.has(declaredBy)) parts.push(`<@${declaredBy}> who declared it`);
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`;
}
