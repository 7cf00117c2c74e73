/**
 * The IncidentStore port over a synchronous engine: one connection that answers at once (better-sqlite3, or
 * the in-memory tables of the use-case tests). The port is asynchronous because PostgreSQL answers over the
 * network; an engine that answers synchronously is served through this class, which keeps its transactions
 * whole while other work goes on around them.
 *
 * One connection has one transaction at a time, and every statement sent on it while a transaction is open
 * belongs to that transaction. So a transaction holds the connection: the statements of its own `fn` (found
 * through AsyncLocalStorage) run at once, and any other statement waits until it commits or rolls back. A
 * rollback therefore never takes with it a write that somebody else was told had landed. A transaction's
 * `fn` awaits only the store, so the connection is held for microseconds.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  ActionRepo,
  FollowUpRepo,
  HomeViewerRepo,
  IncidentRepo,
  IncidentStore,
  InboxRepo,
  MessageRepo,
  OutboxRepo,
  PageRepo,
  PostmortemRepo,
  ReactionRepo,
  ReminderRepo,
  ServiceRepo,
  TimelineRepo,
  UserRepo,
} from '../../domain/ports/store.js';

/** A repository of the port, as an engine that answers at once implements it: the same methods, without the promise. */
export type Synchronous<R> = {
  [K in keyof R]: R[K] extends (...args: infer A) => Promise<infer T> ? (...args: A) => T : R[K];
};

/** Every repository over one synchronous connection. */
export interface SyncRepositories {
  readonly incidents: Synchronous<IncidentRepo>;
  readonly timeline: Synchronous<TimelineRepo>;
  readonly inbound: Synchronous<InboxRepo>;
  readonly users: Synchronous<UserRepo>;
  readonly messages: Synchronous<MessageRepo>;
  readonly reactions: Synchronous<ReactionRepo>;
  readonly reminders: Synchronous<ReminderRepo>;
  readonly services: Synchronous<ServiceRepo>;
  readonly pages: Synchronous<PageRepo>;
  readonly outbox: Synchronous<OutboxRepo>;
  readonly actions: Synchronous<ActionRepo>;
  readonly followUps: Synchronous<FollowUpRepo>;
  readonly postmortems: Synchronous<PostmortemRepo>;
  readonly homeViewers: Synchronous<HomeViewerRepo>;
}

/** What a synchronous engine gives the port besides its repositories. */
export interface SyncEngine {
  /** Opens a transaction, or a savepoint inside the one open (nesting is counted by the engine). */
  begin(): void;
  /** Commits the innermost transaction or savepoint. */
  commit(): void;
  /** Undoes the innermost transaction or savepoint. */
  rollback(): void;
  eraseLog(): boolean;
  eraseLogIfPending(): boolean;
  ping(): boolean;
  close(): void;
}

type Repos = Omit<IncidentStore, 'tx' | 'batched' | 'eraseLog' | 'eraseLogIfPending' | 'ping' | 'close'>;

const REPOSITORIES = [
  'incidents',
  'timeline',
  'inbound',
  'users',
  'messages',
  'reactions',
  'reminders',
  'services',
  'pages',
  'outbox',
  'actions',
  'followUps',
  'postmortems',
  'homeViewers',
] as const satisfies readonly (keyof Repos)[];

type Pending = { fn: () => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };

export class SerialStore implements IncidentStore {
  readonly incidents!: IncidentRepo;
  readonly timeline!: TimelineRepo;
  readonly inbound!: InboxRepo;
  readonly users!: UserRepo;
  readonly messages!: MessageRepo;
  readonly reactions!: ReactionRepo;
  readonly reminders!: ReminderRepo;
  readonly services!: ServiceRepo;
  readonly pages!: PageRepo;
  readonly outbox!: OutboxRepo;
  readonly actions!: ActionRepo;
  readonly followUps!: FollowUpRepo;
  readonly postmortems!: PostmortemRepo;
  readonly homeViewers!: HomeViewerRepo;

  /** the transaction that holds the connection, if any */
  private holder: symbol | null = null;
  private readonly context = new AsyncLocalStorage<symbol>();
  /** transactions queue here for the connection */
  private queue: Promise<unknown> = Promise.resolve();
  private pending: Pending[] = [];
  /** what waits for the commit, per open transaction and savepoint (innermost last) */
  private readonly commitWaiters: (() => void)[][] = [];

  constructor(
    protected readonly repositories: SyncRepositories,
    protected readonly engine: SyncEngine,
  ) {
    const self = this as unknown as Record<string, unknown>;
    for (const name of REPOSITORIES) self[name] = this.serve(repositories[name] as object);
  }

  /** The repository's methods, each answering through `call`. */
  private serve(repo: object): Record<string, (...args: unknown[]) => Promise<unknown>> {
    const served: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    const names = new Set<string>();
    for (let p = repo; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const name of Object.getOwnPropertyNames(p)) if (name !== 'constructor') names.add(name);
    }
    const target = repo as Record<string, unknown>;
    for (const name of names) {
      if (typeof target[name] !== 'function') continue;
      const method = target[name] as (...args: unknown[]) => unknown;
      served[name] = (...args) => this.call(() => method.apply(repo, args));
    }
    return served;
  }

  /** Runs a statement now, unless another transaction holds the connection: then once it is done. */
  private call<T>(fn: () => T): Promise<T> {
    if (this.holder === null || this.context.getStore() === this.holder) return settle(fn);
    return this.whenFree(() => settle(fn));
  }

  private whenFree<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async tx<T>(fn: () => Promise<T>): Promise<T> {
    if (this.holder !== null && this.context.getStore() === this.holder) return this.within(fn);
    return this.whenFree(async () => {
      const token = Symbol('transaction');
      this.holder = token;
      try {
        return await this.context.run(token, () => this.within(fn));
      } finally {
        this.holder = null;
      }
    });
  }

  /** `fn` in a transaction, or a savepoint when one is open. */
  private async within<T>(fn: () => Promise<T>): Promise<T> {
    this.engine.begin();
    this.commitWaiters.push([]);
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      this.commitWaiters.pop();
      this.engine.rollback();
      throw error;
    }
    const waiting = this.commitWaiters.pop()!;
    this.engine.commit();
    // a savepoint hands its callbacks to the transaction around it; the transaction runs them, committed
    const outer = this.commitWaiters.at(-1);
    if (outer) outer.push(...waiting);
    else for (const run of waiting) run();
    return result;
  }

  afterCommit(fn: () => void): void {
    if (this.holder !== null && this.context.getStore() === this.holder) this.commitWaiters.at(-1)!.push(fn);
    else fn();
  }

  /**
   * Group commit: writes queued in the same turn of the event loop run together after it, in one
   * transaction, each in its own savepoint, so one failing write fails alone and the others are kept. Each
   * promise resolves once the transaction is committed: under a burst of events this turns one commit per
   * request into one per burst.
   */
  batched<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const queue = this.pending;
    this.pending = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await this.tx(async () => {
        for (const item of queue) {
          try {
            outcomes.push({ ok: true, value: await this.tx(item.fn) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const item of queue) item.reject(error);
      return;
    }
    queue.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.value);
      else item.reject(o.error);
    });
  }

  eraseLog(): Promise<boolean> {
    return this.call(() => this.engine.eraseLog());
  }

  eraseLogIfPending(): Promise<boolean> {
    return this.call(() => this.engine.eraseLogIfPending());
  }

  ping(): Promise<boolean> {
    return this.call(() => this.engine.ping());
  }

  close(): Promise<void> {
    return this.whenFree(async () => this.engine.close());
  }
}

/** The result of a synchronous call as a promise: a throw becomes a rejection. */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}
