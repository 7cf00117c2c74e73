/** PagerDuty pages on PostgreSQL: one row per page of a service in an incident (see domain/page.ts). */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Page, PageStatus } from '../../../domain/page.js';
import type { NewPage, PagePatch, PageRepo } from '../../../domain/ports/store.js';
import { violates } from './errors.js';
import { refusable } from './locks.js';
import { pages } from './schema.js';
import type { PgSession } from './session.js';
import { toPage } from '../page-repository.js';

export class PgPageRepository implements PageRepo {
  constructor(private readonly session: PgSession) {}

  /**
   * Inserts a pending page; a dedup key already taken throws (the caller picks the key), with the message
   * SQLite gives, so logs and callers read the same refusal on either engine. The driver's error is its cause.
   * Inside `store.tx`, the insert has a savepoint of its own, so a refusal the caller catches leaves the rest
   * of the transaction as it was.
   */
  async create(p: NewPage): Promise<Page> {
    try {
      const [added] = await refusable(this.session, () =>
        this.session
          .db()
          .insert(pages)
          .values({ ...p, status: 'pending' })
          .returning(),
      );
      return toPage(added!);
    } catch (e) {
      if (violates(e, 'pages_dedup'))
        throw new Error('UNIQUE constraint failed: pages.dedup_key', { cause: e });
      throw e;
    }
  }

  async get(id: number): Promise<Page | null> {
    const [r] = await this.session.db().select().from(pages).where(eq(pages.id, id));
    return r ? toPage(r) : null;
  }

  /** Every page of an incident, oldest first (the postmortem reads them for time to acknowledge). */
  async list(incidentNumber: number): Promise<Page[]> {
    const rows = await this.session
      .db()
      .select()
      .from(pages)
      .where(eq(pages.incidentNumber, incidentNumber))
      .orderBy(asc(pages.id));
    return rows.map(toPage);
  }

  /** The pages of one service in an incident, oldest first. */
  async forService(incidentNumber: number, service: string): Promise<Page[]> {
    const rows = await this.session
      .db()
      .select()
      .from(pages)
      .where(and(eq(pages.incidentNumber, incidentNumber), eq(pages.service, service)))
      .orderBy(asc(pages.id));
    return rows.map(toPage);
  }

  async byDedupKey(dedupKey: string): Promise<Page | null> {
    const [r] = await this.session.db().select().from(pages).where(eq(pages.dedupKey, dedupKey));
    return r ? toPage(r) : null;
  }

  /** The page PagerDuty knows by this incident id; the oldest when several carry it (SQLite's rowid order). */
  async byPdIncidentId(pdIncidentId: string): Promise<Page | null> {
    const [r] = await this.session
      .db()
      .select()
      .from(pages)
      .where(eq(pages.pdIncidentId, pdIncidentId))
      .orderBy(asc(pages.id))
      .limit(1);
    return r ? toPage(r) : null;
  }

  /** Pages in one of these statuses, oldest first. */
  async withStatus(statuses: PageStatus[]): Promise<Page[]> {
    if (statuses.length === 0) return [];
    const rows = await this.session
      .db()
      .select()
      .from(pages)
      .where(inArray(pages.status, statuses))
      .orderBy(asc(pages.id));
    return rows.map(toPage);
  }

  /** Applies a patch (members left undefined are not written); an unknown page or an empty patch throws. */
  async update(id: number, patch: PagePatch): Promise<Page> {
    const [r] = await this.session.db().update(pages).set(patch).where(eq(pages.id, id)).returning();
    if (!r) throw new Error(`page ${id} does not exist`);
    return toPage(r);
  }

  async swapEscalationPrompt(id: number, expected: number | null, next: number | null): Promise<Page | null> {
    const [r] = await this.session
      .db()
      .update(pages)
      .set({ escalationPromptedAt: next })
      .where(
        and(
          eq(pages.id, id),
          eq(pages.status, 'triggered'),
          expected === null ? isNull(pages.escalationPromptedAt) : eq(pages.escalationPromptedAt, expected),
        ),
      )
      .returning();
    return r ? toPage(r) : null;
  }
}
