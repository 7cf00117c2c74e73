/**
 * Escalating a page nobody acknowledged (the Escalate button). REST pages move their PagerDuty incident to the
 * next escalation level; Events v2 cannot pick a level, so an Events v2 page gets a new trigger (a new dedup
 * key, marked as an escalation) that calls the service's on-call again. Either way the request is stored
 * with its timeline entry and outbox row in one transaction; the `escalation_requested` notice says the
 * delivery is due.
 */
import { DomainError } from '../../domain/errors.js';
import { incidentRef } from '../../domain/incident.js';
import type { PagingNotice } from '../../domain/notices.js';
import { type Page, type PageVia, pageTransition } from '../../domain/page.js';
import type { Ports } from '../ports.js';
import { loadIncident, recordEntry } from '../incident/lifecycle-change.js';
import { checkResponder } from '../incident/responders.js';
import { queuePage } from './page-service.js';
import { requireService } from '../catalog/find-service.js';

export interface EscalationResult {
  /** the page escalated (REST) or the new trigger (Events v2) */
  page: Page;
  via: PageVia;
  notices: PagingNotice[];
}

/**
 * Escalates page `pageId` from level `fromLevel`; throws DomainError when the page is gone, over, already
 * escalated past that level (a second click), its incident is resolved, or INCIDENT_POLICY keeps escalating
 * for the responders.
 */
export async function escalatePage(
  ports: Pick<Ports, 'store' | 'clock' | 'log' | 'catalog' | 'config'>,
  input: { pageId: number; fromLevel: number; by: string },
): Promise<EscalationResult> {
  const now = ports.clock.now();
  return ports.store.tx(async (): Promise<EscalationResult> => {
    const page = await ports.store.pages.get(input.pageId);
    if (!page) throw new DomainError('page.not_found', 'That page no longer exists.');
    const incident = await loadIncident(ports, page.incidentNumber);
    await checkResponder(ports, incident, 'escalate', input.by);
    if (incident.status === 'resolved') {
      throw new DomainError(
        'page.incident_resolved',
        `${incidentRef(incident.number)} is resolved: there is nothing to escalate.`,
      );
    }
    const t = pageTransition(page, { kind: 'escalate', fromLevel: input.fromLevel, by: input.by }, now);
    const updated = await ports.store.pages.update(page.id, t.change);
    for (const entry of t.entries) await recordEntry(ports, entry, now);
    const done = (next: Page, via: PageVia): EscalationResult => ({
      page: next,
      via,
      notices: [{ kind: 'escalation_requested', page: next, by: input.by, via }],
    });
    if (page.via === 'rest') {
      await ports.store.outbox.add(
        {
          incidentNumber: incident.number,
          kind: 'pagerduty.escalate',
          payload: { pageId: page.id, level: updated.escalationLevel },
        },
        now,
      );
      return done(updated, 'rest');
    }
    const note = `Escalation: the page of ${new Date(page.requestedAt).toISOString()} (${page.dedupKey}) is not acknowledged yet.`;
    const next = await queuePage(ports, {
      incident,
      service: requireService(ports, page.service),
      via: 'events',
      message: page.message ? `${note} ${page.message}` : note,
      by: input.by,
      escalationLevel: updated.escalationLevel,
    });
    return done(next, 'events');
  });
}
