/**
 * Tracker webhooks (GitHub, Jira, Linear) applied to action items. The receiver (adapters/trackers/
 * webhook-route.ts) stored the delivery in the inbox before answering; here it is applied once: the action's
 * change, its timeline entry and the "processed" mark share one transaction. A delivery about an issue Muster
 * did not create is marked processed and tells nothing. A failure counts an attempt, so the periodic sweep of
 * any instance applies it again (`applyPendingTrackerWebhooks`).
 */

import type { FollowUpNotice } from '../../domain/notices.js';
import {
  type TrackerIssueChange,
  type TrackerKind,
  type TrackerWebhook,
  TrackerWebhookError,
} from '../../domain/ports/tracker.js';
import { INBOX_LEASE_MS } from '../../runtime/instance.js';
import type { Ports } from '../ports.js';
import { syncIssue } from './sync-issue.js';

/** What an inbox row of a tracker delivery holds: its raw body and the headers its parser reads. */
export interface StoredTrackerDelivery {
  headers: Record<string, string>;
  body: string;
}

/** The inbox row of a delivery: the raw body, and of its headers only those named in `keep`. */
export function storedTrackerDelivery(
  headers: Record<string, string | undefined>,
  keep: readonly string[],
  body: string,
): string {
  const wanted = new Set(keep.map((k) => k.toLowerCase()));
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined && wanted.has(k.toLowerCase())) kept[k] = v;
  return JSON.stringify({ headers: kept, body } satisfies StoredTrackerDelivery);
}

/** Reads an inbox row written by `storedTrackerDelivery`; throws TrackerWebhookError for anything else. */
export function readStoredTrackerDelivery(row: string): StoredTrackerDelivery {
  let v: unknown;
  try {
    v = JSON.parse(row);
  } catch {
    throw new TrackerWebhookError('stored delivery is not JSON');
  }
  const d = v as Partial<StoredTrackerDelivery> | null;
  if (!d || typeof d.body !== 'string' || !d.headers || typeof d.headers !== 'object')
    throw new TrackerWebhookError('stored delivery has no body or headers');
  return { headers: d.headers, body: d.body };
}

type ApplyPorts = Pick<Ports, 'store' | 'chat' | 'clock' | 'log' | 'metrics'>;

/**
 * Applies one delivery's change unless it was applied before, and returns what to tell. `eventId` is the
 * inbox row's id (the delivery id). Throws when the store fails, after counting the failed attempt.
 */
export async function applyIssueChange(
  ports: ApplyPorts,
  change: TrackerIssueChange,
  eventId: string = change.deliveryId,
): Promise<FollowUpNotice[]> {
  const source = change.tracker;
  const { inbound } = ports.store;
  const log = ports.log.child({ tracker: source, delivery: eventId, issue: change.key });
  // Marks it processed in the sync's transaction; false when another apply got there first.
  const claim = async () => {
    if (await inbound.isProcessed(source, eventId)) return false;
    await inbound.markProcessed(source, eventId, ports.clock.now());
    return true;
  };
  let notices: FollowUpNotice[];
  try {
    if (await inbound.isProcessed(source, eventId)) return [];
    const followUp = await ports.store.followUps.findByIssue({ tracker: source, issueId: change.issueId });
    if (!followUp) {
      await ports.store.tx(claim);
      log.info('tracker delivery about an issue Muster did not create; ignored');
      notices = [];
    } else {
      notices = await syncIssue(
        ports,
        {
          followUp,
          report: {
            closed: change.closed,
            ...(change.assignee !== undefined ? { assignee: change.assignee } : {}),
            actorName: change.actorName,
            occurredAt: change.occurredAt,
          },
          via: 'webhook',
          reportKey: eventId,
        },
        claim,
      );
    }
  } catch (e) {
    ports.metrics.eventsReceived.inc({ source, outcome: 'failed' });
    await inbound.markFailed(source, eventId, e instanceof Error ? e.message : String(e));
    throw e;
  }
  ports.metrics.eventsReceived.inc({ source, outcome: 'processed' });
  return notices;
}

/**
 * Reads a stored delivery with its tracker's webhook and applies it; one that no longer reads (stored by an
 * older version, say) is marked processed and logged, never retried for ever.
 */
export async function applyStoredTrackerWebhook(
  ports: ApplyPorts,
  webhook: TrackerWebhook,
  eventId: string,
  row: string,
): Promise<FollowUpNotice[]> {
  let change: TrackerIssueChange | null;
  try {
    const d = readStoredTrackerDelivery(row);
    change = webhook.parse(d.headers, d.body);
  } catch (e) {
    if (!(e instanceof TrackerWebhookError)) throw e;
    ports.log.warn(
      { tracker: webhook.kind, delivery: eventId, error: e.message },
      'stored tracker delivery is unreadable; dropped',
    );
    change = null;
  }
  if (!change) {
    await ports.store.inbound.markProcessed(webhook.kind, eventId, ports.clock.now());
    return [];
  }
  return applyIssueChange(ports, change, eventId);
}

/** Stored deliveries claimed per tracker and sweep. */
const SWEEP_BATCH = 100;

/**
 * Claims for `owner` the stored deliveries of each tracker that nobody holds (left by a stopped instance, or
 * whose applying failed), applies them oldest first, and tells what they changed. A failure is logged and
 * left for the next sweep.
 */
export async function applyPendingTrackerWebhooks(
  ports: ApplyPorts & Pick<Ports, 'notifier'>,
  owner: string,
  setups: readonly { webhook: TrackerWebhook }[],
): Promise<void> {
  for (const { webhook } of setups) {
    const kind: TrackerKind = webhook.kind;
    const now = ports.clock.now();
    const claimed = await ports.store.inbound.claimStale(kind, {
      owner,
      now,
      until: now + INBOX_LEASE_MS,
      receivedBefore: now,
      limit: SWEEP_BATCH,
    });
    for (const row of claimed) {
      try {
        await ports.notifier.notify(await applyStoredTrackerWebhook(ports, webhook, row.eventId, row.body));
      } catch (e) {
        ports.log.error(
          { tracker: kind, delivery: row.eventId, err: e },
          'applying a stored tracker delivery failed; it will be retried',
        );
      }
    }
  }
}
