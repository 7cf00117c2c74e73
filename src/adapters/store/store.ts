/** All repositories over one database, and the transaction that lets a use case write them together. */
import type { Db } from './db.js';
import { InboundRepository } from './inbound-repository.js';
import { IncidentRepository } from './incident-repository.js';
import { TimelineRepository } from './timeline-repository.js';
import { UserRepository } from './user-repository.js';

export class Store {
  readonly incidents: IncidentRepository;
  readonly timeline: TimelineRepository;
  readonly inbound: InboundRepository;
  readonly users: UserRepository;

  constructor(readonly db: Db) {
    this.incidents = new IncidentRepository(db);
    this.timeline = new TimelineRepository(db);
    this.inbound = new InboundRepository(db);
    this.users = new UserRepository(db);
  }

  /** Runs `fn` in one synchronous SQLite transaction (BEGIN IMMEDIATE, so writers queue on the busy timeout). */
  tx<T>(fn: () => T): T {
    return this.db.$client.transaction(fn).immediate();
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
