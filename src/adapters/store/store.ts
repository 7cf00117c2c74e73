/** All repositories over one database, and the transaction that lets a use case write them together. */
import type { IncidentStore } from '../../domain/ports/store.js';
import { GroupCommit } from './group-commit.js';
import { ActionRepository } from './action-repository.js';
import { type Db, eraseLog } from './db.js';
import { InboundRepository } from './inbound-repository.js';
import { IncidentRepository } from './incident-repository.js';
import { MessageRepository } from './message-repository.js';
import { OutboxRepository } from './outbox-repository.js';
import { PageRepository } from './page-repository.js';
import { PostmortemRepository } from './postmortem-repository.js';
import { ReactionRepository } from './reaction-repository.js';
import { ReminderRepository } from './reminder-repository.js';
import { ServiceRepository } from './service-repository.js';
import { TimelineRepository } from './timeline-repository.js';
import { UserRepository } from './user-repository.js';

export class Store implements IncidentStore {
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
  readonly postmortems: PostmortemRepository;

  constructor(readonly db: Db) {
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
    this.postmortems = new PostmortemRepository(db);
  }

  /** Runs `fn` in one synchronous SQLite transaction (BEGIN IMMEDIATE, so writers queue on the busy timeout). */
  tx<T>(fn: () => T): T {
    return this.db.$client.transaction(fn).immediate();
  }

  // a nested better-sqlite3 transaction is a savepoint
  private readonly group = new GroupCommit(
    (fn) => this.db.$client.transaction(fn).immediate(),
    (fn) => this.db.$client.transaction(fn)(),
  );

  /**
   * Group commit: runs `fn` in a transaction shared with the other writes queued in the same turn of the
   * event loop, and resolves once that transaction is committed. Under a burst of commands this turns one
   * commit per request into one per burst; each write keeps its own savepoint, so one failing write does not
   * undo the others. Await it before acknowledging: what is acknowledged is committed.
   */
  batched<T>(fn: () => T): Promise<T> {
    return this.group.add(fn);
  }

  /** set when blanked text may still stand in the write-ahead log because emptying it was refused */
  private logHoldsErasedText = false;

  /**
   * Empties the write-ahead log after text was blanked or purged (call it outside a transaction), so the old
   * bytes leave the log as secure_delete makes them leave the database file. When a reader keeps the log
   * busy, `eraseLogIfPending()` (a periodic job) tries again. Returns whether the log is empty now.
   */
  eraseLog(): boolean {
    this.logHoldsErasedText = !eraseLog(this.db);
    return !this.logHoldsErasedText;
  }

  /** Retries an `eraseLog()` that a busy reader refused; true when nothing is left to erase. */
  eraseLogIfPending(): boolean {
    return this.logHoldsErasedText ? this.eraseLog() : true;
  }

  /** True when the database answers a query. */
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
