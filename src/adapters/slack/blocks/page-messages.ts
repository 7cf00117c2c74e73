/** Messages about PagerDuty pages: confirmations, delays, failures, escalation prompts, on-call. Pure. */
import type { Page, PageStatus } from '../../../domain/page.js';
import type { ChatMessage, OnCall, PagerErrorCode } from '../../../domain/ports.js';
import { formatDuration } from '../../../domain/duration.js';
import { escapeMrkdwn, mention, personText, slackText } from '../mrkdwn.js';
import { fitMrkdwn, SLACK_LIMITS } from '../text-fit.js';

/** Longest part of the page message quoted in the confirmation; PagerDuty has all of it. */
const QUOTED_MESSAGE = 2000;

export const ESCALATE_ACTION = 'page.escalate';

/** Someone on call at one level of an escalation policy. */
export type OnCallLine = OnCall;

/** How the headline's pages line says where a page stands. */
const STATUS_WORDS: Record<PageStatus, string> = {
  pending: 'waiting for PagerDuty',
  triggered: 'paged',
  acknowledged: 'acknowledged',
  resolved: 'resolved',
  failed: 'page failed',
};

/** The headline's words for a page status ("paged", "page failed"). */
export const pageStatusWords = (status: string): string => STATUS_WORDS[status as PageStatus] ?? status;

/** The button value: the page and the level it escalates from, so a second click is recognised. */
export const escalateValue = (page: Pick<Page, 'id' | 'escalationLevel'>): string =>
  `${page.id}:${page.escalationLevel}`;

export function parseEscalateValue(value: string): { pageId: number; fromLevel: number } | null {
  const m = /^(\d+):(\d+)$/.exec(value);
  return m ? { pageId: Number(m[1]), fromLevel: Number(m[2]) } : null;
}

const escalateButton = (page: Page) => ({
  type: 'actions',
  block_id: `page-escalate:${page.id}`,
  elements: [
    {
      type: 'button',
      action_id: ESCALATE_ACTION,
      style: 'danger',
      text: { type: 'plain_text', text: 'Escalate' },
      value: escalateValue(page),
    },
  ],
});

/** A section of mrkdwn, cut to Slack's limit. */
const section = (text: string) => ({
  type: 'section',
  text: { type: 'mrkdwn', text: fitMrkdwn(text, SLACK_LIMITS.sectionText) },
});

const withButton = (text: string, page: Page): ChatMessage => ({
  text: fitMrkdwn(text, SLACK_LIMITS.sectionText),
  blocks: [section(text), escalateButton(page)],
});

/** "Jane Doe (level 1) · Sam Lee (level 2)" */
export const onCallList = (lines: OnCallLine[]): string =>
  lines.map((l) => `${escapeMrkdwn(l.name)} (level ${l.level})`).join(' · ');

/** The answer to `page` once the page is stored. */
export const pageQueuedReply = (service: string): string =>
  `:pager: Paging *${escapeMrkdwn(service)}* through PagerDuty. The channel will see it when PagerDuty has it.`;

/** The answer to `page` for a service already paged: what happened so far, and the Escalate button. */
export function alreadyPagedReply(page: Page, now: number): ChatMessage {
  const state =
    page.status === 'acknowledged'
      ? `acknowledged${page.acknowledgedBy ? ` by ${personText(page.acknowledgedBy)}` : ''}`
      : page.status === 'pending'
        ? 'waiting for PagerDuty to take it'
        : 'not acknowledged yet';
  return withButton(
    `:information_source: *${escapeMrkdwn(page.service)}* was already paged ${formatDuration(now - page.requestedAt)} ago (${state}). ` +
      'Nothing new was sent. Escalate to reach the next people on call.',
    page,
  );
}

/** Posted in the channel when PagerDuty accepted a page; names who is on call when it is known. */
export function pageDeliveredMessage(input: {
  page: Page;
  onCall: OnCallLine[] | null;
  pdIncident?: { number: number | null; url: string | null } | null;
  /** set when the page was held back by PagerDuty failures */
  delayedMs?: number | null;
}): ChatMessage {
  const { page } = input;
  const who =
    page.requestedBy === 'muster' ? 'automatically (severity policy)' : `by ${mention(page.requestedBy)}`;
  const pd = input.pdIncident?.number
    ? ` as ${input.pdIncident.url ? `<${input.pdIncident.url}|PagerDuty #${input.pdIncident.number}>` : `PagerDuty #${input.pdIncident.number}`}`
    : '';
  const lines = [
    input.delayedMs
      ? `:white_check_mark: The page to *${escapeMrkdwn(page.service)}* went through after ${formatDuration(input.delayedMs)} of PagerDuty trouble${pd}.`
      : `:pager: Paged *${escapeMrkdwn(page.service)}* ${who}${pd}.`,
  ];
  if (page.message) lines.push(`> ${fitMrkdwn(escapeMrkdwn(page.message), QUOTED_MESSAGE)}`);
  if (input.onCall?.length) lines.push(`On call: ${onCallList(input.onCall)}`);
  const text = fitMrkdwn(lines.join('\n'), SLACK_LIMITS.sectionText);
  return { text, blocks: [section(text)] };
}

/** Posted once when PagerDuty cannot take a page yet. */
export const pageDelayedMessage = (service: string, reason: string): ChatMessage => ({
  text: `:hourglass_flowing_sand: PagerDuty is not taking the page to *${escapeMrkdwn(service)}* right now (${escapeMrkdwn(
    reason,
  )}). It is saved and will be retried until it goes through; the channel will be told then.`,
});

/** What to do about a refusal, so nobody retries by hand what cannot pass. */
export function refusalHint(code: PagerErrorCode, page: Pick<Page, 'via' | 'service'>): string {
  switch (code) {
    case 'undeliverable':
      return 'Fix the catalog or the configuration, then page again.';
    case 'unauthorized':
      return 'Check PAGERDUTY_API_TOKEN.';
    case 'forbidden':
      return 'PAGERDUTY_API_TOKEN may not make this change (a read-only key?).';
    case 'not_found':
      return 'PagerDuty does not know that incident any more.';
    default:
      return page.via === 'events'
        ? `Check the routing key of ${page.service} in the catalog (pagerduty.routing_key), then page again.`
        : `Check the service and escalation policy ids of ${page.service} in the catalog and PAGERDUTY_FROM, then page again.`;
  }
}

/** Most services named in the advice of "nobody was paged"; `/incident services` lists them all. */
const ADVISED_SERVICES = 5;

/**
 * Posted after declaring when services the severity should page could not be paged: nobody was paged for them,
 * and how to page someone.
 */
export function nobodyPagedMessage(
  severity: string,
  services: readonly { name: string; reason: 'no_target' | 'not_configured' }[],
  pageable: readonly string[],
): ChatMessage {
  const names = (list: readonly { name: string }[]) =>
    list.map((s) => `*${escapeMrkdwn(s.name)}*`).join(', ');
  const noTarget = services.filter((s) => s.reason === 'no_target');
  const notConfigured = services.filter((s) => s.reason === 'not_configured');
  const why = [
    noTarget.length
      ? `the catalog gives ${names(noTarget)} no PagerDuty target (add \`pagerduty\` to ${noTarget.length === 1 ? 'its entry' : 'their entries'})`
      : '',
    notConfigured.length
      ? `${names(notConfigured)} ${notConfigured.length === 1 ? 'is' : 'are'} paged through the REST API, and PAGERDUTY_API_TOKEN or PAGERDUTY_FROM is not set`
      : '',
  ]
    .filter(Boolean)
    .join('; ');
  const shown = pageable.slice(0, ADVISED_SERVICES).map((n) => `\`${escapeMrkdwn(n)}\``);
  const more = pageable.length > shown.length ? ', …' : '';
  const how = pageable.length
    ? `Page someone with \`/incident page &lt;service&gt; [message]\` (${shown.join(', ')}${more} can be paged; \`/incident services\` lists them), or bring people in with \`/incident role tech @person\`.`
    : 'No service in the catalog can be paged: bring people in with `/incident role tech @person`, and give the service a PagerDuty target in the catalog.';
  const text = fitMrkdwn(
    `:no_bell: Nobody was paged for this ${escapeMrkdwn(severity)} incident: ${why}.\n${how}`,
    SLACK_LIMITS.sectionText,
  );
  return { text, blocks: [section(text)] };
}

/** Posted when PagerDuty refused a page or a follow-up for good. */
export const pageFailedMessage = (
  service: string,
  what: string,
  reason: string,
  hint: string,
): ChatMessage => ({
  text: `:x: PagerDuty refused to ${what} *${escapeMrkdwn(service)}*: ${escapeMrkdwn(reason)}. ${hint} It will not be retried.`,
});

/** The prompt when a sev1/sev2 page stays unacknowledged. */
export const escalationPromptMessage = (page: Page, minutes: number): ChatMessage =>
  withButton(
    `:rotating_light: Nobody has acknowledged the page to *${escapeMrkdwn(page.service)}* for ${minutes} min. Escalate to reach the next people on call?`,
    page,
  );

/** Confirms an escalation request in the channel. */
export const escalationRequestedMessage = (page: Page, by: string, via: 'events' | 'rest'): ChatMessage => ({
  text:
    via === 'rest'
      ? `:arrow_double_up: ${mention(by)} escalated the page to *${escapeMrkdwn(page.service)}* to level ${page.escalationLevel}.`
      : `:arrow_double_up: ${mention(by)} escalated *${escapeMrkdwn(page.service)}*: PagerDuty gets a new trigger marked as an escalation.`,
});

/** Posted when an escalation the channel heard was held up reached PagerDuty after all. */
export const escalationDeliveredMessage = (service: string, level: number): ChatMessage => ({
  text: `:white_check_mark: The escalation of *${escapeMrkdwn(service)}* reached PagerDuty (level ${level}).`,
});

/** The answer to `oncall <service>`. */
export function onCallMessage(service: string, lines: OnCallLine[]): string {
  if (lines.length === 0)
    return `Nobody is on call for *${escapeMrkdwn(service)}* right now, according to PagerDuty.`;
  const byLevel = lines.map((l) => `• Level ${l.level}: ${escapeMrkdwn(l.name)}`);
  return `*On call for ${escapeMrkdwn(service)}*\n${byLevel.join('\n')}`;
}

/** A PagerDuty change of a page, told in the channel ("acknowledged by Jane Doe"). */
// The entry's text is Slack text: an acknowledger found in Slack is a mention (`<@U…>`); PagerDuty's names
// and notes around it are escaped where they are not Slack markup, and broadcasts defused.
export const pageActivityMessage = (emoji: string, text: string): ChatMessage => ({
  text: `${emoji} ${slackText(text)}`,
});
