/** The answer to `/incident redact`: what was blanked, and which copies only Slack can remove. Pure. */
import { incidentRef } from '../../../domain/incident.js';
import type { ChatMessage } from '../../../domain/ports.js';
import { ENTRY_KIND_LABELS } from '../../../domain/postmortem.js';
import type { Redacted } from '../../../app/redact-entry.js';
import { escapeForSlack } from '../../render/slack-text.js';

/** Where else the words of an entry of this kind stand in Slack, which only Slack can delete. */
const IN_SLACK: Partial<Record<Redacted['entry']['kind'], string>> = {
  message: 'The message itself is still in the channel: delete it in Slack to remove it there.',
  note: 'The note was echoed in the channel: delete that message in Slack too.',
  update:
    'The update was posted in the channel (and the announce channel, if there is one): delete those messages in Slack too.',
};

const SYSTEM_ACTORS: Record<string, string> = { muster: 'Muster', pagerduty: 'PagerDuty', unknown: 'someone' };

/** The ephemeral confirmation of a redaction; `at` formats the entry's time in INCIDENT_TIMEZONE. */
export function redactionMessage(incidentNumber: number, r: Redacted, at: (ms: number) => string): ChatMessage {
  const e = r.entry;
  const by = SYSTEM_ACTORS[e.actor] ?? `<@${e.actor}>`;
  const label = ENTRY_KIND_LABELS[e.kind] ?? e.kind;
  const lines = [
    `:white_check_mark: Entry #${e.number} of ${incidentRef(incidentNumber)} (${label} by ${by}, ${escapeForSlack(at(e.occurredAt))}) is redacted: its text is blank in Muster's timeline, the postmortem and \`muster export\`, and the database no longer holds it.`,
  ];
  const inSlack = IN_SLACK[e.kind];
  if (inSlack) lines.push(inSlack);
  if (r.drafts > 0)
    lines.push(
      `${r.drafts === 1 ? 'A postmortem draft' : `${r.drafts} postmortem drafts`} written since already went to the channel: delete ${r.drafts === 1 ? 'that file' : 'those files'} in Slack and run \`/incident postmortem\` again.`,
    );
  return { text: lines.join('\n') };
}
