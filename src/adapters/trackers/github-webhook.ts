/**
 * GitHub's issue webhooks as a TrackerWebhook: `X-Hub-Signature-256` is `sha256=` + the HMAC of the raw body
 * under the webhook secret (checked by @octokit/webhooks-methods, in constant time), `X-GitHub-Event` names the
 * event and `X-GitHub-Delivery` is a GUID that a redelivery keeps, so the caller deduplicates on it.
 */
import { verify as verifySignature } from '@octokit/webhooks-methods';
import {
  type TrackerIssueChange,
  type TrackerUser,
  type TrackerWebhook,
  TrackerWebhookError,
} from '../../domain/ports/tracker.js';
import { header } from './webhook-header.js';

const ACTIONS = new Set(['closed', 'reopened', 'assigned', 'unassigned']);

interface WireUser {
  login?: unknown;
  name?: unknown;
  email?: unknown;
}

function userOf(u: WireUser | null | undefined): TrackerUser | null {
  if (!u || typeof u.login !== 'string') return null;
  return {
    id: u.login,
    name: typeof u.name === 'string' ? u.name : u.login,
    email: typeof u.email === 'string' ? u.email : null,
  };
}

/** Reads GitHub `issues` deliveries; everything else is null. */
export class GitHubWebhook implements TrackerWebhook {
  readonly kind = 'github' as const;

  async verify(
    headers: Record<string, string | undefined>,
    rawBody: string,
    secret: string,
  ): Promise<boolean> {
    const signature = header(headers, 'x-hub-signature-256');
    if (!signature || !secret || !signature.startsWith('sha256=')) return false;
    try {
      return await verifySignature(secret, rawBody, signature);
    } catch {
      return false;
    }
  }

  parse(headers: Record<string, string | undefined>, rawBody: string): TrackerIssueChange | null {
    const event = header(headers, 'x-github-event');
    if (event !== 'issues') return null;
    const deliveryId = header(headers, 'x-github-delivery');
    if (!deliveryId) throw new TrackerWebhookError('GitHub delivery without X-GitHub-Delivery');
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw new TrackerWebhookError('GitHub delivery body is not JSON');
    }
    if (!body || typeof body !== 'object')
      throw new TrackerWebhookError('GitHub delivery body is not an object');
    const b = body as {
      action?: unknown;
      issue?: { number?: unknown; updated_at?: unknown; closed_at?: unknown; assignee?: WireUser | null };
      repository?: { full_name?: unknown };
      sender?: WireUser;
      assignee?: WireUser | null;
    };
    if (typeof b.action !== 'string')
      throw new TrackerWebhookError('GitHub issues delivery without an action');
    if (!ACTIONS.has(b.action)) return null;
    const issue = b.issue;
    if (!issue || typeof issue.number !== 'number' || typeof b.repository?.full_name !== 'string') {
      throw new TrackerWebhookError('GitHub issues delivery without issue number or repository');
    }
    const sender = userOf(b.sender);
    const when = typeof issue.updated_at === 'string' ? Date.parse(issue.updated_at) : Number.NaN;
    const base = {
      tracker: 'github' as const,
      deliveryId,
      issueId: String(issue.number),
      key: `${b.repository.full_name}#${issue.number}`,
      actorName: sender?.name ?? null,
      // a GitHub sender carries an email only when the user made it public
      actorEmail: sender?.email ?? null,
      occurredAt: Number.isNaN(when) ? null : when,
    };
    switch (b.action) {
      case 'closed':
        return { ...base, closed: true };
      case 'reopened':
        return { ...base, closed: false };
      case 'assigned':
        return { ...base, closed: null, assignee: userOf(b.assignee) };
      default:
        // unassigned: the issue's remaining assignee, if any, is now the owner
        return { ...base, closed: null, assignee: userOf(issue.assignee) };
    }
  }
}
