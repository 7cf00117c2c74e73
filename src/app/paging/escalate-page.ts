/**
 * Escalating a page nobody acknowledged (the Escalate button). REST pages move their PagerDuty incident to the
 * next escalation level; Events v2 cannot pick a level, so an Events v2 page gets a new trigger (a new dedup
 * key, marked as an escalation) that calls the service's on-call again. Either way the request is stored
 * with its timeline entry and outbox row in one transaction, and delivered by the outbox worker.
 */
import { DomainError } from '../../domain/errors.js';
import { incidentRef } from '../../domain/incident.js';
import { isOpenPage, type Page } from '../../domain/page.js';
import type { Ports } from '../ports.js';
import { loadIncident, recordEntry } from '../incident/lifecycle-change.js';
import { queuePage } from './page-service.js';
import { requireService } from '../catalog/find-service.js';

export interface EscalationResult {
  /** the page escalated (REST) or the new trigger (Events v2) */
  page: Page;
  via: Page['via'];
}

/**
 * Escalates page `pageId` from level `fromLevel`; throws DomainError when the page is gone, over, already
 * escalated past that level (a second click), or its incident is resolved.
 */
export function escalatePage(
  deps: Ports,
  input: { pageId: number; fromLevel: number; by: string },
): EscalationResult {
  const now = deps.clock.now();
  return deps.store.tx(() => {
    const page = deps.store.pages.get(input.pageId);
    if (!page) throw new DomainError('page.not_found', 'That page no longer exists.');
    const incident = loadIncident(deps, page.incidentNumber);
    if (incident.status === 'resolved') {
      throw new DomainError(
        'page.incident_resolved',
        `${incidentRef(incident.number)} is resolved: there is nothing to escalate.`,
      );
    }
    if (!isOpenPage(page)) {
      throw new DomainError(
        'page.closed',
        `The page to *${page.service}* is ${page.status}. Use \`/incident page ${page.service}\` to page again.`,
      );
    }
    if (page.escalationLevel !== input.fromLevel) {
      throw new DomainError(
        'page.already_escalated',
        `The page to *${page.service}* was already escalated (level ${page.escalationLevel}).`,
      );
    }
    const level = page.escalationLevel + 1;
    if (page.via === 'rest') {
      const updated = deps.store.pages.update(page.id, { escalationLevel: level, escalatedAt: now });
      recordEntry(
        deps,
        {
          incidentNumber: incident.number,
          kind: 'page_event',
          text: `Escalated the page to ${page.service} to level ${level}`,
          actor: input.by,
          occurredAt: now,
          sourceKey: `page-escalated:${page.id}:${level}`,
          meta: { service: page.service, pageId: page.id, event: 'escalate', level },
        },
        now,
      );
      deps.store.outbox.add(
        { incidentNumber: incident.number, kind: 'pagerduty.escalate', payload: { pageId: page.id, level } },
        now,
      );
      return { page: updated, via: 'rest' };
    }
    // The old page is done asking: its prompt is answered (prompted = escalated = now) and its level moves on,
    // so its button cannot escalate twice; the new trigger gets prompts of its own.
    deps.store.pages.update(page.id, { escalationLevel: level, escalatedAt: now, escalationPromptedAt: now });
    const note = `Escalation: the page of ${new Date(page.requestedAt).toISOString()} (${page.dedupKey}) is not acknowledged yet.`;
    const next = queuePage(deps, {
      incident,
      service: requireService(deps, page.service),
      via: 'events',
      message: page.message ? `${note} ${page.message}` : note,
      by: input.by,
      escalationLevel: level,
    });
    return { page: next, via: 'events' };
  });
}
