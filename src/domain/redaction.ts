/**
 * Who may blank a timeline entry with `/incident redact`, and what a redaction refuses. The people running
 * the incident (its current role holders) may redact any entry; anyone may redact what they wrote themselves
 * (their own note, or their message put on the timeline), since pasting a secret is usually noticed by
 * whoever pasted it. The declarer counts through the commander role declaring gives them, and stops counting
 * once they hand it over: a role, not a past act, is what makes someone responsible for the record.
 */
import { USAGE } from './command.js';
import { DomainError } from './errors.js';
import { incidentRef } from './incident.js';
import { ROLE_TITLES, ROLES, type RoleHolders } from './roles.js';
import type { TimelineEntry } from './timeline.js';

/** Checks that `userId` may redact `entry` (the entry numbered `number`, null when there is none). */
export function checkRedaction(input: {
  incidentNumber: number;
  number: number;
  entry: TimelineEntry | null;
  holders: RoleHolders;
  userId: string;
}): TimelineEntry {
  const { entry, number, holders, userId } = input;
  const ref = incidentRef(input.incidentNumber);
  if (!entry) {
    throw new DomainError(
      'redact.no_such_entry',
      `${ref} has no entry #${number}: the entry numbers are in \`/incident timeline\`.\nUsage: \`${USAGE.redact}\``,
      { number },
    );
  }
  const holds = ROLES.some((r) => holders[r] === userId);
  if (!holds && entry.actor !== userId) {
    const who = ROLES.filter((r) => holders[r]).map((r) => `<@${holders[r]}> (${ROLE_TITLES[r]})`);
    throw new DomainError(
      'redact.not_allowed',
      `Only the people holding a role in ${ref}${who.length ? `, ${who.join(', ')},` : ''} or the entry's author can redact entry #${number}. Ask one of them, or \`/incident role\` to see the roles.`,
      { number },
    );
  }
  if (entry.redactedAt !== null) {
    throw new DomainError(
      'redact.already_redacted',
      `Entry #${number} is already redacted (by <@${entry.redactedBy}>); there is nothing left to blank.`,
      { number },
    );
  }
  if (entry.state === 'deleted') {
    throw new DomainError(
      'redact.message_deleted',
      `Entry #${number} is a message deleted in Slack: Muster already removed its text everywhere it kept it.`,
      { number },
    );
  }
  return entry;
}
