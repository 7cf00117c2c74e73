/** Slack messages about runbooks and attached services. Pure: data in, message out. */
import { incidentRef, type Incident, severityLabel } from '../../../domain/incident.js';
import type { ChatMessage } from '../../../domain/ports.js';
import { escapeMrkdwn, slackDate, slackText } from '../mrkdwn.js';
import { fitMessageText } from '../text-fit.js';

/** A link in mrkdwn; `|`, `<` and `>` in a URL would end the markup early, so they are percent-encoded. */
export const slackLink = (url: string, label: string): string =>
  `<${url.replace(/[|<>]/g, (c) => encodeURIComponent(c))}|${escapeMrkdwn(label)}>`;

export interface RunbookLine {
  title: string;
  /** null: a file runbook about to be uploaded */
  url: string | null;
  service: string | null;
}

/** Longest list shown in one message; the rest are counted. */
const MAX_LINES = 40;

function runbookLine(r: RunbookLine): string {
  const what = r.url ? slackLink(r.url, r.title) : `*${escapeMrkdwn(r.title)}* _(shared as a file below)_`;
  return `• ${what}${r.service ? ` · ${escapeMrkdwn(r.service)}` : ''}`;
}

function runbookLines(lines: readonly RunbookLine[]): string[] {
  const shown = lines.slice(0, MAX_LINES).map(runbookLine);
  if (lines.length > MAX_LINES)
    shown.push(`…and ${lines.length - MAX_LINES} more: \`/incident runbook\` lists them all.`);
  return shown;
}

const startOne = (service: string): string => `\`npm run muster -- runbook ${service}\``;

/** The channel message after declaring: the attached services and their runbooks. */
export function declaredRunbooksMessage(v: {
  services: readonly { name: string; owner: string | null }[];
  runbooks: readonly RunbookLine[];
  /** attached services that have no runbook */
  withoutRunbooks: readonly string[];
}): ChatMessage {
  const names = v.services.map(
    (s) => `*${escapeMrkdwn(s.name)}*${s.owner ? ` (${escapeMrkdwn(s.owner)})` : ''}`,
  );
  const head = `:blue_book: *Runbooks for this incident* · services: ${names.join(', ')}`;
  const none = v.withoutRunbooks.map(
    (s) => `_${escapeMrkdwn(s)} has no runbook yet: ${startOne(s)} on the Muster host starts one._`,
  );
  return { text: fitMessageText([head, ...runbookLines(v.runbooks), ...none].join('\n')) };
}

/** The in-channel answer to `runbook <service>`: who linked which runbooks. */
export function serviceRunbooksLinked(
  userId: string,
  service: string,
  runbooks: readonly RunbookLine[],
): ChatMessage {
  return {
    text: fitMessageText(
      [
        `:blue_book: <@${userId}> linked the runbooks of *${escapeMrkdwn(service)}*:`,
        ...runbookLines(runbooks),
      ].join('\n'),
    ),
  };
}

/** The in-channel answer to `runbook <url> [title]`. */
export function urlRunbookLinked(userId: string, title: string, url: string): ChatMessage {
  return { text: `:blue_book: <@${userId}> linked a runbook: ${slackLink(url, title)}` };
}

export interface LinkedRunbook {
  title: string;
  url: string;
  service: string | null;
  linkedBy: string;
  linkedAt: number;
}

/** The ephemeral answer to `runbook`: the runbooks linked so far, and how to link more. */
export function runbookListMessage(
  incidentNumber: number,
  links: readonly LinkedRunbook[],
  services: readonly string[],
): ChatMessage {
  const ref = incidentRef(incidentNumber);
  const how =
    'Link more with `/incident runbook <service>` (a catalog service) or `/incident runbook <url> [title]`.';
  if (links.length === 0) {
    const attached = services.length ? ` Services attached: ${services.map(escapeMrkdwn).join(', ')}.` : '';
    return { text: `No runbooks are linked to ${ref} yet.${attached}\n${how}` };
  }
  const lines = links.slice(0, MAX_LINES).map((l) => {
    const who = l.linkedBy === 'muster' ? 'Muster' : `<@${l.linkedBy}>`;
    return `• ${slackLink(l.url, l.title)}${l.service ? ` · ${escapeMrkdwn(l.service)}` : ''} · linked by ${who} ${slackDate(l.linkedAt)}`;
  });
  if (links.length > MAX_LINES)
    lines.push(`…and ${links.length - MAX_LINES} more (all are in the postmortem).`);
  return { text: fitMessageText([`*${ref} runbooks* (${links.length})`, ...lines, how].join('\n')) };
}

/** The notice in an owning team's channel: an incident names their services; where to follow it. */
export function teamNotice(
  incident: Incident,
  services: readonly string[],
  commander: string | null,
): ChatMessage {
  const names = services.map((s) => `*${escapeMrkdwn(s)}*`).join(', ');
  // a team channel is outside the incident: the title is shown once escaped, its broadcasts defused
  const title = `${incidentRef(incident.number)}: ${slackText(incident.title)}`;
  const where = incident.channelId ? `<#${incident.channelId}>` : 'its channel';
  const ic = commander ? ` Commander: <@${commander}>.` : '';
  return {
    text: `:rotating_light: ${title} (${severityLabel(incident.severity)}, ${incident.status}) names your service${
      services.length === 1 ? '' : 's'
    } ${names}. Follow or join in ${where}.${ic}`,
  };
}

/** The comment on an uploaded runbook file. */
export function runbookFileComment(title: string, service: string): string {
  return `:blue_book: Runbook *${escapeMrkdwn(title)}* · ${escapeMrkdwn(service)}`;
}
