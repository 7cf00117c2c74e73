/**
 * The IncidentStore port over SQLite: drizzle repositories on one better-sqlite3 connection, served through
 * SerialStore (a transaction holds the connection; see serial-store.ts).
 */
import { ActionRepository } from './action-repository.js';
import { FollowUpRepository } from './follow-up-repository.js';
import { HomeViewerRepository } from './home-viewer-repository.js';
import { type Db, eraseLog } from './db.js';
import { InboundRepository } from './inbound-repository.js';
import { IncidentRepository } from './incident-repository.js';
import { MessageRepository } from './message-repository.js';
import { OutboxRepository } from './outbox-repository.js';
import { PageRepository } from './page-repository.js';
import { PostmortemRepository } from './postmortem-repository.js';
import { ReactionRepository } from './reaction-repository.js';
import { ReminderRepository } from './reminder-repository.js';
import { SerialStore, type SyncEngine, type SyncRepositories } from './serial-store.js';
import { ServiceRepository } from './service-repository.js';
import { TimelineRepository } from './timeline-repository.js';
import { UserRepository } from './user-repository.js';

/** Every drizzle repository over one connection, answering synchronously. */
export class SqliteRepositories implements SyncRepositories {
  readonly incidents: IncidentRepository;
  readonly timeline: TimelineRepository;
  readonly inbound: InboundRepository;
  readonly users: UserRepository;
  readonly messages: MessageRepository;
  readonly reactions: ReactionRepository;
  readonly reminders: ReminderRepository;
  readonly services: ServiceRepository;
  readonly pages: PageRepository;
  readonly outbox: OutboxRepository;
  readonly actions: ActionRepository;
  readonly followUps: FollowUpRepository;
  readonly postmortems: PostmortemRepository;
  readonly homeViewers: HomeViewerRepository;

  constructor(db: Db) {
    this.incidents = new IncidentRepository(db);
    this.timeline = new TimelineRepository(db);
    this.inbound = new InboundRepository(db);
    this.users = new UserRepository(db);
    this.messages = new MessageRepository(db);
    this.reactions = new ReactionRepository(db);
    this.reminders = new ReminderRepository(db);
    this.services = new ServiceRepository(db);
    this.pages = new PageRepository(db);
    this.outbox = new OutboxRepository(db);
    this.actions = new ActionRepository(db);
    this.followUps = new FollowUpRepository(db);
    this.postmortems = new PostmortemRepository(db);
    this.homeViewers = new HomeViewerRepository(db);
  }
}

/** Transactions, the log and the connection of one SQLite database. */
class SqliteEngine implements SyncEngine {
  /** open transactions: 1 is the transaction, more are savepoints inside it */
  private depth = 0;
  /** set when blanked text may still stand in the write-ahead log because emptying it was refused */
  private logHoldsErasedText = false;

  constructor(private readonly db: Db) {}

  // BEGIN IMMEDIATE takes the write lock at once, so writers of other processes queue on the busy timeout
  // instead of failing when a read turns into a write.
  begin(): void {
    this.db.$client.exec(this.depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT s${this.depth}`);
    this.depth++;
  }

  commit(): void {
    this.depth--;
    this.db.$client.exec(this.depth === 0 ? 'COMMIT' : `RELEASE s${this.depth}`);
  }

  rollback(): void {
    this.depth--;
    // SQLite ends the transaction itself after some errors (a full disk): then there is nothing to undo
    if (!this.db.$client.inTransaction) return;
    this.db.$client.exec(
      this.depth === 0 ? 'ROLLBACK' : `ROLLBACK TO s${this.depth}; RELEASE s${this.depth}`,
    );
  }

  /**
   * Empties the write-ahead log after text was blanked or purged (call it outside a transaction), so the old
   * bytes leave the log as secure_delete makes them leave the database file. When a reader keeps the log
   * busy, `eraseLogIfPending()` (a periodic job) tries again. Returns whether the log is empty now.
   */
  eraseLog(): boolean {
    this.logHoldsErasedText = !eraseLog(this.db);
    return !this.logHoldsErasedText;
  }

  eraseLogIfPending(): boolean {
    return this.logHoldsErasedText ? this.eraseLog() : true;
  }

  ping(): boolean {
    try {
      this.db.$client.prepare('select 1').get();
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.db.$client.open) this.db.$client.close();
  }
}

/** The store on one SQLite database. `db` stays reachable for what is SQLite's own (the WAL checkpointer). */
export class Store extends SerialStore {
  constructor(readonly db: Db) {
    super(new SqliteRepositories(db), new SqliteEngine(db));
  }
}
