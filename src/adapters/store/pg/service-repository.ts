/**
 * Services attached to incidents (`incident_services`) and the runbooks linked to them (`runbook_links`), on
 * PostgreSQL. Both inserts are idempotent: the primary key and the unique (incident, url) index turn a repeat
 * into nothing (`on conflict do nothing`, so the repeat does not abort the transaction around it). An incident
 * that does not exist still throws: that is the foreign key, not a conflict.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type {
  AttachedService,
  NewRunbookLink,
  RunbookLink,
  ServiceRepo,
} from '../../../domain/ports/store.js';
import { incidentServices, runbookLinks } from './schema.js';
import type { PgSession } from './session.js';

export class PgServiceRepository implements ServiceRepo {
  constructor(private readonly session: PgSession) {}

  /** Attaches a service; false when it was already attached. */
  async attach(incidentNumber: number, service: string, at: number): Promise<boolean> {
    const attached = await this.session
      .db()
      .insert(incidentServices)
      .values({ incidentNumber, service, attachedAt: at })
      .onConflictDoNothing()
      .returning({ service: incidentServices.service });
    return attached.length > 0;
  }

  /**
   * The incident's services, in the order they were attached; services attached at the same millisecond by
   * name, in byte order as SQLite compares text (not the database's locale).
   */
  async attached(incidentNumber: number): Promise<AttachedService[]> {
    return this.session
      .db()
      .select({ service: incidentServices.service, attachedAt: incidentServices.attachedAt })
      .from(incidentServices)
      .where(eq(incidentServices.incidentNumber, incidentNumber))
      .orderBy(asc(incidentServices.attachedAt), asc(sql`${incidentServices.service} collate "C"`));
  }

  /** Links a runbook; null when this URL is already linked to the incident (the first link stays as it is). */
  async link(link: NewRunbookLink): Promise<RunbookLink | null> {
    const [added] = await this.session
      .db()
      .insert(runbookLinks)
      .values(link)
      .onConflictDoNothing()
      .returning();
    return added ?? null;
  }

  /** The link of this URL, or null. */
  async linkOf(incidentNumber: number, url: string): Promise<RunbookLink | null> {
    const [found] = await this.session
      .db()
      .select()
      .from(runbookLinks)
      .where(and(eq(runbookLinks.incidentNumber, incidentNumber), eq(runbookLinks.url, url)));
    return found ?? null;
  }

  /** The incident's runbook links, oldest first (links of the same millisecond as they were made). */
  async links(incidentNumber: number): Promise<RunbookLink[]> {
    return this.session
      .db()
      .select()
      .from(runbookLinks)
      .where(eq(runbookLinks.incidentNumber, incidentNumber))
      .orderBy(asc(runbookLinks.linkedAt), asc(runbookLinks.id));
  }
}
