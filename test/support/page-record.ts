/** A page as the store holds it: the test names what it is about; no acknowledgement, resolve or prompt yet. */
import type { Page } from '../../src/domain/page.js';

type Named = Pick<
  Page,
  | 'id'
  | 'incidentNumber'
  | 'service'
  | 'dedupKey'
  | 'status'
  | 'severity'
  | 'requestedBy'
  | 'requestedAt'
  | 'triggeredAt'
  | 'escalationLevel'
>;

/** An Events API page with no PagerDuty incident, message, acknowledgement, resolve or escalation prompt. */
export function pageRecord(fields: Named & Partial<Page>): Page {
  return {
    via: 'events',
    pdIncidentId: null,
    message: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    escalationPromptedAt: null,
    ...fields,
  };
}
