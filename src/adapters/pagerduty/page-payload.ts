/**
 * What a page says to PagerDuty: the Events v2 trigger (summary, severity, source, links, custom details) and
 * the REST incident (title, urgency, incident key, details). Pure: built from stored facts at delivery time,
 * so a page queued before the channel existed still links to it once it does.
 */
import { incidentRef, type Incident, severityLabel, slackChannelUrl } from '../../domain/incident.js';
import { PD_SEVERITY, type Page } from '../../domain/page.js';
import type { PageContext } from '../../domain/ports.js';
import { slackToPlain } from '../render/slack-text.js';
import type { NewPagerDutyIncident, PagerDutyEvent } from './client.js';

/**
 * `INC-7: checkout returns 500s (SEV-1)`, or `INC-7 (private): SEV-1` for a private incident, prefixed for an escalation so
 * responders see it is a second call.
 */
export function pageSummary(page: Page, incident: Incident): string {
  // the title is Slack text (`&lt;`, `<@U1|ada>`); PagerDuty shows plain text
  // a private incident's page names neither its title nor anything said in its channel
  const base = incident.private
    ? `${incidentRef(incident.number)} (private): ${severityLabel(incident.severity)}`
    : `${incidentRef(incident.number)}: ${slackToPlain(incident.title, {})} (${severityLabel(incident.severity)})`;
  const summary = page.escalationLevel > 1 ? `[escalation] ${base}` : base;
  // PagerDuty truncates summaries at 1024 characters; cut ourselves so the severity stays visible.
  return summary.length > 1024 ? `${summary.slice(0, 1021)}...` : summary;
}

const details = (page: Page, ctx: PageContext): Record<string, unknown> => {
  const channel = ctx.incident.channelName ? `#${ctx.incident.channelName}` : null;
  return {
    incident: incidentRef(ctx.incident.number),
    severity: severityLabel(ctx.incident.severity),
    status: ctx.incident.status,
    ...(ctx.commander ? { commander: ctx.commander } : {}),
    ...(channel ? { channel } : {}),
    ...(slackChannelUrl(ctx.incident) ? { channel_url: slackChannelUrl(ctx.incident) } : {}),
    // the words of a private incident's page stay in its channel, where the responder is invited
    ...(page.message && !ctx.incident.private ? { message: page.message } : {}),
    ...(ctx.requester ? { paged_by: ctx.requester } : {}),
  };
};

/** The Events API v2 trigger of a page; its dedup key makes a repeated delivery a no-op at PagerDuty. */
export function triggerEvent(routingKey: string, page: Page, ctx: PageContext): PagerDutyEvent {
  const url = slackChannelUrl(ctx.incident);
  return {
    routingKey,
    action: 'trigger',
    dedupKey: page.dedupKey,
    payload: {
      summary: pageSummary(page, ctx.incident),
      source: `muster:${incidentRef(ctx.incident.number)}`,
      severity: PD_SEVERITY[ctx.incident.severity],
      timestamp: new Date(page.requestedAt).toISOString(),
      component: page.service,
      ...(ctx.team ? { group: ctx.team } : {}),
      class: 'incident',
      customDetails: details(page, ctx),
    },
    ...(url
      ? {
          links: [
            {
              href: url,
              text: `Slack: ${ctx.incident.channelName ? `#${ctx.incident.channelName}` : 'incident channel'}`,
            },
          ],
          clientUrl: url,
        }
      : {}),
    client: 'Muster',
  };
}

/** The Events API v2 resolve of a page (same dedup key as its trigger). */
export const resolveEvent = (routingKey: string, page: Page): PagerDutyEvent => ({
  routingKey,
  action: 'resolve',
  dedupKey: page.dedupKey,
});

/** The REST incident of a page: urgency high for sev1 and sev2, the dedup key as incident key. */
export function restIncident(
  target: { serviceId: string; escalationPolicyId: string },
  page: Page,
  ctx: PageContext,
): NewPagerDutyIncident {
  const lines = Object.entries(details(page, ctx)).map(([k, v]) => `${k}: ${String(v)}`);
  return {
    serviceId: target.serviceId,
    escalationPolicyId: target.escalationPolicyId,
    title: pageSummary(page, ctx.incident),
    urgency: ctx.incident.severity <= 2 ? 'high' : 'low',
    incidentKey: page.dedupKey,
    body: lines.join('\n'),
  };
}
