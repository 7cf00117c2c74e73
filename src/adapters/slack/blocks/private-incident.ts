/** The words of private incidents outside their channel: redacted notices, and the answer to `/incident private`. */
import type { MakePrivateAnswer } from '../../../app/incident/make-private.js';
import { incidentRef, type Severity, severityLabel, type Status } from '../../../domain/incident.js';
import type { ChatMessage } from '../../../domain/ports.js';

/**
 * What the announce channel and team channels see of a private incident: its severity and who to ask, never its
 * title, channel, services or updates.
 */
export function redactedPrivateNotice(
  incident: { severity: Severity; status: Status },
  commander: string | null,
): ChatMessage {
  const ask = commander ? ` Ask <@${commander}> for access.` : '';
  const resolved = incident.status === 'resolved' ? ' It is resolved.' : '';
  return {
    text: `:lock: A private ${severityLabel(incident.severity)} incident was declared.${ask}${resolved}`,
  };
}

/** The answer to `/incident private`. */
export function privateAnswerMessage(answer: MakePrivateAnswer): ChatMessage {
  const ref = incidentRef(answer.number);
  if (answer.kind === 'already_private')
    return {
      text: `:lock: ${ref} is already private: its channel is private and it is announced without its title.`,
    };
  return {
    text:
      `:warning: Slack cannot make a public channel private without an admin API (an org admin's ` +
      `\`admin.conversations.convertToPrivate\`), so ${ref} stays public. Instead, declare a new private incident ` +
      `with \`/incident declare sev${answer.severity} --private <title>\` and move the work there; then resolve ${ref} ` +
      'with a pointer to the new one. Anything already posted in this channel stays visible to the workspace.',
  };
}
