/** PagerDuty pages in memory: a unique dedup key, ids in the order pages were asked for. */
import type { Page, PageStatus } from '../../domain/page.js';
import type { NewPage, PagePatch, PageRepo } from '../../domain/ports.js';
import { checkIncident, columnsOf, copy, type MemoryDb, nextId, StoreConstraintError } from './tables.js';
import type { Synchronous } from '../store/serial-store.js';

/** The columns `update` may set. */
const PAGE_COLUMNS = [
  'pdIncidentId',
  'status',
  'message',
  'severity',
  'requestedBy',
  'requestedAt',
  'triggeredAt',
  'acknowledgedAt',
  'acknowledgedBy',
  'resolvedAt',
  'escalationPromptedAt',
  'escalationLevel',
  'escalatedAt',
] as const satisfies readonly (keyof Page)[];

/** PageRepo in memory. */
export class MemoryPageRepository implements Synchronous<PageRepo> {
  constructor(private readonly db: MemoryDb) {}

  private rows(filter: (p: Page) => boolean): Page[] {
    return [...this.db.tables.pages.values()].filter(filter).map(copy);
  }

  create(p: NewPage): Page {
    const t = this.db.tables;
    checkIncident(t, p.incidentNumber);
    for (const other of t.pages.values())
      if (other.dedupKey === p.dedupKey)
        throw new StoreConstraintError('UNIQUE constraint failed: pages.dedup_key');
    const row: Page = {
      id: nextId(t, 'pages'),
      incidentNumber: p.incidentNumber,
      service: p.service,
      via: p.via,
      dedupKey: p.dedupKey,
      pdIncidentId: null,
      status: 'pending',
      message: p.message,
      severity: p.severity,
      requestedBy: p.requestedBy,
      requestedAt: p.requestedAt,
      triggeredAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
      escalationPromptedAt: null,
      escalationLevel: 1,
      escalatedAt: null,
    };
    t.pages.set(row.id, row);
    return copy(row);
  }

  get(id: number): Page | null {
    const row = this.db.tables.pages.get(id);
    return row ? copy(row) : null;
  }

  list(incidentNumber: number): Page[] {
    return this.rows((p) => p.incidentNumber === incidentNumber);
  }

  forService(incidentNumber: number, service: string): Page[] {
    return this.rows((p) => p.incidentNumber === incidentNumber && p.service === service);
  }

  byDedupKey(dedupKey: string): Page | null {
    return this.rows((p) => p.dedupKey === dedupKey)[0] ?? null;
  }

  byPdIncidentId(pdIncidentId: string): Page | null {
    return this.rows((p) => p.pdIncidentId === pdIncidentId)[0] ?? null;
  }

  withStatus(statuses: PageStatus[]): Page[] {
    return this.rows((p) => statuses.includes(p.status));
  }

  update(id: number, patch: PagePatch): Page {
    const set = columnsOf<Page>(patch, PAGE_COLUMNS);
    // drizzle refuses an update with nothing to set before it reaches the database
    if (Object.keys(set).length === 0) throw new Error('No values to set');
    const row = this.db.tables.pages.get(id);
    if (!row) throw new Error(`page ${id} does not exist`);
    Object.assign(row, set);
    return copy(row);
  }

  claimEscalationPrompt(id: number, previous: number | null, at: number): Page | null {
    const row = this.db.tables.pages.get(id);
    if (row?.status !== 'triggered' || row.escalationPromptedAt !== previous) return null;
    row.escalationPromptedAt = at;
    return copy(row);
  }
}
