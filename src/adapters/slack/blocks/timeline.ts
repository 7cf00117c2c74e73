/** Slack messages of the timeline: the paged `timeline` view and the `note` confirmation. Pure. */
import { incidentRef } from '../../../domain/incident.js';
import type { ChatMessage } from '../../../domain/ports.js';
import { slackToPlain } from '../../render/slack-text.js';
import { escapeMrkdwn, slackText } from '../mrkdwn.js';
import { ELLIPSIS, fitPlain } from '../text-fit.js';
import type { TimelineLine, TimelineView } from './timeline-view.js';

/** A link in mrkdwn; `|` and `>` in a URL would end it early, so they are percent-encoded. */
const link = (url: string, label: string): string =>
  `<${url.replace(/[|>]/g, (c) => encodeURIComponent(c)).replace(/</g, '%3C')}|${escapeMrkdwn(label)}>`;

function line(l: TimelineLine): string {
  const kind = l.permalink ? link(l.permalink, l.kindLabel) : l.kindLabel;
  const marks = [
    l.edited ? '_(edited)_' : '',
    l.deleted ? `_(message deleted in Slack${l.deletedAt ? ` at ${l.deletedAt}` : ''})_` : '',
    l.redacted ? `_(redacted by ${escapeMrkdwn(l.redacted.by)} at ${l.redacted.at})_` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const files = l.files.length
    ? ` :paperclip: ${l.files.map((f) => (f.url ? link(f.url, f.name) : escapeMrkdwn(f.name))).join(', ')}`
    : '';
  const text = l.text ? ` ${escapeMrkdwn(l.text)}` : '';
  return `• #${l.number} \`${l.date} ${l.time}\` *${escapeMrkdwn(l.actor)}* · ${kind}${text ? ':' : ''}${text}${marks ? ` ${marks}` : ''}${files}`;
}

/** The ephemeral answer to `timeline [page]`: entries, the page count and where the whole record is. */
export function timelineMessage(v: TimelineView): ChatMessage {
  const ref = incidentRef(v.incidentNumber);
  const p = v.page;
  const head = `*${ref} timeline* · ${slackText(v.title)} · ${p.total} ${p.total === 1 ? 'entry' : 'entries'} · times in ${v.timeZone}`;
  if (p.total === 0)
    return {
      text: `${head}\nNo entries yet. Add one with \`/incident note <text>\` or a timeline reaction.`,
    };
  const lines = p.entries.map(line);
  const paging =
    p.pages > 1
      ? `Page ${p.page} of ${p.pages} (entries ${p.first}–${p.last} of ${p.total})${
          p.page < p.pages ? ` · next: \`/incident timeline ${p.page + 1}\`` : ''
        }`
      : '';
  const cutNote = p.entries.some((l) => l.cut) ? 'Long texts are cut here. ' : '';
  const whole = `${cutNote}The whole timeline is in the postmortem: \`/incident postmortem\`, or \`npm run muster -- export ${ref}\` on the Muster host. A pasted secret? \`/incident redact <#>\` blanks that entry.`;
  return { text: [head, ...lines, paging, whole].filter(Boolean).join('\n') };
}

/** Longest note echoed back in the channel; the entry itself keeps all of it. */
const ECHO_CHARS = 300;

/** The in-channel confirmation of a note; markup is made plain text, so a note cannot ping @channel. */
export function noteConfirmation(
  incidentNumber: number,
  userId: string,
  text: string,
  names: Readonly<Record<string, string>>,
): ChatMessage {
  const shown = fitPlain(slackToPlain(text, names).trim(), ECHO_CHARS + ELLIPSIS.length);
  return {
    text: `:memo: <@${userId}> added a note to the ${incidentRef(incidentNumber)} timeline:\n>${escapeMrkdwn(shown).replace(/\n/g, '\n>')}`,
  };
}
