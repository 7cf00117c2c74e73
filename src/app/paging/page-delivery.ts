/**
 * The outcomes of delivering outbox rows to PagerDuty, as the outbox worker reports them: each is stored
 * first (row delivered or failed, page updated, timeline entry) and then told in the incident channel after
 * the fact, in the background, so a slow Slack never holds up the next page.
 */
import type { OutboxRow } from '../../domain/ports.js';
import {
  type OnCallLine,
  pageDelayedMessage,
  pageDeliveredMessage,
  pageFailedMessage,
} from '../../adapters/slack/blocks/page-messages.js';
import type { Page } from '../../domain/page.js';
import type { ChatMessage } from '../../domain/ports.js';
import type { Ports } from '../ports.js';
import { publish } from '../../adapters/slack/notices/broadcast.js';
import { recordEntry } from '../incident/lifecycle-change.js';

/** What PagerDuty said about the incident a REST page opened. */
export interface PagerDutyIncidentRef {
  id: string;
  number: number | null;
  url: string | null;
}

const KIND_WORDS: Record<OutboxRow['kind'], string> = {
  'pagerduty.trigger': 'page',
  'pagerduty.resolve': 'resolve the page to',
  'pagerduty.escalate': 'escalate the page to',
};

/** Tells the channel (and refreshes the headline) in the background; a Slack failure is logged by publish. */
function tell(deps: Ports, incidentNumber: number, label: string, message: ChatMessage | null): void {
  deps.afterAck.run(label, () => publish(deps, incidentNumber, message ? { channel: message } : {}));
}

/** Who is on call for the page's escalation policy, when the REST API can say; null otherwise. */
export async function onCallFor(deps: Ports, service: string): Promise<OnCallLine[] | null> {
  const policy = deps.catalog.current?.find(service)?.pagerduty?.rest?.escalationPolicyId;
  if (!policy || !deps.config.PAGERDUTY_API_TOKEN) return null;
  try {
    const list = await deps.pagerduty.client.onCalls(policy);
    return list.map((o) => ({ level: o.level, name: o.user.name }));
  } catch (e) {
    deps.log.warn({ service, err: e }, 'could not read who is on call');
    return null;
  }
}

/** A trigger went through: the page is triggered (and linked to its REST incident); the channel is told who is on call. */
export function triggerDelivered(
  deps: Ports,
  row: OutboxRow,
  page: Page,
  pd: PagerDutyIncidentRef | null,
): void {
  const now = deps.clock.now();
  const updated = deps.store.tx(() => {
    deps.store.outbox.markDelivered(row.id, now);
    const current = deps.store.pages.get(page.id) ?? page;
    return deps.store.pages.update(page.id, {
      // a webhook may have moved the page on already (acknowledged before we stored the delivery)
      status: current.status === 'pending' ? 'triggered' : current.status,
      triggeredAt: current.triggeredAt ?? now,
      pdIncidentId: current.pdIncidentId ?? pd?.id ?? null,
    });
  });
  deps.metrics.pagesSent.inc({ kind: 'trigger', via: page.via });
  deps.log.info({ incident: page.incidentNumber, page: page.id, service: page.service }, 'page delivered');
  const delayedMs = row.delayNotifiedAt !== null ? now - row.createdAt : null;
  deps.afterAck.run('announce page', async () => {
    const onCall = await onCallFor(deps, page.service);
    await publish(deps, page.incidentNumber, {
      channel: pageDeliveredMessage({
        page: updated,
        onCall,
        pdIncident: pd ? { number: pd.number, url: pd.url } : null,
        delayedMs,
      }),
    });
  });
}

/** A resolve went through: the page is resolved and the timeline says so. */
export function resolutionDelivered(deps: Ports, row: OutboxRow, page: Page): void {
  const now = deps.clock.now();
  deps.store.tx(() => {
    deps.store.outbox.markDelivered(row.id, now);
    const current = deps.store.pages.get(page.id) ?? page;
    if (current.status === 'resolved') return;
    deps.store.pages.update(page.id, { status: 'resolved', resolvedAt: now });
    recordEntry(
      deps,
      {
        incidentNumber: page.incidentNumber,
        kind: 'page_event',
        text: `Resolved the PagerDuty page to ${page.service}`,
        actor: 'muster',
        occurredAt: now,
        sourceKey: `page-resolved:${page.id}`,
        meta: { service: page.service, pageId: page.id, event: 'resolved' },
      },
      now,
    );
  });
  deps.metrics.pagesSent.inc({ kind: 'resolve', via: page.via });
  tell(deps, page.incidentNumber, 'refresh the headline after resolving a page', null);
}

/** An escalation went through; the channel hears again only when it had been told of a delay. */
export function escalationDelivered(deps: Ports, row: OutboxRow, page: Page): void {
  deps.store.outbox.markDelivered(row.id, deps.clock.now());
  deps.metrics.pagesSent.inc({ kind: 'escalate', via: page.via });
  if (row.delayNotifiedAt !== null) {
    tell(deps, page.incidentNumber, 'announce escalation', {
      text: `:white_check_mark: The escalation of *${page.service}* reached PagerDuty (level ${row.payload.level ?? page.escalationLevel}).`,
    });
  }
}

/** PagerDuty refused for good: the row is failed (never retried), a failed trigger fails its page, the channel is told. */
export function deliveryFailed(deps: Ports, row: OutboxRow, page: Page, reason: string, hint: string): void {
  const now = deps.clock.now();
  deps.store.tx(() => {
    deps.store.outbox.markFailed(row.id, reason);
    if (row.kind === 'pagerduty.trigger') deps.store.pages.update(page.id, { status: 'failed' });
    recordEntry(
      deps,
      {
        incidentNumber: page.incidentNumber,
        kind: 'page_event',
        text: `PagerDuty refused to ${KIND_WORDS[row.kind]} ${page.service}: ${reason}`,
        actor: 'muster',
        occurredAt: now,
        sourceKey: `outbox-failed:${row.id}`,
        meta: { service: page.service, pageId: page.id, event: 'failed', reason },
      },
      now,
    );
  });
  deps.metrics.pagesFailed.inc({ kind: row.kind.replace('pagerduty.', ''), via: page.via });
  deps.log.warn(
    { incident: page.incidentNumber, page: page.id, kind: row.kind, reason },
    'PagerDuty refused; not retrying',
  );
  tell(
    deps,
    page.incidentNumber,
    'announce failed page',
    pageFailedMessage(page.service, KIND_WORDS[row.kind], reason, hint),
  );
}

/** A page (or escalation) could not be delivered yet: the channel is told once per row. */
export function deliveryDelayed(deps: Ports, row: OutboxRow, page: Page, reason: string): void {
  if (row.kind === 'pagerduty.resolve') return;
  if (!deps.store.outbox.claimDelayNotice(row.id, deps.clock.now())) return;
  tell(deps, page.incidentNumber, 'announce delayed page', pageDelayedMessage(page.service, reason));
}
