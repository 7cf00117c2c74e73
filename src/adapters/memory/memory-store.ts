/**
 * The IncidentStore in memory, for use-case tests that run in milliseconds without a database file. It behaves
 * as the drizzle SQLite store does (the contract suite in test/contract holds both to it): AUTOINCREMENT
 * numbers, unique keys, foreign keys, orderings, and transactions that roll back.
 *
 * A transaction keeps a copy of every row and puts it back when `fn` throws: the store holds a test's few
 * rows, so copying them is simpler and surer than an undo log. Nested transactions are savepoints, as in
 * better-sqlite3: an inner throw undoes only the inner writes.
 */
import { MemoryActionRepository } from './action-repository.js';
import { MemoryFollowUpRepository } from './follow-up-repository.js';
import { MemoryHomeViewerRepository } from './home-viewer-repository.js';
import { MemoryInboundRepository } from './inbound-repository.js';
import { MemoryIncidentRepository } from './incident-repository.js';
import { MemoryMessageRepository } from './message-repository.js';
import { MemoryOutboxRepository } from './outbox-repository.js';
import { MemoryPageRepository } from './page-repository.js';
import { MemoryPostmortemRepository } from './postmortem-repository.js';
import { MemoryReactionRepository } from './reaction-repository.js';
import { MemoryReminderRepository } from './reminder-repository.js';
import { MemoryServiceRepository } from './service-repository.js';
import { SerialStore, type SyncEngine, type SyncRepositories } from '../store/serial-store.js';
import { MemoryDb } from './tables.js';
import { MemoryTimelineRepository } from './timeline-repository.js';
import { MemoryUserRepository } from './user-repository.js';

/** Every repository over one set of in-memory tables. */
const memoryRepositories = (db: MemoryDb) => ({
  incidents: new MemoryIncidentRepository(db),
  timeline: new MemoryTimelineRepository(db),
  inbound: new MemoryInboundRepository(db),
  users: new MemoryUserRepository(db),
  messages: new MemoryMessageRepository(db),
  reactions: new MemoryReactionRepository(db),
  reminders: new MemoryReminderRepository(db),
  services: new MemoryServiceRepository(db),
  pages: new MemoryPageRepository(db),
  outbox: new MemoryOutboxRepository(db),
  actions: new MemoryActionRepository(db),
  followUps: new MemoryFollowUpRepository(db),
  postmortems: new MemoryPostmortemRepository(db),
  homeViewers: new MemoryHomeViewerRepository(db),
});

/** A transaction or savepoint is a copy of every row, put back on rollback. Nothing is written: no log to erase. */
class MemoryEngine implements SyncEngine {
  private readonly saved: ReturnType<MemoryDb['snapshot']>[] = [];
  constructor(private readonly db: MemoryDb) {}
  begin(): void {
    this.saved.push(this.db.snapshot());
  }
  commit(): void {
    this.saved.pop();
  }
  rollback(): void {
    this.db.restore(this.saved.pop()!);
  }
  eraseLog(): boolean {
    return true;
  }
  eraseLogIfPending(): boolean {
    return true;
  }
  ping(): boolean {
    return this.db.open;
  }
  close(): void {
    this.db.close();
  }
}

/** The store in memory, served as the SQLite store is (serial-store.ts). */
export class MemoryStore extends SerialStore {
  /** The repositories themselves, for a test that reads what the port does not show (a draft's markdown). */
  readonly rows: ReturnType<typeof memoryRepositories>;

  constructor() {
    const db = new MemoryDb();
    const rows = memoryRepositories(db);
    super(rows satisfies SyncRepositories, new MemoryEngine(db));
    this.rows = rows;
  }
}
