/**
 * Muster's App Home tab (a `home` view for views.publish): a "Declare incident" button (and the web page's
 * link when WEB_BASE_URL is set), the open incidents the person may see with severity, status, age and their
 * roles, then their own open action items with due date (overdue marked), incident and issue. Pure. Within
 * Block Kit's limits whatever people typed: 100 blocks a view (incidents and items past those are counted),
 * 3,000 characters a section, every text cut without splitting markup or an emoji.
 */
import type { HomeAction, HomeIncident, HomeView } from '../../../app/home/home-view.js';
import { incidentRef, severityLabel } from '../../../domain/incident.js';
import { counted } from '../../../domain/plural.js';
import { ROLE_TITLES } from '../../../domain/roles.js';
import { channelLink, escapeMrkdwn, slackAgo, slackDate, slackText } from '../mrkdwn.js';
import { fitMrkdwn, SLACK_LIMITS } from '../text-fit.js';
import { issueLink } from './follow-ups.js';

/** The action id of the Home's "Declare incident" button (interactions/home-buttons.ts opens the form). */
export const HOME_DECLARE_ACTION = 'home.declare';
/** The action id of the web page's link button: Slack sends a press of a link button too, to be acknowledged. */
export const HOME_WEB_ACTION = 'home.web';

/**
 * Incidents and items shown; the rest are counted. With the buttons, two headings, a divider, the two "more"
 * lines and the footer: 7 + 45 + 45 = 97 blocks, under Slack's 100 for a view.
 */
export const MAX_HOME_INCIDENTS = 45;
export const MAX_HOME_ACTIONS = 45;
const TITLE_TEXT = 300;
const ITEM_TEXT = 300;
/** An item's incident title, beside the item's own text. */
const ITEM_INCIDENT_TITLE = 80;
/** A link longer than this (a tracker URL gone wrong) is shown as the issue's key alone. */
const ISSUE_LINK = 400;

/** A URL Slack's `<url|label>` markup can carry as it is; anything else is left unlinked. */
const linkable = (url: string | null): url is string =>
  url !== null && url.length <= 2000 && /^https?:\/\/[^\s|<>]+$/.test(url);

const section = (blockId: string, text: string) => ({
  type: 'section',
  block_id: blockId,
  text: { type: 'mrkdwn', text: fitMrkdwn(text, SLACK_LIMITS.sectionText) },
});

const context = (text: string) => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: fitMrkdwn(text, SLACK_LIMITS.text) }],
});

const header = (text: string) => ({ type: 'header', text: { type: 'plain_text', text, emoji: true } });

/** `*<web|INC-12>*`, linked to the web page when there is one. */
function refText(number: number, webUrl: string | null): string {
  const ref = escapeMrkdwn(incidentRef(number));
  return linkable(webUrl) ? `*<${webUrl}|${ref}>*` : `*${ref}*`;
}

/** ":lock: *INC-12* · *SEV-1* · investigating · #inc-12 / title / declared 2 hours ago · You: Scribe" */
function incidentSection({ incident, roles, webUrl }: HomeIncident, now: number): unknown {
  const lock = incident.private ? ':lock: ' : '';
  const where = incident.channelId ? channelLink(incident.channelId) : '_channel pending_';
  const title = fitMrkdwn(slackText(incident.title), TITLE_TEXT) || '_(no title)_';
  const yours = roles.length ? roles.map((r) => ROLE_TITLES[r]).join(', ') : '_no role_';
  return section(
    `home:incident:${incident.number}`,
    [
      `${lock}${refText(incident.number, webUrl)} · *${severityLabel(incident.severity)}* · ${incident.status} · ${where}`,
      title,
      `Declared ${slackAgo(incident.declaredAt, now)} · You: ${yours}`,
    ].join('\n'),
  );
}

/** "*P1* add an alert · due 2026-12-01 :warning: *overdue* · INC-12 checkout · <issue>" */
function actionSection({ item, incident, issue, overdue }: HomeAction): unknown {
  const text = fitMrkdwn(slackText(item.text), ITEM_TEXT) || '_(text redacted)_';
  const due = item.due ? ` · due ${item.due}${overdue ? ' :warning: *overdue*' : ''}` : '';
  const title = fitMrkdwn(slackText(incident.title), ITEM_INCIDENT_TITLE);
  const where = incident.channelId ? ` ${channelLink(incident.channelId)}` : '';
  const link = issue ? issueLink(issue) : '';
  const issueText = !issue
    ? ''
    : ` · ${link.length <= ISSUE_LINK ? link : fitMrkdwn(escapeMrkdwn(issue.key), 100)}`;
  return section(
    `home:action:${item.id}`,
    `*${item.priority.toUpperCase()}* ${text}${due}\n${escapeMrkdwn(incidentRef(incident.number))} ${title}${where}${issueText}`,
  );
}

/** The buttons at the top: declaring first (primary), then the web page when there is one. */
function buttons(view: HomeView): unknown {
  const elements: unknown[] = [
    {
      type: 'button',
      action_id: HOME_DECLARE_ACTION,
      style: 'primary',
      text: { type: 'plain_text', text: 'Declare incident', emoji: true },
      value: 'declare',
    },
  ];
  if (linkable(view.incidentsUrl)) {
    elements.push({
      type: 'button',
      action_id: HOME_WEB_ACTION,
      text: { type: 'plain_text', text: 'Open the incidents page', emoji: true },
      url: view.incidentsUrl,
    });
  }
  return { type: 'actions', block_id: 'home:buttons', elements };
}

/** The `home` view of one person's App Home. */
export function appHomeView(view: HomeView): Record<string, unknown> {
  const blocks: unknown[] = [buttons(view)];
  const { incidents, actions } = view;
  blocks.push(header(`Open incidents (${incidents.length})`));
  if (incidents.length === 0)
    blocks.push(section('home:no-incidents', ':white_check_mark: No open incidents.'));
  blocks.push(...incidents.slice(0, MAX_HOME_INCIDENTS).map((i) => incidentSection(i, view.now)));
  if (incidents.length > MAX_HOME_INCIDENTS) {
    const more = counted(incidents.length - MAX_HOME_INCIDENTS, 'more open incident');
    const web = linkable(view.incidentsUrl) ? `, as does <${view.incidentsUrl}|the incidents page>` : '';
    blocks.push(context(`…and ${more}: \`/incident list\` shows them all${web}.`));
  }
  blocks.push({ type: 'divider' });
  const overdue = actions.filter((a) => a.overdue).length;
  blocks.push(header(`Your open action items (${actions.length}${overdue ? `, ${overdue} overdue` : ''})`));
  if (actions.length === 0) {
    blocks.push(section('home:no-actions', ':white_check_mark: No open action items assigned to you.'));
  }
  blocks.push(...actions.slice(0, MAX_HOME_ACTIONS).map(actionSection));
  if (actions.length > MAX_HOME_ACTIONS) {
    const more = counted(actions.length - MAX_HOME_ACTIONS, 'more item');
    blocks.push(context(`…and ${more}: \`/incident actions --all\` lists them.`));
  }
  blocks.push(context(`Updated ${slackDate(view.now)}. Muster refreshes this tab when an incident changes.`));
  return { type: 'home', blocks };
}
