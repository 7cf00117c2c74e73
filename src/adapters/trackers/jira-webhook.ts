/**
 * Jira Cloud's webhooks as a TrackerWebhook. An admin webhook registered with a secret carries
 * `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body under the secret>` (the WebSub form); Jira sends no
 * signed timestamp, so a replay is caught by the delivery id: `X-Atlassian-Webhook-Identifier`, which Jira
 * keeps across its retries of one delivery (fallback: event + issue id + the body's timestamp).
 * `jira:issue_updated` carries the issue as it is now and a `changelog` of what changed: a `status` item means
 * it moved (closed when its status category is `done`), an `assignee` item that it changed hands.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type TrackerIssueChange,
  type TrackerUser,
  type TrackerWebhook,
  TrackerWebhookError,
} from '../../domain/ports/tracker.js';
import { header } from './webhook-header.js';

interface WireUser {
  accountId?: unknown;
  displayName?: unknown;
  emailAddress?: unknown;
}
interface ChangelogItem {
  field?: unknown;
  fieldId?: unknown;
  to?: unknown;
  toString?: unknown;
}
interface Delivery {
  timestamp?: unknown;
  webhookEvent?: unknown;
  user?: WireUser;
  issue?: {
    id?: unknown;
    key?: unknown;
    fields?: { status?: { statusCategory?: { key?: unknown } }; assignee?: WireUser | null };
  };
  changelog?: { items?: unknown };
}

function userOf(u: WireUser | null | undefined): TrackerUser | null {
  if (!u || typeof u.accountId !== 'string' || u.accountId === '') return null;
  return {
    id: u.accountId,
    name: typeof u.displayName === 'string' ? u.displayName : u.accountId,
    email: typeof u.emailAddress === 'string' ? u.emailAddress : null,
  };
}

function itemFor(items: ChangelogItem[], field: string): ChangelogItem | undefined {
  return items.find((i) => i.fieldId === field || (i.fieldId === undefined && i.field === field));
}

/** Verifies and reads Jira Cloud issue deliveries; anything but a status or assignee change is null. */
export class JiraWebhook implements TrackerWebhook {
  readonly kind = 'jira' as const;

  async verify(
    headers: Record<string, string | undefined>,
    rawBody: string,
    secret: string,
  ): Promise<boolean> {
    const signature = header(headers, 'x-hub-signature');
    const hex = /^sha256=([0-9a-f]{64})$/i.exec(signature?.trim() ?? '')?.[1];
    if (!hex || !secret) return false;
    const expected = createHmac('sha256', secret).update(rawBody, 'utf8').digest();
    return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
  }

  parse(headers: Record<string, string | undefined>, rawBody: string): TrackerIssueChange | null {
    let body: Delivery;
    try {
      body = JSON.parse(rawBody) as Delivery;
    } catch {
      throw new TrackerWebhookError('Jira delivery body is not JSON');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new TrackerWebhookError('Jira delivery body is not an object');
    if (typeof body.webhookEvent !== 'string')
      throw new TrackerWebhookError('Jira delivery without a webhookEvent');
    // comments, creations, deletions and the rest say nothing about a follow-up's state
    if (body.webhookEvent !== 'jira:issue_updated') return null;
    const issue = body.issue;
    if (!issue || typeof issue.id !== 'string' || typeof issue.key !== 'string') {
      throw new TrackerWebhookError('Jira issue delivery without issue.id and issue.key');
    }
    const items = Array.isArray(body.changelog?.items) ? (body.changelog.items as ChangelogItem[]) : [];
    const status = itemFor(items, 'status');
    const assignee = itemFor(items, 'assignee');
    if (!status && !assignee) return null;
    let closed: boolean | null = null;
    if (status) {
      const category = issue.fields?.status?.statusCategory?.key;
      if (typeof category !== 'string')
        throw new TrackerWebhookError(`Jira status change of ${issue.key} without its status category`);
      closed = category === 'done';
    }
    const timestamp = typeof body.timestamp === 'number' ? body.timestamp : null;
    return {
      tracker: 'jira',
      deliveryId:
        header(headers, 'x-atlassian-webhook-identifier') ||
        `${body.webhookEvent}:${issue.id}:${timestamp ?? ''}`,
      issueId: issue.id,
      key: issue.key,
      closed,
      ...(assignee ? { assignee: newAssignee(assignee, issue.fields?.assignee) } : {}),
      actorName: typeof body.user?.displayName === 'string' ? body.user.displayName : null,
      // Jira leaves the address out when the user's profile hides it
      actorEmail: typeof body.user?.emailAddress === 'string' ? body.user.emailAddress : null,
      occurredAt: timestamp,
    };
  }
}

/** The issue's assignee now; from the changelog's `to` (an accountId) when the issue omits it; null if removed. */
function newAssignee(item: ChangelogItem, current: WireUser | null | undefined): TrackerUser | null {
  const now = userOf(current);
  if (now) return now;
  if (typeof item.to !== 'string' || item.to === '') return null;
  return { id: item.to, name: typeof item.toString === 'string' ? item.toString : item.to, email: null };
}
