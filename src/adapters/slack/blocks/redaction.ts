/** The answer to `/incident redact`: what was blanked, and which copies only Slack can remove. Pure. */
import { incidentRef } from '../../../domain/incident.js';
import type { ChatMessage } from '../../../domain/ports.js';
import { ENTRY_KIND_LABELS } from '../../../domain/postmortem.js';
import type { Redacted } from '../../../app/timeline/redact-entry.js';
import { escapeMrkdwn } from '../mrkdwn.js';

/** Where else the words of an entry of this kind stand in Slack, which only Slack can delete. */
const IN_SLACK: Partial<Record<Redacted['entry']['kind'], string>> = {
  message: 'The message itself is still in the channel: delete it in Slack to remove it there.',
  note: 'The note was echoed in the channel: delete that message in Slack too (Muster then forgets its copy of it).',
  update:
    'The update was posted in the channel (and the announce channel, if there is one): delete those messages in Slack too (Muster then forgets its copies).',
};

const SYSTEM_ACTORS: Record<string, string> = {
  muster: 'Muster',
  pagerduty: 'PagerDuty',
  unknown: 'someone',
};

/** The ephemeral confirmation of a redaction; `at` formats the entry's time in INCIDENT_TIMEZONE. */
export function redactionMessage(
  incidentNumber: number,
  r: Redacted,
  at: (ms: number) => string,
): ChatMessage {
  const e = r.entry;
  const by = SYSTEM_ACTORS[e.actor] ?? `<@${e.actor}>`;
  const label = ENTRY_KIND_LABELS[e.kind] ?? e.kind;
  const lines = [
    `:white_check_mark: Entry #${e.number} of ${incidentRef(incidentNumber)} (${label} by ${by}, ${escapeMrkdwn(at(e.occurredAt))}) is redacted: its text is blank in Muster's timeline and database, the postmortem and \`muster export\`.`,
  ];
  if (r.also.includes('action'))
    lines.push('The action item it records is blanked too (text only: owner, priority and due date stay).');
  if (r.also.includes('page'))
    lines.push(
      "The page's message is blanked too; PagerDuty received it when the page went out: remove it there.",
    );
  if (r.also.includes('summary')) lines.push("The incident's resolution summary is blanked too.");
  const inSlack = IN_SLACK[e.kind];
  if (inSlack) lines.push(inSlack);
  if (r.drafts > 0)
    lines.push(
      `${r.drafts === 1 ? 'A postmortem draft' : `${r.drafts} postmortem drafts`} written since already went to the channel: delete ${r.drafts === 1 ? 'that file' : 'those files'} in Slack and run \`/incident postmortem\` again.`,
    );
  return { text: lines.join('\n') };
}
