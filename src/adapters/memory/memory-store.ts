/**
 * The IncidentStore in memory, for use-case tests that run in milliseconds without a database file. It behaves
 * as the drizzle SQLite store does (the contract suite in test/contract holds both to it): AUTOINCREMENT
 * numbers, unique keys, foreign keys, orderings, and transactions that roll back.
 *
 * A transaction keeps a copy of every row and puts it back when `fn` throws: the store holds a test's few
 * rows, so copying them is simpler and surer than an undo log. Nested transactions are savepoints, as in
 * better-sqlite3: an inner throw undoes only the inner writes.
 */
import type { IncidentStore } from '../../domain/ports.js';
import { GroupCommit } from '../store/group-commit.js';
import { MemoryActionRepository } from './action-repository.js';
import { MemoryInboundRepository } from './inbound-repository.js';
import { MemoryIncidentRepository } from './incident-repository.js';
import { MemoryMessageRepository } from './message-repository.js';
import { MemoryOutboxRepository } from './outbox-repository.js';
import { MemoryPageRepository } from './page-repository.js';
import { MemoryPostmortemRepository } from './postmortem-repository.js';
import { MemoryReactionRepository } from './reaction-repository.js';
import { MemoryReminderRepository } from './reminder-repository.js';
import { MemoryServiceRepository } from './service-repository.js';
import { MemoryDb } from './tables.js';
import { MemoryTimelineRepository } from './timeline-repository.js';
import { MemoryUserRepository } from './user-repository.js';

/** Every repository over one set of in-memory tables, with the unit of work over them. */
export class MemoryStore implements IncidentStore {
  private readonly db = new MemoryDb();
  readonly incidents = new MemoryIncidentRepository(this.db);
  readonly timeline = new MemoryTimelineRepository(this.db);
  readonly inbound = new MemoryInboundRepository(this.db);
  readonly users = new MemoryUserRepository(this.db);
  readonly messages = new MemoryMessageRepository(this.db);
  readonly reactions = new MemoryReactionRepository(this.db);
  readonly reminders = new MemoryReminderRepository(this.db);
  readonly services = new MemoryServiceRepository(this.db);
  readonly pages = new MemoryPageRepository(this.db);
  readonly outbox = new MemoryOutboxRepository(this.db);
  readonly actions = new MemoryActionRepository(this.db);
  readonly postmortems = new MemoryPostmortemRepository(this.db);

  /** Runs `fn`; when it throws (or returns a promise, which better-sqlite3 refuses), every write in it is undone. */
  tx<T>(fn: () => T): T {
    const saved = this.db.snapshot();
    try {
      const result = fn();
      if (isThenable(result)) throw new TypeError('Transaction function cannot return a promise');
      return result;
    } catch (error) {
      this.db.restore(saved);
      throw error;
    }
  }

  private readonly group = new GroupCommit(
    (fn) => this.tx(fn),
    (fn) => this.tx(fn),
  );

  /** Group commit, as the SQLite store does it (group-commit.ts). */
  batched<T>(fn: () => T): Promise<T> {
    return this.group.add(fn);
  }

  /** Nothing is written anywhere: there is no log to erase. */
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

const isThenable = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
