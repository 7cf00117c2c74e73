/**
 * The IncidentStore port over PostgreSQL: drizzle `node-postgres` repositories on a pool of connections, for
 * several Muster instances sharing one database. A transaction holds one connection of the pool (found by the
 * repositories through PgSession); everything else borrows any free one, statement by statement.
 *
 * The connection string is handed to node-postgres as it is, so its TLS options apply: `sslmode=verify-full`
 * (or `sslmode=require`, which pg 8 treats as verify-full and warns that pg 9 will not) encrypts and checks the
 * server's certificate and host name against Node's CAs, `sslrootcert=/path/ca.pem` adds a private CA,
 * `sslmode=no-verify` encrypts without checking, and `uselibpqcompat=true&sslmode=require` gives libpq's
 * meaning (encrypt, do not check). Without `sslmode`, the connection is not encrypted.
 *
 * What differs from SQLite, on purpose:
 * - Group commit: SQLite's `batched` shares one transaction between the writes of a moment; here the timeline
 *   repository sends the adds of a moment as one statement, and retries each alone when it fails (a failed
 *   statement aborts PostgreSQL's whole transaction, where SQLite gives each write a savepoint).
 * - `eraseLog` runs VACUUM (see there): PostgreSQL keeps a deleted or replaced row's old bytes in the table
 *   until VACUUM frees them, as SQLite keeps them in its write-ahead log until a checkpoint.
 */

import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type {
  ActionRepo,
  FollowUpRepo,
  IncidentRepo,
  IncidentStore,
  MessageRepo,
  OutboxRepo,
  PageRepo,
  PostmortemRepo,
  ReactionRepo,
  ReminderRepo,
  HomeViewerRepo,
  ServiceRepo,
  UserRepo,
} from '../../../domain/ports/store.js';
import { projectRoot } from '../../project-root.js';
import { newestInJournal } from '../migration-journal.js';
import { answerWithin } from '../../../runtime/answer-within.js';
import { PgActionRepository } from './action-repository.js';
import { PgFollowUpRepository } from './follow-up-repository.js';
import { PgInboundRepository } from './inbound-repository.js';
import { PgIncidentRepository } from './incident-repository.js';
import { MIGRATION_LOCK } from './locks.js';
import { PgMessageRepository } from './message-repository.js';
import { PgOutboxRepository } from './outbox-repository.js';
import { PgPageRepository } from './page-repository.js';
import { PgPostmortemRepository } from './postmortem-repository.js';
import { PgReactionRepository } from './reaction-repository.js';
import { PgReminderRepository } from './reminder-repository.js';
import { PgHomeViewerRepository } from './home-viewer-repository.js';
import { PgServiceRepository } from './service-repository.js';
import { PgSession } from './session.js';
import { PgTimelineRepository } from './timeline-repository.js';
import { PgUserRepository } from './user-repository.js';

/** PostgreSQL's migrations, made by drizzle-kit (drizzle.pg.config.ts). */
export const pgMigrationsFolder = (): string => join(projectRoot(), 'migrations', 'postgres');

export interface PgOpenOptions {
  /** connections the pool may open (default 10) */
  poolSize?: number;
  /** ms after which the server cancels a statement (default 10 000); migrations are not limited */
  statementTimeoutMs?: number;
  /** apply pending migrations first (default true) */
  migrate?: boolean;
  /** the name the server shows for these connections (pg_stat_activity); default `muster` */
  applicationName?: string;
  /**
   * Told when an idle connection of the pool fails (the server restarted, a proxy cut it). The pool drops
   * that connection and opens another when next needed; nothing else is affected. Default: a process warning.
   */
  onConnectionError?: (error: Error) => void;
}

/** ms to wait for a connection: for the server to answer, or for a pooled connection to come free. */
const CONNECT_TIMEOUT_MS = 5000;
/** ms `ping()` waits before answering false. */
const PING_TIMEOUT_MS = 2000;

const clientConfig = (url: string, opts: PgOpenOptions): pg.ClientConfig => ({
  connectionString: url,
  connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  application_name: opts.applicationName ?? 'muster',
});

/**
 * Opens a pool on the database at `url` and applies pending migrations (under an advisory lock, so instances
 * starting together apply each once). Rejects when the server cannot be reached or a migration fails; the
 * pool is closed then.
 */
export async function openPgStore(url: string, opts: PgOpenOptions = {}): Promise<PgStore> {
  if (opts.migrate !== false) await applyMigrations(url, opts);
  const pool = new pg.Pool({
    ...clientConfig(url, opts),
    max: opts.poolSize ?? 10,
    statement_timeout: opts.statementTimeoutMs ?? 10_000,
    // A transaction awaits only the store, so one left idle this long is an instance cut off from the server
    // mid-transaction (a network partition, not a kill, which closes the connection): the server ends it, and
    // with it the incident locks it held, so the other instances are not kept waiting on them.
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    // and TCP keepalive finds a connection whose peer vanished, on either side
    keepAlive: true,
  });
  // Without a listener, an idle connection that loses the server emits an 'error' nobody handles, and Node
  // ends the process. The pool has already dropped that connection: say so, and carry on.
  const onError =
    opts.onConnectionError ??
    ((e: Error) => process.emitWarning(`PostgreSQL connection lost: ${e.message}`, 'MusterPgWarning'));
  pool.on('error', onError);
  // The pool listens only to idle connections: one checked out for a transaction and lost between two of its
  // statements would emit an 'error' nobody handles. Its next statement fails with that error instead, which
  // rolls the transaction back (and the pool then drops the connection), so the event itself is not needed.
  pool.on('connect', (client) => client.on('error', () => {}));
  return new PgStore(pool);
}

/** Applies pending migrations to the database at `url` (`muster migrate`). */
export async function migratePg(
  url: string,
  opts: Pick<PgOpenOptions, 'applicationName'> = {},
): Promise<void> {
  await applyMigrations(url, opts);
}

/**
 * Applies the pending drizzle-kit migrations on one connection of its own, holding a session-level advisory
 * lock, so that several instances starting at once on a fresh database apply each migration once: the others
 * wait for the lock, then find nothing pending. Without it, each would read "nothing applied yet" and all but
 * one would fail on `CREATE TABLE … already exists` (or on the bookkeeping table itself). The bookkeeping is
 * drizzle's own (`drizzle.__drizzle_migrations`), so drizzle-kit and this agree. A database already up to date
 * is recognised by one read, without waiting for the lock. The connection has no statement timeout: a
 * migration may rewrite a large table, and waiting for the lock lasts as long as another instance's migration.
 * The lock goes with the connection, so an instance that dies while migrating does not keep others waiting.
 */
async function applyMigrations(url: string, opts: PgOpenOptions): Promise<void> {
  const folder = pgMigrationsFolder();
  const newest = newestInJournal(folder);
  const client = new pg.Client({ ...clientConfig(url, opts), statement_timeout: 0 });
  // a lost connection rejects the query in progress; the event would otherwise end the process
  client.on('error', () => {});
  await client.connect();
  try {
    if ((await lastApplied(client)) >= newest) return;
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await migrate(drizzle({ client }), { migrationsFolder: folder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/** The folder time of the newest migration applied; 0 when none is (no bookkeeping table yet). */
async function lastApplied(client: pg.Client): Promise<number> {
  try {
    const { rows } = await client.query<{ at: string | null }>(
      'select max(created_at) as at from drizzle.__drizzle_migrations',
    );
    return Number(rows[0]?.at ?? 0);
  } catch (e) {
    // 42P01: the table (or its schema) does not exist yet
    if ((e as { code?: unknown }).code === '42P01') return 0;
    throw e;
  }
}

/** The tables whose text is blanked or purged (deletions and redactions): VACUUM frees their old row versions. */
const ERASED_TABLES = [
  'timeline_entries',
  'slack_messages',
  'inbound_events',
  'postmortem_contents',
  'action_items',
];

/** How long the server lets a connection sit idle inside a transaction before it ends the session. */
const IDLE_IN_TRANSACTION_MS = 30_000;

/** Every repository over one pool, and the transaction that lets a use case write them together. */
export class PgStore implements IncidentStore {
  readonly session: PgSession;
  readonly incidents: IncidentRepo;
  readonly timeline: PgTimelineRepository;
  readonly inbound: PgInboundRepository;
  readonly users: UserRepo;
  readonly messages: MessageRepo;
  readonly reactions: ReactionRepo;
  readonly reminders: ReminderRepo;
  readonly services: ServiceRepo;
  readonly pages: PageRepo;
  readonly outbox: OutboxRepo;
  readonly actions: ActionRepo;
  readonly followUps: FollowUpRepo;
  readonly postmortems: PostmortemRepo;
  readonly homeViewers: HomeViewerRepo;

  private closing: Promise<void> | null = null;
  /** set when the last VACUUM failed: the old text may still be in the tables' files */
  private erasePending = false;
  private erasing: Promise<boolean> | null = null;
  private eraseAgain: Promise<boolean> | null = null;

  constructor(readonly pool: pg.Pool) {
    this.session = new PgSession(pool);
    this.incidents = new PgIncidentRepository(this.session);
    this.timeline = new PgTimelineRepository(this.session);
    this.inbound = new PgInboundRepository(this.session);
    this.users = new PgUserRepository(this.session);
    this.messages = new PgMessageRepository(this.session);
    this.reactions = new PgReactionRepository(this.session);
    this.reminders = new PgReminderRepository(this.session);
    this.services = new PgServiceRepository(this.session);
    this.pages = new PgPageRepository(this.session);
    this.outbox = new PgOutboxRepository(this.session);
    this.actions = new PgActionRepository(this.session);
    this.followUps = new PgFollowUpRepository(this.session);
    this.postmortems = new PgPostmortemRepository(this.session);
    this.homeViewers = new PgHomeViewerRepository(this.session);
  }

  /** Runs `fn` in one transaction on one connection of the pool (a savepoint when one is open). */
  tx<T>(fn: () => Promise<T>): Promise<T> {
    return this.session.transaction(fn);
  }

  /**
   * Group commit on PostgreSQL is the timeline repository's: the adds made outside a transaction in one turn of
   * the event loop share one statement (see PgTimelineRepository.add), a round trip and a commit for a burst
   * of notes rather than one each. `fn` makes one write, so it runs as it is, its statement a transaction of
   * its own; inside `store.tx` it joins the transaction in progress.
   */
  batched<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  afterCommit(fn: () => void): void {
    this.session.afterCommit(fn);
  }

  /**
   * Frees the old versions of blanked or purged rows, so that their text can no longer be read from the
   * tables' files: a delete or update in PostgreSQL leaves the old row in place until VACUUM reclaims it.
   * Plain VACUUM takes no lock that blocks reads or writes; it cannot free a version that a transaction still
   * open may read (it frees it on the next run), and what it frees stays in the files until new rows overwrite
   * it, as it stays in the server's write-ahead log until that is recycled and in any backup taken meanwhile.
   * It vacuums only tables this database user owns (the one that applied the migrations). Runs outside any
   * transaction, on a connection of the pool; a call made while one runs is served by a second run after it,
   * which sees that call's deletions. False when VACUUM failed (then `eraseLogIfPending()` tries again).
   */
  eraseLog(): Promise<boolean> {
    if (!this.erasing) {
      this.erasing = this.vacuum().finally(() => {
        this.erasing = null;
      });
      return this.erasing;
    }
    this.eraseAgain ??= this.erasing.then(() => {
      this.eraseAgain = null;
      return this.eraseLog();
    });
    return this.eraseAgain;
  }

  /** Retries an `eraseLog()` that failed; true when nothing is left to erase. */
  async eraseLogIfPending(): Promise<boolean> {
    return this.erasePending ? this.eraseLog() : true;
  }

  private async vacuum(): Promise<boolean> {
    try {
      await this.pool.query(`VACUUM ${ERASED_TABLES.map((t) => `"${t}"`).join(', ')}`);
      this.erasePending = false;
    } catch {
      this.erasePending = true;
    }
    return !this.erasePending;
  }

  /** True when the server answers `select 1` within two seconds. */
  async ping(): Promise<boolean> {
    const answer = this.pool.query('select 1').then(
      () => true,
      () => false,
    );
    return answerWithin(answer, PING_TIMEOUT_MS, false);
  }

  /** Closes every connection once the statements in progress are done; a second call waits for the first. */
  close(): Promise<void> {
    // the deliveries and timeline adds queued are committed (or refused) before the connections go
    this.closing ??= Promise.all([this.inbound.idle(), this.timeline.idle()]).then(() => this.pool.end());
    return this.closing;
  }
}
