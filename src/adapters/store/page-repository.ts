/** PagerDuty pages: one row per page of a service in an incident (see domain/page.ts). Synchronous. */
import type { PageRepo } from '../../domain/ports/store.js';
import type { Synchronous } from './serial-store.js';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Severity } from '../../domain/incident.js';
import type { Page, PageStatus } from '../../domain/page.js';
import type { Db } from './db.js';
import { pages } from './schema.js';
import type { NewPage, PagePatch } from '../../domain/ports/store.js';
export type { NewPage, PagePatch };

type Row = typeof pages.$inferSelect;

export const toPage = (r: Row): Page => ({
  id: r.id,
  incidentNumber: r.incidentNumber,
  service: r.service,
  via: r.via as Page['via'],
  dedupKey: r.dedupKey,
  pdIncidentId: r.pdIncidentId,
  status: r.status as PageStatus,
  message: r.message,
  severity: r.severity as Severity,
  requestedBy: r.requestedBy,
  requestedAt: r.requestedAt,
  triggeredAt: r.triggeredAt,
  acknowledgedAt: r.acknowledgedAt,
  acknowledgedBy: r.acknowledgedBy,
  resolvedAt: r.resolvedAt,
  escalationPromptedAt: r.escalationPromptedAt,
  escalationLevel: r.escalationLevel,
  escalatedAt: r.escalatedAt,
});

export class PageRepository implements Synchronous<PageRepo> {
  constructor(private readonly db: Db) {}

  /** Inserts a pending page; a dedup key already taken throws (the caller picks the key). */
  create(p: NewPage): Page {
    return toPage(
      this.db
        .insert(pages)
        .values({ ...p, status: 'pending' })
        .returning()
        .get(),
    );
  }

  get(id: number): Page | null {
    const r = this.db.select().from(pages).where(eq(pages.id, id)).get();
    return r ? toPage(r) : null;
  }

  /** Every page of an incident, oldest first (the postmortem reads them for time to acknowledge). */
  list(incidentNumber: number): Page[] {
    return this.db
      .select()
      .from(pages)
      .where(eq(pages.incidentNumber, incidentNumber))
      .orderBy(asc(pages.id))
      .all()
      .map(toPage);
  }

  /** The pages of one service in an incident, oldest first. */
  forService(incidentNumber: number, service: string): Page[] {
    return this.db
      .select()
      .from(pages)
      .where(and(eq(pages.incidentNumber, incidentNumber), eq(pages.service, service)))
      .orderBy(asc(pages.id))
      .all()
      .map(toPage);
  }

  byDedupKey(dedupKey: string): Page | null {
    const r = this.db.select().from(pages).where(eq(pages.dedupKey, dedupKey)).get();
    return r ? toPage(r) : null;
  }

  byPdIncidentId(pdIncidentId: string): Page | null {
    const r = this.db.select().from(pages).where(eq(pages.pdIncidentId, pdIncidentId)).get();
    return r ? toPage(r) : null;
  }

  /** Pages in one of these statuses, oldest first. */
  withStatus(statuses: PageStatus[]): Page[] {
    return this.db
      .select()
      .from(pages)
      .where(inArray(pages.status, statuses))
      .orderBy(asc(pages.id))
      .all()
      .map(toPage);
  }

  update(id: number, patch: PagePatch): Page {
    const r = this.db.update(pages).set(patch).where(eq(pages.id, id)).returning().get();
    if (!r) throw new Error(`page ${id} does not exist`);
    return toPage(r);
  }

  swapEscalationPrompt(id: number, expected: number | null, next: number | null): Page | null {
    const r = this.db
      .update(pages)
      .set({ escalationPromptedAt: next })
      .where(
        and(
          eq(pages.id, id),
          eq(pages.status, 'triggered'),
          expected === null ? isNull(pages.escalationPromptedAt) : eq(pages.escalationPromptedAt, expected),
        ),
      )
      .returning()
      .get();
    return r ? toPage(r) : null;
  }
}
