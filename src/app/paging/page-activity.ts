/**
 * PagerDuty webhooks applied to pages: triggered, acknowledged, escalated, reassigned, resolved and annotated
 * for a PagerDuty incident one of our pages opened become timeline entries, page status (acknowledgedAt feeds
 * time to acknowledge), a headline refresh and a line in the channel. A webhook was stored before it was
 * answered; here it is applied once: the changes and the "processed" mark share one transaction.
 */
import { pageActivityMessage } from '../../adapters/slack/blocks/page-messages.js';
import { parsePagerDutyWebhook, type PagerDutyWebhookEvent } from '../../adapters/pagerduty/webhook-event.js';
import type { EntryKind } from '../../domain/timeline.js';
import type { Page } from '../../domain/page.js';
import type { ChatMessage } from '../../domain/ports.js';
import { formatDuration } from '../../domain/duration.js';
import type { Ports } from '../ports.js';
import { publish } from '../../adapters/slack/notices/broadcast.js';
import type { PagePatch } from '../../domain/ports.js';

interface Outcome {
  incidentNumber: number;
  /** null: only the headline changes */
  message: ChatMessage | null;
}

/** Finds our page: by PagerDuty incident id, else by incident key (an Events v2 page learns its id here). */
function pageFor(deps: Ports, event: PagerDutyWebhookEvent): Page | null {
  const inc = event.incident;
  if (!inc) return null;
  return (
    deps.store.pages.byPdIncidentId(inc.id) ??
    (inc.incidentKey ? deps.store.pages.byDedupKey(inc.incidentKey) : null)
  );
}

/** The stored changes of one event; null when it concerns no page of ours or a type we do not handle. */
function apply(deps: Ports, event: PagerDutyWebhookEvent): Outcome | null {
  const log = deps.log.child({ pagerDutyEvent: event.id, type: event.rawEventType });
  if (event.eventType === 'unknown') {
    log.info('PagerDuty event of a type Muster does not handle; ignored');
    return null;
  }
  const page = pageFor(deps, event);
  const inc = event.incident!;
  if (!page) {
    log.info({ pdIncident: inc.id }, 'PagerDuty event for an incident Muster did not page; ignored');
    return null;
  }
  const at = event.occurredAt;
  const agent = event.agent?.summary ?? null;
  const assignees = inc.assignees.map((a) => a.summary).join(', ');
  const pd = inc.number ? `PagerDuty #${inc.number}` : 'PagerDuty';
  const s = page.service;
  const patch: PagePatch = page.pdIncidentId ? {} : { pdIncidentId: inc.id };
  let entry: { kind: EntryKind; text: string } | null = null;
  let emoji = ':pager:';
  let tell = true;
  switch (event.eventType) {
    case 'incident.triggered':
      if (page.status === 'pending') patch.status = 'triggered';
      patch.triggeredAt = page.triggeredAt ?? at;
      entry = {
        kind: 'page_event',
        text: `${pd} opened for ${s}${assignees ? `, assigned to ${assignees}` : ''}`,
      };
      // the delivery confirmation already told the channel
      tell = false;
      break;
    case 'incident.acknowledged': {
      const who = agent ?? inc.assignees[0]?.summary ?? 'someone';
      if (page.status !== 'resolved') patch.status = 'acknowledged';
      patch.acknowledgedAt = page.acknowledgedAt ?? at;
      patch.acknowledgedBy = who;
      const after = page.acknowledgedAt === null ? ` after ${formatDuration(at - page.requestedAt)}` : '';
      entry = { kind: 'page_ack', text: `${s} page acknowledged by ${who}${after}` };
      emoji = ':eyes:';
      break;
    }
    case 'incident.escalated':
      if (page.status !== 'resolved') patch.status = 'triggered';
      entry = {
        kind: 'page_event',
        text: `${s} page escalated in PagerDuty${assignees ? ` to ${assignees}` : ''}`,
      };
      emoji = ':arrow_double_up:';
      break;
    case 'incident.reassigned':
      entry = {
        kind: 'page_event',
        text: `${s} page reassigned${assignees ? ` to ${assignees}` : ''}${agent ? ` by ${agent}` : ''}`,
      };
      emoji = ':busts_in_silhouette:';
      break;
    case 'incident.resolved':
      // Our own resolve was recorded when it was delivered; PagerDuty confirming it adds nothing.
      if (page.status === 'resolved') break;
      patch.status = 'resolved';
      patch.resolvedAt = at;
      entry = { kind: 'page_event', text: `${s} page resolved in PagerDuty${agent ? ` by ${agent}` : ''}` };
      emoji = ':white_check_mark:';
      break;
    case 'incident.annotated':
      entry = {
        kind: 'page_event',
        text: `Note on the ${s} page${agent ? ` by ${agent}` : ''}: ${event.note ?? ''}`,
      };
      emoji = ':memo:';
      break;
  }
  if (Object.keys(patch).length) deps.store.pages.update(page.id, patch);
  if (entry) {
    deps.store.timeline.add(
      {
        incidentNumber: page.incidentNumber,
        kind: entry.kind,
        text: entry.text,
        actor: 'pagerduty',
        occurredAt: at,
        sourceKey: `pd:${event.id}`,
        meta: {
          service: s,
          pageId: page.id,
          event: event.eventType,
          pdIncidentId: inc.id,
          ...(agent ? { agent } : {}),
        },
      },
      deps.clock.now(),
    );
  }
  log.info({ incident: page.incidentNumber, page: page.id }, 'PagerDuty event applied');
  return {
    incidentNumber: page.incidentNumber,
    message: entry && tell ? pageActivityMessage(emoji, entry.text) : null,
  };
}

/**
 * Applies one stored webhook (body as received) unless it was applied before, then tells the channel and
 * refreshes the headline. Throws when the database fails: the webhook stays unprocessed for the next sweep.
 */
export async function applyPagerDutyWebhook(deps: Ports, eventId: string, body: string): Promise<void> {
  const parsed = parsePagerDutyWebhook(body);
  let outcome: Outcome | null;
  try {
    outcome = deps.store.tx(() => {
      if (deps.store.inbound.isProcessed('pagerduty', eventId)) return null;
      const o = parsed.ok ? apply(deps, parsed.event) : null;
      if (!parsed.ok)
        deps.log.warn(
          { pagerDutyEvent: eventId, error: parsed.error },
          'stored PagerDuty webhook is unreadable; dropped',
        );
      deps.store.inbound.markProcessed('pagerduty', eventId, deps.clock.now());
      return o;
    });
  } catch (e) {
    deps.metrics.eventsReceived.inc({ source: 'pagerduty', outcome: 'failed' });
    deps.store.inbound.markFailed('pagerduty', eventId, e instanceof Error ? e.message : String(e));
    throw e;
  }
  deps.metrics.eventsReceived.inc({ source: 'pagerduty', outcome: 'processed' });
  if (outcome)
    await publish(deps, outcome.incidentNumber, outcome.message ? { channel: outcome.message } : {});
}

/** Applies every stored webhook not applied yet (after a restart, or retrying failures), oldest first. */
export async function applyPendingPagerDutyWebhooks(deps: Ports): Promise<void> {
  for (const w of deps.store.inbound.pending('pagerduty')) {
    try {
      await applyPagerDutyWebhook(deps, w.eventId, w.body);
    } catch (e) {
      deps.log.error(
        { pagerDutyEvent: w.eventId, err: e },
        'applying a stored PagerDuty webhook failed; it will be retried',
      );
    }
  }
}
