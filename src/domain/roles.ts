import { DomainError } from './errors.js';
import { closest } from './nearest.js';
import type { NewEntry } from './timeline.js';

export const ROLES = ['ic', 'comms', 'scribe', 'tech'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_TITLES: Record<Role, string> = {
  ic: 'Incident Commander',
  comms: 'Communications Lead',
  scribe: 'Scribe',
  tech: 'Technical Lead',
};

/** Accepts the command words and a few spelled-out forms (`commander`, `tech-lead`). */
const ALIASES: Record<string, Role> = {
  ic: 'ic',
  commander: 'ic',
  comms: 'comms',
  comm: 'comms',
  communications: 'comms',
  scribe: 'scribe',
  tech: 'tech',
  'tech-lead': 'tech',
  techlead: 'tech',
};

export function parseRole(word: string): Role {
  const role = ALIASES[word.trim().toLowerCase()];
  if (role) return role;
  const near = closest(word, ROLES);
  throw new DomainError(
    'role.unknown',
    `"${word}" is not a role.${near ? ` Did you mean \`${near}\`?` : ''} Roles: ic (commander), comms, scribe, tech.`,
    { suggestion: near },
  );
}

/** The current holder of each role; the commander is always present once declared. */
export type RoleHolders = Partial<Record<Role, string>>;

/** What Slack says about the person a role is given to; null when Slack does not know them. */
export interface Candidate {
  id: string;
  isBot: boolean;
  deleted: boolean;
}

/** A role changing hands: the entry to record and who held the role before. */
export interface Handover {
  role: Role;
  userId: string;
  previous: string | null;
  entry: NewEntry;
}

/**
 * Checks and describes giving `role` to `userId`. One holder per role: the previous holder (if any) is
 * handed over. The commander cannot be left empty: it only ever changes hands. Refuses unknown people
 * (`role.unknown_user`), bots (`role.bot`), deactivated accounts (`role.deactivated`) and giving a role to
 * its holder (`role.unchanged`).
 */
export function handover(input: {
  incidentNumber: number;
  holders: RoleHolders;
  role: Role;
  userId: string;
  candidate: Candidate | null;
  by: string;
  now: number;
}): Handover {
  const { role, userId, candidate } = input;
  const title = ROLE_TITLES[role];
  if (!candidate) {
    throw new DomainError(
      'role.unknown_user',
      `<@${userId}> is not someone I can find in this workspace, so they cannot be ${title}.`,
      { userId },
    );
  }
  if (candidate.isBot) {
    throw new DomainError('role.bot', `<@${userId}> is a bot; the ${title} must be a person.`, { userId });
  }
  if (candidate.deleted) {
    throw new DomainError(
      'role.deactivated',
      `<@${userId}>'s account is deactivated; the ${title} must be an active person.`,
      { userId },
    );
  }
  const previous = input.holders[role] ?? null;
  if (previous === userId) {
    throw new DomainError('role.unchanged', `<@${userId}> is already the ${title}.`, { userId, role });
  }
  return {
    role,
    userId,
    previous,
    entry: {
      incidentNumber: input.incidentNumber,
      kind: 'role',
      text: previous
        ? `<@${userId}> is ${title} (handed over from <@${previous}>)`
        : `<@${userId}> is ${title}`,
      actor: input.by,
      occurredAt: input.now,
      sourceKey: `role:${role}:${userId}:${input.now}`,
      meta: { role, userId, previous },
    },
  };
}

/** Roles nobody holds; the commander is listed too when missing, though declaring always fills it. */
export const unfilledRoles = (holders: RoleHolders): Role[] => ROLES.filter((r) => !holders[r]);
