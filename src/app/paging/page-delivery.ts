/**
 * The outcomes of delivering outbox rows to PagerDuty, as the outbox worker reports them: each is stored
 * (row delivered, failed or put off, page moved by the status machine, timeline entry) and returned as notices
 * for the worker to tell after the fact, so a slow Slack never holds up the next page.
 */
import type { PagingNotice } from '../../domain/notices.js';
import { type Page, type PageAction, type PageEvent, pageTransition } from '../../domain/page.js';
import type { DeliveryOutcome, OnCall, OutboxRow } from '../../domain/ports.js';
import type { NewEntry } from '../../domain/timeline.js';
import type { Ports } from '../ports.js';
import { recordEntry } from '../incident/lifecycle-change.js';

type DeliveryPorts = Pick<Ports, 'store' | 'clock' | 'log' | 'metrics'>;

const ACTIONS: Record<OutboxRow['kind'], PageAction> = {
  'pagerduty.trigger': 'trigger',
  'pagerduty.resolve': 'resolve',
  'pagerduty.escalate': 'escalate',
};

/** Who is on call for the page's escalation policy, when the REST API can say; null otherwise. */
export async function onCallFor(
  ports: Pick<Ports, 'catalog' | 'config' | 'pager' | 'log'>,
  service: string,
): Promise<OnCall[] | null> {
  const policy = ports.catalog.current?.find(service)?.pagerduty?.rest?.escalationPolicyId;
  if (!policy || !ports.config.PAGERDUTY_API_TOKEN) return null;
  try {
    return await ports.pager.onCall(policy);
  } catch (e) {
    ports.log.warn({ service, err: e }, 'could not read who is on call');
    return null;
  }
}

/** Moves the page as stored now (a webhook may have moved it since the row was read) and records the entries. */
async function transitionStored(
  ports: DeliveryPorts,
  page: Page,
  event: PageEvent,
  now: number,
): Promise<{ page: Page; entries: NewEntry[] }> {
  const current = (await ports.store.pages.get(page.id)) ?? page;
  const t = pageTransition(current, event, now);
  const updated = Object.keys(t.change).length ? await ports.store.pages.update(page.id, t.change) : current;
  for (const entry of t.entries) await recordEntry(ports, entry, now);
  return { page: updated, entries: t.entries };
}

/** A delivery that went through. */
async function sent(
  ports: DeliveryPorts,
  outcome: Extract<DeliveryOutcome, { kind: 'sent' }>,
): Promise<PagingNotice[]> {
  const { row, page } = outcome;
  const now = ports.clock.now();
  const action = ACTIONS[row.kind];
  if (action === 'escalate') {
    await ports.store.outbox.markDelivered(row.id, now);
    ports.metrics.pagesSent.inc({ kind: action, via: page.via });
    const level = row.payload.level ?? page.escalationLevel;
    return [{ kind: 'escalation_delivered', page, level, afterDelay: row.delayNotifiedAt !== null }];
  }
  const event: PageEvent =
    action === 'trigger'
      ? { kind: 'trigger_sent', pagerIncidentId: outcome.pagerIncident?.id ?? null }
      : { kind: 'resolve_sent' };
  const changed = await ports.store.tx(async () => {
    await ports.store.outbox.markDelivered(row.id, now);
    return transitionStored(ports, page, event, now);
  });
  ports.metrics.pagesSent.inc({ kind: action, via: page.via });
  if (action === 'resolve')
    return [{ kind: 'page_resolved', page: changed.page, in: 'muster', entry: changed.entries[0] ?? null }];
  ports.log.info({ incident: page.incidentNumber, page: page.id, service: page.service }, 'page delivered');
  return [
    {
      kind: 'page_delivered',
      page: changed.page,
      pagerIncident: outcome.pagerIncident,
      delayedMs: row.delayNotifiedAt !== null ? now - row.createdAt : null,
    },
  ];
}

/** A delivery that cannot go through yet: the channel is told once per row (never of a resolve). */
async function delayed(
  ports: DeliveryPorts,
  row: OutboxRow,
  page: Page,
  reason: string,
): Promise<PagingNotice[]> {
  if (row.kind === 'pagerduty.resolve') return [];
  if (!(await ports.store.outbox.claimDelayNotice(row.id, ports.clock.now()))) return [];
  return [{ kind: 'page_delayed', page, reason }];
}

/**
 * Stores what became of one delivery and returns what to tell: a trigger taken triggers its page, a resolve
 * resolves it, a refusal fails the row for good (and a refused trigger its page), a failure that may pass puts
 * the row off. Throws when the database fails; the row is then tried again.
 */
export async function applyDeliveryOutcome(
  ports: DeliveryPorts,
  outcome: DeliveryOutcome,
): Promise<PagingNotice[]> {
  switch (outcome.kind) {
    case 'sent':
      return sent(ports, outcome);
    case 'refused': {
      const { row, page, reason } = outcome;
      const now = ports.clock.now();
      const action = ACTIONS[row.kind];
      const event: PageEvent =
        action === 'trigger'
          ? { kind: 'trigger_refused', rowId: row.id, reason }
          : { kind: 'follow_up_refused', action, rowId: row.id, reason };
      const t = pageTransition(page, event, now);
      await ports.store.tx(async () => {
        await ports.store.outbox.markFailed(row.id, reason);
        if (Object.keys(t.change).length) await ports.store.pages.update(page.id, t.change);
        for (const entry of t.entries) await recordEntry(ports, entry, now);
      });
      ports.metrics.pagesFailed.inc({ kind: action, via: page.via });
      ports.log.warn(
        { incident: page.incidentNumber, page: page.id, kind: row.kind, reason },
        'PagerDuty refused; not retrying',
      );
      return [{ kind: 'page_failed', page, action, reason, code: outcome.code }];
    }
    case 'retry': {
      const { row, page, reason } = outcome;
      const updated = await ports.store.outbox.retryLater(row.id, {
        nextAttemptAt: outcome.nextAttemptAt,
        error: reason,
        ...(outcome.maybeSent ? { payload: { ...row.payload, maybeSent: true } } : {}),
      });
      return delayed(ports, updated, page, reason);
    }
    case 'held':
      return delayed(ports, outcome.row, outcome.page, outcome.reason);
    case 'cancelled':
      await ports.store.outbox.cancel(outcome.row.id, outcome.reason);
      return [];
  }
}
