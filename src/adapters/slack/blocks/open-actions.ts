/**
 * `/incident actions --all`: open action items across incidents, one section per incident (reference, title,
 * channel) listing its items with priority, owner, due date (overdue marked) and issue. Pure. Within Block
 * Kit's limits whatever people typed: 50 blocks a message (incidents past those are counted), 3,000 characters
 * a section (items past what fits are counted), and every text cut without splitting markup or an emoji.
 */
import type { OpenAction, OpenActionsView } from '../../../app/follow-ups/open-actions.js';
import { incidentRef } from '../../../domain/incident.js';
import { counted } from '../../../domain/plural.js';
import type { ChatMessage, TrackerIssueRef } from '../../../domain/ports.js';
import { channelLink, escapeMrkdwn, mention, slackText } from '../mrkdwn.js';
import { fitMrkdwn, SLACK_LIMITS } from '../text-fit.js';
import { issueLink } from './follow-ups.js';

/** The heading, the incidents, and a last block counting those left out. */
const MAX_INCIDENTS = SLACK_LIMITS.messageBlocks - 2;
/** An item's text in one line of the list; the action's own list shows it whole. */
const ITEM_TEXT = 200;
const TITLE_TEXT = 200;
/** A link longer than this (a tracker URL gone wrong) is shown as the issue's key alone. */
const ISSUE_LINK = 400;
/** Room kept in each section for the line that counts the items left out. */
const MORE_LINE = 100;

function issueText(issue: TrackerIssueRef): string {
  const link = issueLink(issue);
  return link.length <= ISSUE_LINK ? link : fitMrkdwn(escapeMrkdwn(issue.key), 100);
}

/** `• *P1* add an alert · owner <@U1> · due 2026-12-01 :warning: *overdue* · <url|OPS-12>` */
function actionLine({ item, issue, overdue }: OpenAction): string {
  const owner = item.ownerId ? `owner ${mention(item.ownerId)}` : '_no owner_';
  const due = item.due ? ` · due ${item.due}${overdue ? ' :warning: *overdue*' : ''}` : '';
  const text = fitMrkdwn(slackText(item.text), ITEM_TEXT) || '_(text redacted)_';
  return `• *${item.priority.toUpperCase()}* ${text} · ${owner}${due}${issue ? ` · ${issueText(issue)}` : ''}`;
}

/** One incident's section: its heading, then as many items as fit, then how many did not. */
function incidentSection({ incident, actions }: OpenActionsView['incidents'][number]): unknown {
  const lock = incident.private ? ':lock: ' : '';
  const where = incident.channelId ? channelLink(incident.channelId) : '_channel pending_';
  const title = fitMrkdwn(slackText(incident.title), TITLE_TEXT);
  const lines = [`${lock}*${escapeMrkdwn(incidentRef(incident.number))}* · ${title} · ${where}`];
  let length = lines[0]!.length;
  let shown = 0;
  for (const action of actions) {
    const line = actionLine(action);
    if (length + 1 + line.length > SLACK_LIMITS.sectionText - MORE_LINE) break;
    lines.push(line);
    length += 1 + line.length;
    shown += 1;
  }
  if (shown < actions.length) lines.push(`…and ${actions.length - shown} more: \`/incident actions\` there.`);
  return {
    type: 'section',
    block_id: `open-actions:${incident.number}`,
    text: { type: 'mrkdwn', text: fitMrkdwn(lines.join('\n'), SLACK_LIMITS.sectionText) },
  };
}

/** The ephemeral answer to `/incident actions --all`. */
export function openActionsMessage(view: OpenActionsView): ChatMessage {
  const groups = view.incidents.filter((g) => g.actions.length > 0);
  if (groups.length === 0) {
    return { text: ':white_check_mark: No open action items in the incidents you can see.' };
  }
  const open = groups.reduce((n, g) => n + g.actions.length, 0);
  const overdue = groups.reduce((n, g) => n + g.actions.filter((a) => a.overdue).length, 0);
  const summary = `${counted(open, 'open action item')} across ${counted(groups.length, 'incident')}${
    overdue ? `, ${overdue} overdue` : ''
  }`;
  const blocks: unknown[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*Open action items* (${summary}, as of ${view.today})` },
    },
    ...groups.slice(0, MAX_INCIDENTS).map(incidentSection),
  ];
  if (groups.length > MAX_INCIDENTS) {
    const left = groups.slice(MAX_INCIDENTS);
    const items = left.reduce((n, g) => n + g.actions.length, 0);
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `…and ${counted(items, 'item')} in ${counted(left.length, 'more incident')}: \`/incident actions\` in their channels.`,
        },
      ],
    });
  }
  return { text: `Open action items: ${summary}`, blocks };
}
