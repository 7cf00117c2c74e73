/** Slack texts of the postmortem: the summary beside the uploaded draft, a failed upload, the blameless review. Pure. */
import { type Incident, incidentRef, severityLabel } from '../../../domain/incident.js';
import type { BlamelessFinding, DraftFigures, PostmortemRecord } from '../../../domain/ports.js';
import { escapeMrkdwn, slackText } from '../mrkdwn.js';
import { fitPlain } from '../text-fit.js';
import { slackLink } from './runbooks.js';

/** The file's title in Slack. */
export const postmortemFileTitle = (p: PostmortemRecord): string =>
  `Postmortem ${incidentRef(p.incidentNumber)} (draft v${p.version})`;

/** The comment the draft is shared with: what it is, how long the incident took, what it holds. */
export function postmortemSummary(
  incident: Incident,
  p: PostmortemRecord,
  draft: DraftFigures,
  webUrl: string | null = null,
): string {
  const ref = incidentRef(incident.number);
  const took = draft.duration ? `duration ${draft.duration.text}` : `open for ${draft.elapsed.text}`;
  return (
    `:memo: Postmortem draft v${p.version} for *${escapeMrkdwn(ref)}: ${slackText(incident.title)}*` +
    `${draft.draft ? ' (draft: the incident is not resolved)' : ''}\n` +
    `${severityLabel(incident.severity)} · ${took}` +
    ` · ${draft.timelineCount} timeline entries · ${draft.actionCount} action items.` +
    ' Fill in impact, root cause and lessons, then share it.' +
    (webUrl ? ` It is also on the web: ${slackLink(`${webUrl}#postmortem`, `${ref} postmortem`)}.` : '')
  );
}

/** Told in the channel when the last upload attempt failed: the draft is saved, and how to get it. */
export const uploadFailedMessage = (p: PostmortemRecord): string =>
  `:warning: Postmortem draft v${p.version} is saved, but uploading it to Slack failed. Export it with \`npm run muster -- export ${incidentRef(p.incidentNumber)}\`, or run \`/incident postmortem\` again later.`;

/** The blameless suggestions as an ephemeral message: gentle, with the sentence, nothing changed. */
export function blamelessMessage(findings: BlamelessFinding[]): string | null {
  if (findings.length === 0) return null;
  const shown = findings
    .slice(0, 10)
    .map(
      (f) => `• _"${escapeMrkdwn(fitPlain(f.sentence, 300))}"_ (${f.section}): ${escapeMrkdwn(f.suggestion)}`,
    );
  return [
    `:seedling: A blameless review found ${findings.length} sentence${findings.length === 1 ? '' : 's'} you may want to reword. Nothing was changed:`,
    ...shown,
    ...(findings.length > 10 ? [`…and ${findings.length - 10} more.`] : []),
  ].join('\n');
}
