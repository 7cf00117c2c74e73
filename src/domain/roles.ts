import { DomainError } from './errors.js';
import { closest } from './nearest.js';

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
