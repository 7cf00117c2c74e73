import type { ActionItem } from '../../domain/action-item.js';
import type { Incident } from '../../domain/incident.js';
import type { Page } from '../../domain/page.js';
import { type PostmortemData, type PostmortemInput, toPostmortemData } from '../../domain/postmortem.js';
import type { TimelineEntry } from '../../domain/timeline.js';
import { makeTimeFormatters } from './time-format.js';

const T0 = Date.UTC(2025, 2, 14, 9, 0);
const min = (n: number): number => T0 + n * 60_000;

const entry = (
  id: number,
  at: number,
  kind: TimelineEntry['kind'],
  text: string,
  extra: Partial<TimelineEntry> = {},
): TimelineEntry => ({
  id,
  incidentNumber: 42,
  number: id,
  redactedBy: null,
  redactedAt: null,
  kind,
  text,
  originalText: null,
  actor: 'U1',
  occurredAt: at,
  recordedAt: at,
  sourceKey: `sample-${id}`,
  state: 'active',
  meta: {},
  ...extra,
});

/**
 * A resolved incident in which every optional field is filled somewhere (a handed-over role, an
 * edited entry with a file, a deleted message, a redacted note, an acknowledged page, a done action, bookkeeping of every
 * kind, an update that describes the impact, messages in the channel), so a template checked against it
 * has seen every field the view model can hold.
 */
export function samplePostmortemInput(): PostmortemInput {
  const incident: Incident = {
    number: 42,
    title: 'Checkout failing',
    description: 'Payments time out',
    severity: 1,
    status: 'resolved',
    teamId: 'T1',
    channelId: 'C42',
    channelName: 'inc-42-checkout-failing',
    private: false,
    declaredBy: 'U1',
    declaredAt: min(2),
    impactStartedAt: min(0),
    detectedAt: min(1),
    mitigatedAt: min(40),
    resolvedAt: min(90),
    summary: 'Rolled back the gateway config',
    headlineTs: '1.1',
    announceTs: '1.2',
    lastUpdateAt: min(30),
    updatedAt: min(90),
  };
  const page: Page = {
    id: 1,
    incidentNumber: 42,
    service: 'payments',
    via: 'events',
    dedupKey: 'muster-inc-42-payments',
    pdIncidentId: 'PD1',
    status: 'resolved',
    message: 'Checkout failing',
    severity: 1,
    requestedBy: 'U1',
    requestedAt: min(5),
    triggeredAt: min(5),
    acknowledgedAt: min(9),
    acknowledgedBy: 'U3',
    resolvedAt: min(91),
    escalationPromptedAt: null,
    escalationLevel: 0,
  };
  const action: ActionItem = {
    id: 1,
    incidentNumber: 42,
    text: 'Validate gateway config in CI',
    ownerId: 'U2',
    priority: 'p1',
    due: '2025-03-28',
    createdBy: 'U1',
    createdAt: min(95),
    doneAt: min(100),
    doneBy: 'U2',
  };
  return {
    incident,
    timeline: [
      entry(1, min(0), 'message', 'Checkout errors are spiking', {
        originalText: 'Checkout errors',
        meta: {
          permalink: 'https://example.slack.com/archives/C42/p1',
          files: [{ name: 'errors.png', url: 'https://files.example/errors.png', mimetype: 'image/png' }],
          editedAt: min(1),
        },
      }),
      entry(2, min(2), 'declared', 'Declared SEV-1: Checkout failing', { meta: { severity: 1 } }),
      entry(8, min(2), 'role', '<@U1> is Incident Commander', { meta: { role: 'ic', userId: 'U1' } }),
      entry(9, min(2), 'service', 'Service payments attached (owner Payments)', { actor: 'muster' }),
      entry(10, min(2), 'runbook', 'Runbook linked: <https://runbooks.example/payments|Payments runbook>', {
        actor: 'muster',
      }),
      entry(11, min(5), 'page', 'Paged payments: Checkout failing', { meta: { service: 'payments' } }),
      entry(12, min(9), 'page_ack', 'payments page acknowledged by Sam Lee after 4 min', {
        actor: 'pagerduty',
        meta: {
          service: 'payments',
          event: 'incident.acknowledged',
          agent: 'Sam Lee',
          assignees: ['Sam Lee'],
        },
      }),
      entry(13, min(25), 'update', 'Checkout errors for 30% of customers; rollback under way', {
        actor: 'U2',
      }),
      entry(6, min(10), 'message', '', {
        state: 'deleted',
        meta: { permalink: 'https://example.slack.com/archives/C42/p6', files: [], deletedAt: min(12) },
      }),
      entry(7, min(15), 'note', '', { actor: 'U3', redactedBy: 'U2', redactedAt: min(16) }),
      entry(3, min(20), 'status', 'Status: investigating -> identified', {
        meta: { from: 'investigating', to: 'identified' },
      }),
      entry(4, min(40), 'status', 'Status: identified -> monitoring', {
        meta: { from: 'identified', to: 'monitoring' },
      }),
      entry(5, min(90), 'resolved', 'Resolved', { meta: { from: 'monitoring', to: 'resolved' } }),
      entry(14, min(91), 'page_event', 'Resolved the PagerDuty page to payments', {
        actor: 'muster',
        meta: { service: 'payments', event: 'resolved' },
      }),
      entry(15, min(95), 'action', 'Action item (P1): Validate gateway config in CI, owner <@U2>', {
        meta: { actionId: 1 },
      }),
    ],
    roles: [
      { role: 'ic', userId: 'U1', assignedAt: min(2), endedAt: min(30) },
      { role: 'ic', userId: 'U2', assignedAt: min(30), endedAt: null },
    ],
    actions: [action],
    issues: { 1: { key: 'example/payments#118', url: 'https://github.com/example/payments/issues/118' } },
    pages: [page],
    services: ['payments'],
    runbooks: [{ title: 'Payments runbook', url: 'https://runbooks.example/payments', service: 'payments' }],
    authors: [
      { userId: 'U1', messages: 2, firstAt: min(0) },
      { userId: 'U3', messages: 1, firstAt: min(10) },
    ],
    names: { U1: 'Ada Lovelace', U2: 'Grace Hopper', U3: 'Alan Turing' },
  };
}

/** The complete sample view model templates are checked against at start-up. */
export function samplePostmortemData(): PostmortemData {
  return toPostmortemData(samplePostmortemInput(), { now: min(120), ...makeTimeFormatters('UTC') });
}
