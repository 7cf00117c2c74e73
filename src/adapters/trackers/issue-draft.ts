/**
 * The issue an action item becomes: a one-line title in plain text and a markdown body with the action, its
 * owner, priority, due date and a link back to the incident. User text (the action, the incident title) is
 * Slack-formatted data: it is turned into plain text or escaped markdown, never passed through as markup.
 */
import type { ActionItem } from '../../domain/action-item.js';
import { type Incident, incidentRef, severityLabel, slackChannelUrl } from '../../domain/incident.js';
import type { TrackerIssueDraft } from '../../domain/ports.js';
import { escapeMarkdown, markdownLink, slackToMarkdown } from '../render/markdown-escape.js';
import { slackToPlain } from '../render/slack-text.js';

/** Titles are cut here (every tracker takes 255 characters); the body keeps the whole text. */
const TITLE_CHARS = 200;

/** The Slack user ids mentioned in a text (`<@U123>`, `<@U123|name>`), for naming them in the issue. */
export function mentionedUsers(text: string): string[] {
  return [...new Set([...text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!))];
}

/** Cuts plain text to `max` characters on a whole code point, with an ellipsis. */
function cut(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

export interface DraftInput {
  item: ActionItem;
  incident: Incident;
  idempotencyKey: string;
  /** Slack user id -> display name, for the owner and the mentions in the text */
  names: Readonly<Record<string, string>>;
  /** the tracker user the owner maps to, or null */
  assignee: string | null;
}

/** The draft the tracker receives for an action item. */
export function issueDraft({
  item,
  incident,
  idempotencyKey,
  names,
  assignee,
}: DraftInput): TrackerIssueDraft {
  const ref = incidentRef(incident.number);
  const plain = slackToPlain(item.text, names).replace(/\s+/g, ' ').trim();
  const title = cut(plain || `Follow-up of ${ref}`, TITLE_CHARS);
  const url = slackChannelUrl(incident);
  const heading = `${ref}: ${slackToPlain(incident.title, names)} (${severityLabel(incident.severity)})`;
  const owner = item.ownerId ? (names[item.ownerId] ?? item.ownerId) : null;
  const text = item.text
    .split(/\r?\n/)
    .map((line) => slackToMarkdown(line, names))
    .join('  \n');
  const lines = [
    `Follow-up action item from incident ${url ? markdownLink(heading, url) : escapeMarkdown(heading)}.`,
    '',
    text,
    '',
    `- Priority: ${item.priority.toUpperCase()}`,
    `- Owner: ${owner ? `${escapeMarkdown(owner)} (in Slack)` : 'none yet'}`,
    `- Due: ${item.due ?? 'no date'}`,
    `- Recorded: ${new Date(item.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    '_Created by Muster. Close this issue when the action is done: the action item in Slack follows._',
  ];
  return {
    idempotencyKey,
    title,
    body: lines.join('\n'),
    priority: item.priority,
    due: item.due,
    assignee,
    incidentRef: ref,
    incidentUrl: url,
  };
}
