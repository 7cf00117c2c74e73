/**
 * `/incident private`: what can be done to make an incident private. Slack makes a public channel private only
 * through `admin.conversations.convertToPrivate`, an admin API whose token needs `admin.conversations:write`
 * (an org admin's user token, never a bot's), so Muster cannot convert the channel itself: a public incident
 * moves to a new private incident instead.
 */
import type { Incident, Severity } from '../../domain/incident.js';

export type MakePrivateAnswer =
  /** the incident is private already: nothing to do */
  | { kind: 'already_private'; number: number }
  /** a public incident: declare a private one at its severity and move the work there */
  | { kind: 'declare_private_instead'; number: number; severity: Severity };

/** Says what `/incident private` can do for `incident`; changes nothing. */
export function makePrivate(incident: Incident): MakePrivateAnswer {
  return incident.private
    ? { kind: 'already_private', number: incident.number }
    : { kind: 'declare_private_instead', number: incident.number, severity: incident.severity };
}
