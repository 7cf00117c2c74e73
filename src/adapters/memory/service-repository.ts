/** Services attached to incidents and the runbooks linked to them, in memory; both inserts are idempotent. */
import type { AttachedService, NewRunbookLink, RunbookLink, ServiceRepo } from '../../domain/ports.js';
import { checkIncident, copy, keyOf, type MemoryDb, nextId } from './tables.js';
import type { Synchronous } from '../store/serial-store.js';

/** ServiceRepo in memory. */
export class MemoryServiceRepository implements Synchronous<ServiceRepo> {
  constructor(private readonly db: MemoryDb) {}

  attach(incidentNumber: number, service: string, at: number): boolean {
    const t = this.db.tables;
    const key = keyOf(incidentNumber, service);
    if (t.services.has(key)) return false;
    checkIncident(t, incidentNumber);
    t.services.set(key, { incidentNumber, service, attachedAt: at });
    return true;
  }

  attached(incidentNumber: number): AttachedService[] {
    return [...this.db.tables.services.values()]
      .filter((s) => s.incidentNumber === incidentNumber)
      .sort((a, b) => a.attachedAt - b.attachedAt || compareText(a.service, b.service))
      .map((s) => ({ service: s.service, attachedAt: s.attachedAt }));
  }

  link(link: NewRunbookLink): RunbookLink | null {
    const t = this.db.tables;
    if (this.find(link.incidentNumber, link.url)) return null;
    checkIncident(t, link.incidentNumber);
    const row: RunbookLink = {
      id: nextId(t, 'links'),
      incidentNumber: link.incidentNumber,
      service: link.service,
      title: link.title,
      url: link.url,
      linkedBy: link.linkedBy,
      linkedAt: link.linkedAt,
    };
    t.links.set(row.id, row);
    return copy(row);
  }

  linkOf(incidentNumber: number, url: string): RunbookLink | null {
    const row = this.find(incidentNumber, url);
    return row ? copy(row) : null;
  }

  links(incidentNumber: number): RunbookLink[] {
    return [...this.db.tables.links.values()]
      .filter((l) => l.incidentNumber === incidentNumber)
      .sort((a, b) => a.linkedAt - b.linkedAt || a.id - b.id)
      .map(copy);
  }

  private find(incidentNumber: number, url: string): RunbookLink | undefined {
    for (const l of this.db.tables.links.values())
      if (l.incidentNumber === incidentNumber && l.url === url) return l;
    return undefined;
  }
}

/** SQLite's BINARY collation for ASCII names: plain code-unit order. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
