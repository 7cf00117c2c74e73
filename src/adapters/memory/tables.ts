/**
 * The in-memory store's rows: one Map per SQLite table, keyed by its primary key and kept in insertion order
 * (SQLite's rowid order), with the AUTOINCREMENT counters beside them. The whole set is one plain value, so a
 * transaction can keep a copy and put it back. The rules SQLite enforces for the drizzle store (foreign keys,
 * unique indexes, JSON columns, a closed connection) are enforced here with the same errors.
 */
import type { ActionItem } from '../../domain/action-item.js';
import type { FollowUp } from '../../domain/follow-up.js';
import type { Incident } from '../../domain/incident.js';
import type { Page } from '../../domain/page.js';
import type { Role } from '../../domain/roles.js';
import type {
  DraftFigures,
  InboundSource,
  OutboxRow,
  PostmortemRecord,
  ProvisioningState,
  RunbookLink,
  SlackUser,
  StoredMessage,
  TimelineReaction,
} from '../../domain/ports.js';
import type { TimelineEntry } from '../../domain/timeline.js';

export interface IncidentRow extends Incident {
  provisioning: ProvisioningState;
  declareResponseUrl: string | null;
  declareChannelId: string | null;
  provisioningClaimedBy: string | null;
  provisioningClaimedUntil: number | null;
}

export interface RoleRow {
  id: number;
  incidentNumber: number;
  role: Role;
  userId: string;
  assignedBy: string;
  assignedAt: number;
  endedAt: number | null;
}

export interface InboundRow {
  source: InboundSource;
  eventId: string;
  body: string;
  receivedAt: number;
  processedAt: number | null;
  attempts: number;
  lastError: string | null;
  claimedBy: string | null;
  claimedUntil: number | null;
}

/** An outbox row with its lease, which the port never hands out. */
export interface OutboxTableRow extends OutboxRow {
  claimedBy: string | null;
  claimedUntil: number | null;
}

export interface PostmortemRow extends PostmortemRecord {
  content: string;
  figures: DraftFigures | null;
  uploadClaimedBy: string | null;
  uploadClaimedUntil: number | null;
  uploadGivenUpAt: number | null;
}

/** Every table, by primary key. */
export interface Tables {
  /** sqlite_sequence: the last id handed out per AUTOINCREMENT table (rolled back with the transaction, as in SQLite) */
  seq: Record<
    'incidents' | 'roles' | 'timeline' | 'links' | 'pages' | 'outbox' | 'actions' | 'postmortems',
    number
  >;
  incidents: Map<number, IncidentRow>;
  roles: Map<number, RoleRow>;
  timeline: Map<number, TimelineEntry>;
  inbound: Map<string, InboundRow>;
  messages: Map<string, StoredMessage>;
  reactions: Map<string, TimelineReaction & { addedAt: number }>;
  users: Map<string, SlackUser & { fetchedAt: number }>;
  services: Map<string, { incidentNumber: number; service: string; attachedAt: number }>;
  links: Map<number, RunbookLink>;
  pages: Map<number, Page>;
  outbox: Map<number, OutboxTableRow>;
  actions: Map<number, ActionItem>;
  /** by action id */
  followUps: Map<number, FollowUp>;
  /** by `${ownerId} ${week}` */
  ownerReminders: Map<string, { ownerId: string; week: string; sentAt: number }>;
  postmortems: Map<number, PostmortemRow>;
  reminders: Map<string, { incidentNumber: number; key: string; sentAt: number }>;
  /** when each person last opened the App Home, by user id */
  homeViewers: Map<string, number>;
}

const emptyTables = (): Tables => ({
  seq: { incidents: 0, roles: 0, timeline: 0, links: 0, pages: 0, outbox: 0, actions: 0, postmortems: 0 },
  incidents: new Map(),
  roles: new Map(),
  timeline: new Map(),
  inbound: new Map(),
  messages: new Map(),
  reactions: new Map(),
  users: new Map(),
  services: new Map(),
  links: new Map(),
  pages: new Map(),
  outbox: new Map(),
  actions: new Map(),
  followUps: new Map(),
  ownerReminders: new Map(),
  postmortems: new Map(),
  reminders: new Map(),
  homeViewers: new Map(),
});

/** The tables of one in-memory database, and the connection's open/closed state. */
export class MemoryDb {
  private current = emptyTables();
  private closed = false;

  /** The live tables; throws as better-sqlite3 does once the store is closed. */
  get tables(): Tables {
    if (this.closed) throw new TypeError('The database connection is not open');
    return this.current;
  }

  /** A copy of every row, to put back with `restore` (a rolled-back transaction or savepoint). */
  snapshot(): Tables {
    return structuredClone(this.tables);
  }

  restore(saved: Tables): void {
    this.current = saved;
  }

  get open(): boolean {
    return !this.closed;
  }

  close(): void {
    this.closed = true;
  }
}

/** The next AUTOINCREMENT id of a table: never one handed out before, even after a delete. */
export function nextId(t: Tables, table: keyof Tables['seq']): number {
  t.seq[table] += 1;
  return t.seq[table];
}

/** A JSON column's value as SQLite gives it back: undefined members dropped, dates as strings, no shared objects. */
export const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A copy for the caller: changing a returned object never changes the store. */
export const copy = <T>(value: T): T => structuredClone(value);

/** The incident_number foreign key: a row of an incident that does not exist is refused, as SQLite does. */
export function checkIncident(t: Tables, incidentNumber: number): void {
  if (!t.incidents.has(incidentNumber)) throw new StoreConstraintError('FOREIGN KEY constraint failed');
}

/** A composite primary or unique key as one Map key. */
export const keyOf = (...parts: (string | number)[]): string => JSON.stringify(parts);

/** A constraint SQLite would refuse (same message as SQLite's error). */
export class StoreConstraintError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreConstraintError';
  }
}

/** The members of `patch` that name a column and carry a value (drizzle skips undefined ones and unknown keys). */
export function columnsOf<T extends object>(patch: object, columns: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const c of columns) {
    const v = (patch as Partial<T>)[c];
    if (v !== undefined) out[c] = v;
  }
  return out;
}
