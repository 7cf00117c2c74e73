/**
 * The PostgreSQL store passes the IncidentStore contract, on a throwaway server (test/support/pg-cluster.ts)
 * started once for this file. Each test gets a database of its own, copied from one migrated template, the
 * copies made ahead of the tests that ask for them (templateCopies in test/support/pg-database.ts).
 * Then what is PostgreSQL's own: instances starting together on a fresh database, and a server that goes away.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgStore, PgStore } from '../../src/adapters/store/pg/pg-store.js';
import { isPostgresUrl } from '../../src/config.js';
import { type PgCluster, startPgCluster } from '../support/pg-cluster.js';
import { templateCopies } from '../support/pg-database.js';
import { describeIncidentStore } from './incident-store.contract.js';

let cluster: PgCluster;
let admin: pg.Client;
/** The next copy of the migrated template for the contract's tests. */
let nextCopy: (() => Promise<string>) | null = null;

/** The URL of database `name` on the test server. */
const urlOf = (name: string): string => cluster.url.replace(/\/postgres$/, `/${name}`);

async function createDatabase(name: string, template?: string): Promise<string> {
  await admin.query(`create database "${name}"${template ? ` template "${template}"` : ''}`);
  return urlOf(name);
}

/** Declares an incident on `store`, for the tests of this file. */
const declareOn = (store: PgStore, title: string) =>
  store.incidents.create({ title, severity: 2, teamId: 'T0TEAM', declaredBy: 'U0ALICE', declaredAt: 0 });

/** A note of incident `incidentNumber` whose text and source key are `key`. */
const noteOf = (incidentNumber: number, key: string) => ({
  incidentNumber,
  kind: 'note' as const,
  text: key,
  actor: 'U0BOB',
  occurredAt: 0,
  sourceKey: key,
});

/** The names of the statements `store`'s pool is sent from now on (unnamed ones as 'unnamed'). */
function statementsSent(store: PgStore): string[] {
  const names: string[] = [];
  const query = store.pool.query.bind(store.pool);
  store.pool.query = ((config: unknown, ...rest: unknown[]) => {
    names.push((typeof config === 'object' && (config as { name?: string }).name) || 'unnamed');
    return (query as (...a: unknown[]) => unknown)(config, ...rest);
  }) as typeof store.pool.query;
  return names;
}

beforeAll(async () => {
  cluster = await startPgCluster();
  admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  const store = await openPgStore(await createDatabase('migrated'));
  await store.close();
}, 60_000);

afterAll(async () => {
  await admin?.end();
  await cluster?.stop();
});

describeIncidentStore('PostgreSQL', async () => {
  nextCopy ??= templateCopies(cluster.url, 'migrated');
  return openPgStore(await nextCopy(), { poolSize: 4 });
});

describe('PostgreSQL store', () => {
  it('recognises PostgreSQL URLs', () => {
    expect(isPostgresUrl('postgres://u@h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://u@h:5432/db?sslmode=require')).toBe(true);
    expect(isPostgresUrl('data/muster.db')).toBe(false);
    expect(isPostgresUrl('sqlite:data/muster.db')).toBe(false);
  });

  it('migrates a fresh database once when several instances start at the same moment', async () => {
    const url = await createDatabase('fresh');
    const stores = await Promise.all([1, 2, 3].map(() => openPgStore(url, { poolSize: 1 })));
    try {
      for (const store of stores) expect(await store.incidents.all()).toEqual([]);
      const applied = await stores[0]!.pool.query('select hash from drizzle.__drizzle_migrations');
      const hashes = applied.rows.map((r: { hash: string }) => r.hash);
      expect(hashes.length).toBeGreaterThan(0);
      expect(new Set(hashes).size).toBe(hashes.length);
      // up to date: opening again applies nothing
      const again = await openPgStore(url);
      await again.close();
      expect((await stores[0]!.pool.query('select 1 from drizzle.__drizzle_migrations')).rowCount).toBe(
        hashes.length,
      );
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('numbers the entries and hands over the roles of one incident right when two instances write at once', async () => {
    const url = await createDatabase('shared', 'migrated');
    const [a, b] = await Promise.all([openPgStore(url), openPgStore(url)]);
    try {
      const { number } = await declareOn(a!, 'search is slow');
      const note = (key: string) => noteOf(number, key);
      // half of them inside a transaction that also writes elsewhere, as a use case does
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => {
          const store = i % 2 === 0 ? a! : b!;
          return i % 4 < 2
            ? store.timeline.add(note(`k${i}`), i)
            : store.tx(async () => {
                await store.timeline.add(note(`k${i}`), i);
                await store.incidents.update(number, { summary: `k${i}` }, i);
              });
        }),
      );
      const numbers = (await a!.timeline.list(number)).map((e) => e.number).sort((x, y) => x - y);
      expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

      const previous = await Promise.all(
        ['U0ONE', 'U0TWO', 'U0THREE', 'U0FOUR'].map((user, i) =>
          (i % 2 === 0 ? a! : b!).incidents.assignRole(number, 'ic', user, user, i),
        ),
      );
      // one took the role from nobody, each other from the one before it, whatever the order
      expect(previous.filter((p) => p === null)).toHaveLength(1);
      const history = await a!.incidents.roleHistory(number);
      expect(history.filter((r) => r.endedAt === null)).toHaveLength(1);
      expect(history).toHaveLength(4);
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  });

  it('numbers on from the highest entry when the row that numbers a timeline is missing, as after db copy', async () => {
    const url = await createDatabase('renumber', 'migrated');
    const [a, b] = await Promise.all([openPgStore(url), openPgStore(url)]);
    try {
      const { number } = await declareOn(a!, 'queue backs up');
      const note = (key: string) => noteOf(number, key);
      for (const key of ['a', 'b', 'c']) await a!.timeline.add(note(key), 0);
      await a!.pool.query('delete from timeline_numbers');
      // two instances take the first numbers after the highest at once, neither the same
      const added = await Promise.all(
        ['d', 'e', 'f', 'g'].map((k, i) => (i % 2 ? a! : b!).timeline.add(note(k), 0)),
      );
      expect(added.map((e) => e!.number).sort()).toEqual([4, 5, 6, 7]);
      // a repeat takes no number
      expect(await b!.timeline.add(note('e'), 0)).toBeNull();
      expect((await a!.timeline.add(note('h'), 0))!.number).toBe(8);
      expect((await a!.pool.query('select last_number from timeline_numbers')).rows).toEqual([
        { last_number: 8 },
      ]);
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  });

  it('stores the timeline adds of one moment in one statement: repeats take no number, a refused add fails alone', async () => {
    const url = await createDatabase('burst', 'migrated');
    const store = await openPgStore(url);
    try {
      const one = (await declareOn(store, 'api errors')).number;
      const two = (await declareOn(store, 'db failover')).number;
      await store.timeline.add(noteOf(one, 'stored'), 0);
      // every statement the pool is sent, to see the burst go as one
      const statements = statementsSent(store);
      const results = await Promise.allSettled([
        store.timeline.add(noteOf(one, 'a'), 0),
        store.timeline.add(noteOf(two, 'a'), 0),
        store.timeline.add(noteOf(one, 'stored'), 0),
        store.timeline.add(noteOf(one, 'b'), 0),
        store.timeline.add(noteOf(one, 'a'), 0),
        store.timeline.add(noteOf(two, 'c'), 0),
      ]);
      expect(statements).toEqual(['timeline_add_many']);
      expect(results.map((r) => (r.status === 'fulfilled' ? (r.value?.number ?? null) : 'refused'))).toEqual([
        2,
        1,
        null,
        3,
        null,
        2,
      ]);
      // an add the database refuses (no such incident) fails alone; the others of its moment are stored
      statements.length = 0;
      const mixed = await Promise.allSettled([
        store.timeline.add(noteOf(one, 'd'), 0),
        store.timeline.add(noteOf(999, 'x'), 0),
        store.timeline.add(noteOf(two, 'e'), 0),
      ]);
      expect(mixed.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      // the shared statement, then each add alone
      expect(statements).toEqual(['timeline_add_many', 'timeline_add', 'timeline_add', 'timeline_add']);
      expect((await store.timeline.list(one)).map((e) => [e.sourceKey, e.number])).toEqual([
        ['stored', 1],
        ['a', 2],
        ['b', 3],
        ['d', 4],
      ]);
      expect((await store.timeline.list(two)).map((e) => [e.sourceKey, e.number])).toEqual([
        ['a', 1],
        ['c', 2],
        ['e', 3],
      ]);
    } finally {
      await store.close();
    }
  });

  it('stores the deliveries of one moment in one statement: a repeat is stored once, a refused one fails alone', async () => {
    const url = await createDatabase('deliveries', 'migrated');
    const store = await openPgStore(url);
    try {
      await store.inbound.record('slack', 'Ev0', '{"n":0}', 0);
      const lease = { owner: 'host:1:a', until: 20_000 };
      const statements = statementsSent(store);
      const results = await Promise.all([
        store.inbound.record('slack', 'Ev1', '{"n":1}', 1, lease),
        store.inbound.record('slack', 'Ev0', '{"n":0}', 1, lease),
        store.inbound.record('pagerduty', 'Ev1', '{"n":"pd"}', 1),
        store.inbound.record('slack', 'Ev1', '{"n":1}', 1, lease),
        store.inbound.record('slack', 'Ev2', '{"n":2}', 1, lease),
      ]);
      expect(statements).toEqual(['inbound_record_many']);
      // a retry within the same moment is stored once, by the first delivery
      expect(results).toEqual([true, false, true, false, true]);
      const rows = async () =>
        (
          await store.pool.query(
            'select source, event_id, body, claimed_by from inbound_events order by source, event_id',
          )
        ).rows;
      expect(await rows()).toEqual([
        { source: 'pagerduty', event_id: 'Ev1', body: '{"n":"pd"}', claimed_by: null },
        { source: 'slack', event_id: 'Ev0', body: '{"n":0}', claimed_by: null },
        { source: 'slack', event_id: 'Ev1', body: '{"n":1}', claimed_by: 'host:1:a' },
        { source: 'slack', event_id: 'Ev2', body: '{"n":2}', claimed_by: 'host:1:a' },
      ]);
      // a delivery the database refuses (a NUL byte in text) fails alone; the others of its moment are stored
      statements.length = 0;
      const mixed = await Promise.allSettled([
        store.inbound.record('slack', 'Ev3', '{"n":3}', 2),
        store.inbound.record('slack', 'Ev4', 'nul \u0000 byte', 2),
        store.inbound.record('slack', 'Ev5', '{"n":5}', 2),
      ]);
      expect(mixed.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(statements).toEqual([
        'inbound_record_many',
        'inbound_record',
        'inbound_record',
        'inbound_record',
      ]);
      expect((await rows()).map((r) => r.event_id)).toEqual(['Ev1', 'Ev0', 'Ev1', 'Ev2', 'Ev3', 'Ev5']);
    } finally {
      await store.close();
    }
  });

  it('looks up the incident of a channel once for the lookups of one moment, never answering older than the call', async () => {
    const url = await createDatabase('lookups', 'migrated');
    const store = await openPgStore(url);
    try {
      const { number } = await declareOn(store, 'cache stampede');
      await store.incidents.update(number, { channelId: 'C0INC', channelName: 'inc-1-cache-stampede' }, 0);
      const sent = statementsSent(store);
      const burst = await Promise.all(Array.from({ length: 20 }, () => store.incidents.byChannel('C0INC')));
      expect(sent).toHaveLength(1);
      expect(burst.every((i) => i?.number === number && i.title === 'cache stampede')).toBe(true);
      // each caller has an incident of its own
      expect(new Set(burst).size).toBe(20);
      expect(await store.incidents.byChannel('C0NONE')).toBeNull();
      // a lookup after a change sees it, a lookup of another channel asks for that one
      await store.incidents.update(number, { title: 'cache stampede, mitigated' }, 1);
      sent.length = 0;
      const [after, none] = await Promise.all([
        store.incidents.byChannel('C0INC'),
        store.incidents.byChannel('C0NONE'),
      ]);
      expect(after?.title).toBe('cache stampede, mitigated');
      expect(none).toBeNull();
      expect(sent).toHaveLength(2);
    } finally {
      await store.close();
    }
  });

  it('fails only the transaction whose connection is lost between two statements', async () => {
    const url = await createDatabase('cut', 'migrated');
    const store = await openPgStore(url, { poolSize: 2, onConnectionError: () => {} });
    try {
      const cut = store.tx(async () => {
        const { rows } = await store.session
          .db()
          .execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
        await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
        // the server has closed the connection by the time the next statement is sent
        await new Promise((resolve) => setTimeout(resolve, 200));
        return store.incidents.all();
      });
      await expect(cut).rejects.toThrow();
      // the pool carries on with a new connection
      expect(await store.incidents.all()).toEqual([]);
      expect(await store.tx(async () => (await store.incidents.all()).length)).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('has the server end a transaction left idle, so a partitioned instance cannot hold an incident lock for long', async () => {
    const store = await openPgStore(await createDatabase('idle', 'migrated'));
    try {
      const settings = await store.tx(async () => {
        const { rows } = await store.session.db().execute<{ idle: string; statement: string }>(
          sql`select current_setting('idle_in_transaction_session_timeout') as idle,
                     current_setting('statement_timeout') as statement`,
        );
        return rows[0];
      });
      expect(settings).toEqual({ idle: '30s', statement: '10s' });
    } finally {
      await store.close();
    }
  });

  it('answers ping false once the server is gone, and survives its idle connections dropping', async () => {
    const own = await startPgCluster();
    const lost: Error[] = [];
    const store = await openPgStore(own.url, { onConnectionError: (e) => lost.push(e) });
    try {
      expect(await store.ping()).toBe(true);
      await own.stop();
      await expect.poll(() => lost.length).toBeGreaterThan(0);
      expect(await store.ping()).toBe(false);
      await expect(store.incidents.get(1)).rejects.toThrow();
    } finally {
      await store.close();
    }
  }, 30_000);

  it('fails every delivery and timeline add of a shared statement at once when the server cannot be reached, trying none again', async () => {
    const store = new PgStore(new pg.Pool({ connectionString: 'postgres://muster@127.0.0.1:1/none' }));
    try {
      const statements = statementsSent(store);
      const results = await Promise.allSettled([
        store.inbound.record('slack', 'Ev1', '{}', 1),
        store.inbound.record('slack', 'Ev2', '{}', 1),
        store.inbound.record('pagerduty', 'Ev3', '{}', 1),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(statements).toEqual(['inbound_record_many']);
      // the same for the timeline adds of one moment (notes are answered once stored)
      statements.length = 0;
      const adds = await Promise.allSettled([
        store.timeline.add(noteOf(1, 'a'), 0),
        store.timeline.add(noteOf(1, 'b'), 0),
      ]);
      expect(adds.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect(statements).toEqual(['timeline_add_many']);
    } finally {
      await store.close();
    }
  });

  it('refuses a server it cannot reach', async () => {
    const url = 'postgres://muster@127.0.0.1:1/none';
    await expect(openPgStore(url)).rejects.toThrow();
    const store = new PgStore(new pg.Pool({ connectionString: url }));
    expect(await store.ping()).toBe(false);
    await store.close();
  });
});
