/**
 * Services attached to incidents (`incident_services`) and the runbooks linked to them (`runbook_links`).
 * Both inserts are idempotent: the primary key and the unique (incident, url) index turn a repeat into nothing.
 */
import type { ServiceRepo } from '../../domain/ports/store.js';
import type { Synchronous } from './serial-store.js';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { incidentServices, runbookLinks } from './schema.js';
import type { AttachedService, RunbookLink, NewRunbookLink } from '../../domain/ports/store.js';
export type { AttachedService, RunbookLink, NewRunbookLink };

export class ServiceRepository implements Synchronous<ServiceRepo> {
  constructor(private readonly db: Db) {}

  /** Attaches a service; false when it was already attached. */
  attach(incidentNumber: number, service: string, at: number): boolean {
    const r = this.db
      .insert(incidentServices)
      .values({ incidentNumber, service, attachedAt: at })
      .onConflictDoNothing()
      .run();
    return r.changes > 0;
  }

  /** The incident's services, in the order they were attached. */
  attached(incidentNumber: number): AttachedService[] {
    return this.db
      .select({ service: incidentServices.service, attachedAt: incidentServices.attachedAt })
      .from(incidentServices)
      .where(eq(incidentServices.incidentNumber, incidentNumber))
      .orderBy(asc(incidentServices.attachedAt), asc(incidentServices.service))
      .all();
  }

  /** Links a runbook; null when this URL is already linked to the incident (the first link stays as it is). */
  link(link: NewRunbookLink): RunbookLink | null {
    return this.db.insert(runbookLinks).values(link).onConflictDoNothing().returning().get() ?? null;
  }

  /** The link of this URL, or null. */
  linkOf(incidentNumber: number, url: string): RunbookLink | null {
    return (
      this.db
        .select()
        .from(runbookLinks)
        .where(and(eq(runbookLinks.incidentNumber, incidentNumber), eq(runbookLinks.url, url)))
        .get() ?? null
    );
  }

  /** The incident's runbook links, oldest first. */
  links(incidentNumber: number): RunbookLink[] {
    return this.db
      .select()
      .from(runbookLinks)
      .where(eq(runbookLinks.incidentNumber, incidentNumber))
      .orderBy(asc(runbookLinks.linkedAt), asc(runbookLinks.id))
      .all();
  }
}
