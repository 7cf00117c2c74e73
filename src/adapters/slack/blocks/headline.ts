/** The pinned headline of an incident channel, as Block Kit. Pure: data in, message out. */
import { incidentRef, type Incident, severityLabel, severityName } from '../../../domain/incident.js';
import type { ChatMessage } from '../../../domain/ports.js';
import { ROLE_TITLES, ROLES, type RoleHolders } from '../../../domain/roles.js';
import { formatDuration } from '../../../domain/duration.js';
import {
  escapeMrkdwn,
  mention,
  personText,
  slackAgo,
  slackDate,
  slackPlain,
  slackRelative,
  slackText,
} from '../mrkdwn.js';
import { fitMrkdwn, fitPlain, SLACK_LIMITS } from '../text-fit.js';
import { pageStatusWords } from './page-messages.js';
import { slackLink } from './runbooks.js';
import type { HeadlineView } from '../../../app/incident/headline.js';

export type { HeadlineView };

const STATUS_EMOJI: Record<string, string> = {
  investigating: ':mag:',
  identified: ':bulb:',
  monitoring: ':eyes:',
  resolved: ':white_check_mark:',
};

const SEV_EMOJI: Record<number, string> = {
  1: ':red_circle:',
  2: ':large_orange_circle:',
  3: ':large_yellow_circle:',
  4: ':white_circle:',
};

/** `INC-7: <title>` as mrkdwn: the title is Slack text (typed in Slack), escaped once, broadcasts defused. */
export function headlineTitle(i: Incident): string {
  return `${incidentRef(i.number)}: ${slackText(i.title)}`;
}

/** `INC-7: <title>` as plain text, for plain_text fields and the topic. */
export const plainTitle = (i: Incident): string => `${incidentRef(i.number)}: ${slackPlain(i.title)}`;

/** The button opening the impact times form (when impact began, when it was detected). */
const TIMES_BUTTON = (number: number) => ({
  type: 'button',
  action_id: 'headline.times',
  text: { type: 'plain_text', text: 'Impact times' },
  value: String(number),
});

/** Longest resolution summary shown in the headline; the rest is in the postmortem. */
const HEADLINE_SUMMARY = 1500;

/** Longest part of the last update shown in the headline; the whole update is in the channel. */
const HEADLINE_UPDATE = 300;

/** The last update (when, who, what) and, while open, when the next one is due. */
function updateLines(v: HeadlineView): string[] {
  const lines: string[] = [];
  const last = v.lastUpdate;
  if (last) {
    const said = fitMrkdwn(slackText(last.text).replace(/\s+/g, ' ').trim(), HEADLINE_UPDATE);
    lines.push(
      // while open, how long ago is a live token; once resolved the headline is final and says only when
      `*Last update:* ${v.incident.status === 'resolved' ? slackDate(last.at) : `${slackDate(last.at, '{time}')} (${slackAgo(last.at, v.now)})`} by ${mention(last.by)}: ${said}`,
    );
  } else if (v.incident.status !== 'resolved') {
    lines.push('*Last update:* _none yet_');
  }
  if (v.nextUpdateDue != null && v.incident.status !== 'resolved') {
    lines.push(
      `*Next update due:* ${slackDate(v.nextUpdateDue, '{time}')} (${slackRelative(v.nextUpdateDue, v.now)}) · \`/incident update <text>\``,
    );
  }
  return lines;
}

/** The headline message: title, severity, status, role holders, age, services, runbooks, pages and buttons. */
export function headlineMessage(v: HeadlineView): ChatMessage {
  const i = v.incident;
  const resolved = i.status === 'resolved';
  const fields = [
    `*Severity*\n${SEV_EMOJI[i.severity]} ${severityLabel(i.severity)} (${severityName[i.severity]})`,
    `*Status*\n${STATUS_EMOJI[i.status] ?? ''} ${i.status}`,
    ...ROLES.map((r) => `*${ROLE_TITLES[r]}*\n${v.holders[r] ? mention(v.holders[r]!) : '_unassigned_'}`),
    // while open, the time since declaration is a live `{ago}` token: the headline is edited only on changes
    `*Declared*\n${slackDate(i.declaredAt)}${resolved ? '' : ` (${slackAgo(i.declaredAt, v.now)})`}`,
    // customer impact, not the declaration, is when an incident starts
    `*Impact began*\n${i.impactStartedAt === null ? '_not recorded_' : slackDate(i.impactStartedAt)}`,
    ...(resolved
      ? [
          `*Duration*\n${formatDuration((i.resolvedAt ?? v.now) - (i.impactStartedAt ?? i.declaredAt))}${i.impactStartedAt === null ? ' (from the declaration)' : ''}`,
        ]
      : []),
  ];
  const blocks: unknown[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: fitPlain(plainTitle(i), SLACK_LIMITS.headerText), emoji: false },
    },
    { type: 'section', fields: fields.slice(0, 10).map((text) => ({ type: 'mrkdwn', text })) },
  ];
  if (i.description)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: fitMrkdwn(slackText(i.description), SLACK_LIMITS.sectionText) },
    });
  const extra: string[] = updateLines(v);
  if (v.services?.length) extra.push(`*Services:* ${v.services.map(escapeMrkdwn).join(', ')}`);
  if (v.runbooks?.length) {
    extra.push(`*Runbooks:* ${v.runbooks.map((r) => slackLink(r.url, r.title)).join(' · ')}`);
  }
  if (v.pages?.length) {
    extra.push(
      `*Pages:* ${v.pages
        .map(
          (p) =>
            `${escapeMrkdwn(p.service)} (${pageStatusWords(p.status)}${p.acknowledgedBy ? ` by ${personText(p.acknowledgedBy)}` : ''})`,
        )
        .join(' · ')}`,
    );
  }
  if (v.postmortem) {
    extra.push(
      `*Postmortem:* ${v.postmortem.permalink ? `<${v.postmortem.permalink}|draft v${v.postmortem.version}>` : `draft v${v.postmortem.version}`}`,
    );
  }
  if (v.webUrl)
    extra.push(
      `*Web page:* ${slackLink(v.webUrl, `${incidentRef(i.number)} timeline, pages and postmortem`)}`,
    );
  if (i.summary && resolved) extra.push(`*Resolution:* ${fitMrkdwn(slackText(i.summary), HEADLINE_SUMMARY)}`);
  if (extra.length)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: fitMrkdwn(extra.join('\n'), SLACK_LIMITS.sectionText) },
    });
  if (!resolved) {
    blocks.push({
      type: 'actions',
      block_id: `headline:${i.number}`,
      elements: [
        {
          type: 'button',
          action_id: 'headline.status',
          text: { type: 'plain_text', text: 'Change status' },
          value: String(i.number),
        },
        {
          type: 'button',
          action_id: 'headline.role',
          text: { type: 'plain_text', text: 'Assign role' },
          value: String(i.number),
        },
        {
          type: 'button',
          action_id: 'headline.update',
          text: { type: 'plain_text', text: 'Post update' },
          value: String(i.number),
        },
        TIMES_BUTTON(i.number),
        {
          type: 'button',
          action_id: 'headline.resolve',
          style: 'primary',
          text: { type: 'plain_text', text: 'Resolve' },
          value: String(i.number),
        },
      ],
    });
  } else {
    // the times are still corrected while the postmortem is written
    blocks.push({ type: 'actions', block_id: `headline:${i.number}`, elements: [TIMES_BUTTON(i.number)] });
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Resolved ${slackDate(i.resolvedAt ?? v.now)}. \`/incident reopen\` to reopen.`,
        },
      ],
    });
  }
  const text = `${headlineTitle(i)} · ${severityLabel(i.severity)} · ${i.status}${v.holders.ic ? ` · IC ${mention(v.holders.ic)}` : ''}`;
  return { text, blocks };
}

/** The announcement (thread parent) in the announce channel, kept current with status and severity. */
export function announcementMessage(i: Incident, holders: RoleHolders): ChatMessage {
  const where = i.channelId ? `<#${i.channelId}>` : '_channel being created_';
  const line = `${SEV_EMOJI[i.severity]} *${headlineTitle(i)}*\n${severityLabel(i.severity)} · ${i.status} · commander ${
    holders.ic ? mention(holders.ic) : '_none_'
  } · ${where}`;
  return {
    text: `${headlineTitle(i)}: ${severityLabel(i.severity)}, ${i.status}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: fitMrkdwn(line, SLACK_LIMITS.sectionText) } }],
  };
}

/** The channel topic: severity, status, commander and title, as plain text (Slack escapes a topic itself). */
export function topicFor(i: Incident, commanderName: string | null): string {
  return `${severityLabel(i.severity)} · ${i.status} · IC: ${commanderName ?? 'unassigned'} · ${slackPlain(i.title)}`;
}
