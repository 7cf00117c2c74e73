/**
 * Linear's webhook: `Linear-Signature` is the hex HMAC-SHA256 of the raw body under the webhook's secret, and
 * the body's `webhookTimestamp` (ms) must be within 60 s of now, so a captured delivery cannot be replayed
 * later. `Linear-Delivery` names the delivery (fallback: webhookId + webhookTimestamp) for deduplication.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  TrackerWebhookError,
  type TrackerIssueChange,
  type TrackerWebhook,
} from '../../domain/ports/tracker.js';
import { header } from './webhook-header.js';

const MAX_SKEW_MS = 60_000;

/** Verifies and reads Linear issue deliveries; `now` is the clock in ms. */
export class LinearWebhook implements TrackerWebhook {
  readonly kind = 'linear' as const;
  constructor(private readonly now: () => number = Date.now) {}

  async verify(
    headers: Record<string, string | undefined>,
    rawBody: string,
    secret: string,
  ): Promise<boolean> {
    const signature = header(headers, 'linear-signature');
    if (!signature || !/^[0-9a-f]{64}$/i.test(signature) || !secret) return false;
    const expected = createHmac('sha256', secret).update(rawBody, 'utf8').digest();
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    let timestamp: unknown;
    try {
      timestamp = (JSON.parse(rawBody) as { webhookTimestamp?: unknown }).webhookTimestamp;
    } catch {
      return false;
    }
    return typeof timestamp === 'number' && Math.abs(this.now() - timestamp) <= MAX_SKEW_MS;
  }

  parse(headers: Record<string, string | undefined>, rawBody: string): TrackerIssueChange | null {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(rawBody) as Record<string, unknown>;
    } catch {
      throw new TrackerWebhookError('Linear webhook body is not JSON');
    }
    if (!body || typeof body !== 'object')
      throw new TrackerWebhookError('Linear webhook body is not an object');
    if (body.type !== 'Issue' || body.action !== 'update') return null;
    const data = body.data as Record<string, unknown> | undefined;
    if (!data || typeof data.id !== 'string' || typeof data.identifier !== 'string') {
      throw new TrackerWebhookError('Linear Issue delivery has no data.id or data.identifier');
    }
    const from = (body.updatedFrom ?? {}) as Record<string, unknown>;
    const stateChanged = 'stateId' in from;
    const assigneeChanged = 'assigneeId' in from;
    if (!stateChanged && !assigneeChanged) return null;
    const state = data.state as { type?: string } | undefined;
    const type = state?.type;
    const assignee = data.assignee as { id?: string; name?: string; email?: string } | null | undefined;
    const actor = body.actor as { name?: string; email?: string } | undefined;
    const deliveryId =
      header(headers, 'linear-delivery') ??
      `${String(body.webhookId ?? '')}:${String(body.webhookTimestamp ?? '')}`;
    const change: TrackerIssueChange = {
      tracker: 'linear',
      deliveryId,
      issueId: data.id,
      key: data.identifier,
      closed: stateChanged && type ? type === 'completed' || type === 'canceled' : null,
      actorName: actor?.name ?? null,
      actorEmail: typeof actor?.email === 'string' ? actor.email : null,
      occurredAt: typeof data.updatedAt === 'string' ? Date.parse(data.updatedAt) : null,
      ...(assigneeChanged
        ? {
            assignee:
              assignee?.id || typeof data.assigneeId === 'string'
                ? {
                    id: assignee?.id ?? (data.assigneeId as string),
                    name: assignee?.name ?? '',
                    email: assignee?.email ?? null,
                  }
                : null,
          }
        : {}),
    };
    return change;
  }
}
