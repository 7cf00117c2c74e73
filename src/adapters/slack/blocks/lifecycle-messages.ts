/**
 * The messages of the lifecycle: confirmations in the incident channel, replies in the announcement thread,
 * reminders and the state summaries of `status` and `role`. Pure: data in, Slack text out. Texts given by
 * people arrive Slack-formatted (slash command text, or modal text escaped by the caller).
 */
import {
  incidentRef,
  type Incident,
  type Severity,
  severityLabel,
  type Status,
  TRANSITIONS,
} from '../../../domain/incident.js';
import type { ChatMessage } from '../../../domain/ports.js';
import { ROLE_TITLES, ROLES, type Role, type RoleHolders } from '../../../domain/roles.js';
import { formatDuration } from '../../../domain/duration.js';
import { escapeMrkdwn, mention, slackDate, slackText } from '../mrkdwn.js';
import { fitMrkdwn } from '../text-fit.js';

const STATUS_EMOJI: Record<Status, string> = {
  investigating: ':mag:',
  identified: ':bulb:',
  monitoring: ':eyes:',
  resolved: ':white_check_mark:',
};

/** Longest text people wrote shown in one message: an update (3,000 characters) even if every one was escaped. */
const SAID_CHARS = 15_000;

/** What people wrote, as mrkdwn: escaped once, broadcasts and user groups defused, cut far below Slack's limit. */
const said = (text: string): string => fitMrkdwn(slackText(text), SAID_CHARS);

const ref = (i: Incident): string => escapeMrkdwn(incidentRef(i.number));
const refTitle = (i: Incident): string => `${escapeMrkdwn(incidentRef(i.number))}: ${slackText(i.title)}`;

export function statusConfirmation(i: Incident, from: Status, by: string): ChatMessage {
  return {
    text: `${STATUS_EMOJI[i.status]} ${mention(by)} changed the status from *${from}* to *${i.status}*.`,
  };
}

export function statusThreadReply(i: Incident, from: Status, by: string): ChatMessage {
  return { text: `${STATUS_EMOJI[i.status]} *${ref(i)}* status: ${from} → *${i.status}* (${mention(by)})` };
}

export function severityConfirmation(i: Incident, from: Severity, by: string): ChatMessage {
  const verb = i.severity < from ? 'raised' : 'lowered';
  return {
    text: `:rotating_light: ${mention(by)} ${verb} the severity from ${severityLabel(from)} to *${severityLabel(i.severity)}*.`,
  };
}

export function severityThreadReply(i: Incident, from: Severity, by: string): ChatMessage {
  return {
    text: `:rotating_light: *${ref(i)}* severity: ${severityLabel(from)} → *${severityLabel(i.severity)}* (${mention(by)})`,
  };
}

export function roleConfirmation(
  role: Role,
  userId: string,
  previous: string | null,
  by: string,
): ChatMessage {
  const title = `*${ROLE_TITLES[role]}*`;
  if (previous && by === previous)
    return {
      text: `:busts_in_silhouette: ${mention(previous)} handed the ${title} role over to ${mention(userId)}.`,
    };
  const from = previous ? `, taking over from ${mention(previous)}` : '';
  const who = by === userId ? '' : ` (assigned by ${mention(by)})`;
  return { text: `:busts_in_silhouette: ${mention(userId)} is now the ${title}${from}${who}.` };
}

/** The private note to someone whose role was handed to another person. */
export function handoverNotice(i: Incident, role: Role, userId: string): ChatMessage {
  return {
    text: `:wave: ${mention(userId)} is now the ${ROLE_TITLES[role]} of ${ref(i)}. Please brief them on what you know and what is in flight.`,
  };
}

export function updateMessage(i: Incident, text: string, by: string): ChatMessage {
  return {
    text: `:loudspeaker: *Update* from ${mention(by)} (${severityLabel(i.severity)} · ${i.status})\n${said(text)}`,
  };
}

export function updateThreadReply(i: Incident, text: string, by: string): ChatMessage {
  return {
    text: `:loudspeaker: *${ref(i)} update* (${severityLabel(i.severity)} · ${i.status}, ${mention(by)})\n${said(text)}`,
  };
}

/** How long the incident lasted, from the impact start when recorded, and when impact began. */
function lasted(i: Incident): { took: string; began: string } {
  const end = i.resolvedAt ?? i.updatedAt;
  if (i.impactStartedAt === null) {
    return {
      took: `${formatDuration(end - i.declaredAt)} from the declaration`,
      began: 'Impact start not recorded',
    };
  }
  return {
    took: `${formatDuration(end - i.impactStartedAt)} of customer impact`,
    began: `Impact began ${slackDate(i.impactStartedAt)}`,
  };
}

export function resolutionMessage(i: Incident, by: string): ChatMessage {
  const { took, began } = lasted(i);
  const summary = i.summary ? `\n*Summary:* ${said(i.summary)}` : '';
  const record = i.impactStartedAt === null ? ': `/incident impact <when>` records it' : '';
  return {
    text:
      `:white_check_mark: *${refTitle(i)}* is resolved by ${mention(by)} after ${took}. ${began}${record}.${summary}\n` +
      'Next: record follow-ups with `/incident action`, then `/incident postmortem`. `/incident reopen` if it comes back.',
  };
}

export function resolutionThreadReply(i: Incident, by: string): ChatMessage {
  const { took, began } = lasted(i);
  const summary = i.summary ? `\n${said(i.summary)}` : '';
  return {
    text: `:white_check_mark: *${refTitle(i)}* is resolved after ${took} (${mention(by)}). ${began}.${summary}`,
  };
}

/** The confirmation of a changed impact start or detection time; times as Slack date tokens (each reader's zone). */
export function impactTimesConfirmation(i: Incident, before: Incident, by: string): ChatMessage {
  const lines: string[] = [];
  if (i.impactStartedAt !== before.impactStartedAt) {
    lines.push(
      i.impactStartedAt === null
        ? `${mention(by)} cleared the impact start: it is not recorded now.`
        : `${mention(by)} recorded that customer impact began ${slackDate(i.impactStartedAt)}` +
            `${i.impactStartedAt < i.declaredAt ? `, ${formatDuration(i.declaredAt - i.impactStartedAt)} before the declaration` : ''}.`,
    );
  }
  if (i.detectedAt !== before.detectedAt) {
    lines.push(
      i.detectedAt === null
        ? `${mention(by)} cleared the detection time: detection is the declaration (or the first page) again.`
        : `${mention(by)} recorded that the problem was detected ${slackDate(i.detectedAt)}.`,
    );
  }
  return { text: `:clock3: ${lines.join('\n')}` };
}

export function reopenMessage(i: Incident, reason: string | null, by: string): ChatMessage {
  const why = reason ? `: ${said(reason)}` : '';
  return {
    text: `:arrows_counterclockwise: ${mention(by)} reopened ${ref(i)}${why}\nThe status is back to *${i.status}*.`,
  };
}

export function reopenThreadReply(i: Incident, reason: string | null, by: string): ChatMessage {
  const why = reason ? `: ${said(reason)}` : '';
  return { text: `:arrows_counterclockwise: *${refTitle(i)}* is reopened (${mention(by)})${why}` };
}

/** `/incident status` alone: where the incident stands and where it can go. */
export function stateSummary(i: Incident, holders: RoleHolders, now: number): string {
  const next = TRANSITIONS[i.status];
  const lines = [
    `*${refTitle(i)}*`,
    `${severityLabel(i.severity)} · ${STATUS_EMOJI[i.status]} ${i.status} · ${i.resolvedAt === null ? 'open for' : 'resolved after'} ${formatDuration((i.resolvedAt ?? now) - i.declaredAt)}`,
    `Commander: ${holders.ic ? mention(holders.ic) : '_none_'}`,
    `Last update: ${i.lastUpdateAt === null ? '_none yet_' : `${formatDuration(now - i.lastUpdateAt)} ago`}`,
    next.length
      ? `Next: ${next.map((s) => `\`/incident status ${s}\``).join(', ')}`
      : 'Resolved. `/incident reopen [reason]` reopens it.',
  ];
  return lines.join('\n');
}

/** `/incident role` alone: every role and its holder. */
export function roleList(i: Incident, holders: RoleHolders): string {
  const lines = ROLES.map(
    (r) => `• *${ROLE_TITLES[r]}* (\`${r}\`): ${holders[r] ? mention(holders[r]) : '_unassigned_'}`,
  );
  return [
    `*Roles of ${ref(i)}*`,
    ...lines,
    'Assign one with `/incident role <ic|comms|scribe|tech> @person`.',
  ].join('\n');
}

/** Reminds the comms lead (or the commander) that stakeholders are waiting for an update. */
export function updateReminder(
  i: Incident,
  who: string,
  silentMs: number,
  cadenceMinutes: number,
): ChatMessage {
  return {
    text:
      `:alarm_clock: ${mention(who)} no update for ${formatDuration(silentMs)} on this ${severityLabel(i.severity)} incident ` +
      `(one every ${cadenceMinutes} min is expected). Post one with \`/incident update <text>\`: it also goes to the announcement thread.`,
  };
}

/** Reminds the commander of roles nobody holds yet. */
export function roleReminder(roles: Role[], commander: string | null, minutes: number): ChatMessage {
  const list = roles.map((r) => `*${ROLE_TITLES[r]}*`).join(', ');
  const who = commander ? `${mention(commander)} ` : '';
  return {
    text: `:busts_in_silhouette: ${who}${minutes} min in, nobody is ${list} yet. Assign with \`/incident role <${roles.join('|')}> @person\`.`,
  };
}

/** Header of the checklist sent to a new role holder. */
export function checklistMessage(i: Incident, role: Role, checklist: string): ChatMessage {
  return { text: `:clipboard: You are the *${ROLE_TITLES[role]}* of ${refTitle(i)}.\n${checklist}` };
}

/** To the declarer, once the channel is ready. */
export function incidentOpenMessage(i: Incident, channelId: string): ChatMessage {
  return {
    text: `:rotating_light: ${`${incidentRef(i.number)}: ${slackText(i.title)}`} is open in <#${channelId}>. You are the incident commander.`,
  };
}

/** To the declarer, when Slack refused to create the channel (`code`) or every name tried was taken. */
export function channelNotCreatedMessage(
  i: Incident,
  reason: 'refused' | 'names_taken',
  code: string,
): ChatMessage {
  return {
    text:
      reason === 'names_taken'
        ? `:x: ${incidentRef(i.number)} is recorded, but every channel name tried was taken. Rename or archive old channels and try again.`
        : `:x: ${incidentRef(i.number)} is recorded, but Slack refused to create its channel (${code}). Muster will try again when it restarts; meanwhile the incident is in \`/incident list\`.`,
  };
}
