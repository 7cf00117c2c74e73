/**
 * `muster db copy --to <postgres-url>` (src/adapters/store/pg/copy-sqlite.ts): a SQLite database, written through
 * the app's store with rows in every table, is copied into an empty PostgreSQL database on a throwaway server
 * (test/support/pg-cluster.ts); the PostgreSQL store then answers every read as the SQLite store does, goes on
 * numbering where SQLite stopped, and a refused or failed copy leaves the target's tables as they were.
 */
import { join } from 'node:path';
import { getTableName, is } from 'drizzle-orm';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import { PgTable } from 'drizzle-orm/pg-core';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/adapters/store/db.js';
import {
  COPY_APPLICATION_NAME,
  copySqliteToPostgres,
  DbCopyError,
} from '../../../src/adapters/store/pg/copy-sqlite.js';
import { openPgStore } from '../../../src/adapters/store/pg/pg-store.js';
import * as pgSchema from '../../../src/adapters/store/pg/schema.js';
import * as sqliteSchema from '../../../src/adapters/store/schema.js';
import { Store } from '../../../src/adapters/store/store.js';
import type { IncidentStore } from '../../../src/domain/ports/store.js';
import { runMuster } from '../../support/muster-process.js';
import { type PgCluster, startPgCluster } from '../../support/pg-cluster.js';
import { removeTempDirs, tempDir } from '../../support/temp-dir.js';

let cluster: PgCluster;
let admin: pg.Client;
let n = 0;

/** The URL of a new, empty database on the test server; `password` is accepted and ignored (trust). */
async function freshDatabase(password?: string): Promise<string> {
  const name = `copy${++n}`;
  await admin.query(`create database "${name}"`);
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  if (password) url.password = password;
  return url.toString();
}

beforeAll(async () => {
  cluster = await startPgCluster();
  admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
}, 60_000);

afterAll(async () => {
  await admin?.end();
  await cluster?.stop();
  removeTempDirs();
});

const T0 = Date.UTC(2026, 10, 3, 9, 0);
const min = (m: number) => T0 + m * 60_000;
const CHANNEL = 'C0CHECKOUT';

/** Every Muster table, by its SQL name. */
const TABLES = Object.values(sqliteSchema)
  .filter((t) => is(t, SQLiteTable))
  .map((t) => getTableName(t))
  .sort();

/**
 * A day of incidents written through the store, touching every table: a resolved sev2 with roles handed over,
 * messages with files (one edited, one deleted), reactions, a redacted entry, services and runbooks, a page
 * acknowledged, its outbox rows, action items and three postmortem drafts (uploaded, being shared, given up);
 * an open sev1; and a third incident that was removed by hand, whose number must not come back.
 */
async function seedEveryTable(file: string): Promise<void> {
  const store = new Store(openDb(file));
  await store.tx(async () => {
    const inc = await store.incidents.create({
      title: 'Checkout returns 502 for card payments',
      description: 'Card payments fail at “Pay now” 💳',
      severity: 2,
      teamId: 'T0MUSTER',
      declaredBy: 'U0ALICE',
      declaredAt: min(0),
      declareResponseUrl: 'https://hooks.slack.com/commands/T0MUSTER/1/abc',
      declareChannelId: 'C0GENERAL',
    });
    await store.incidents.update(
      inc.number,
      { channelId: CHANNEL, channelName: 'inc-1-checkout-502', headlineTs: '1762160400.000100' },
      min(1),
    );
    await store.incidents.markProvisioned(inc.number, min(1), 'done');
    await store.incidents.assignRole(inc.number, 'ic', 'U0ALICE', 'U0ALICE', min(1));
    await store.incidents.assignRole(inc.number, 'comms', 'U0BOB', 'U0ALICE', min(2));
    await store.incidents.assignRole(inc.number, 'ic', 'U0CAROL', 'U0ALICE', min(30));

    for (const [id, displayName, isBot, deleted] of [
      ['U0ALICE', 'Alice', false, false],
      ['U0BOB', 'Bob', false, true],
      ['U0CAROL', 'Carol Ó Súilleabháin', false, false],
      ['U0PDBOT', 'PagerDuty', true, false],
    ] as const)
      await store.users.put({ id, name: id.toLowerCase(), displayName, isBot, deleted }, min(1));

    await store.inbound.record('slack', 'Ev01', '{"type":"event_callback","event":{"text":"hi"}}', min(3));
    await store.inbound.markProcessed('slack', 'Ev01', min(3));
    await store.inbound.record(
      'slack',
      'Ev02',
      '{"type":"event_callback","text":"C:\\\\temp {x} \\"q\\""}',
      min(4),
    );
    await store.inbound.markFailed('slack', 'Ev02', 'channel_not_found');
    await store.inbound.record(
      'pagerduty',
      'PD01',
      '{"event":{"event_type":"incident.acknowledged"}}',
      min(9),
    );

    const files = [
      { name: 'grafana.png', url: 'https://files.slack.com/grafana.png', mimetype: 'image/png' },
    ];
    await store.messages.addIfNew(
      {
        channelId: CHANNEL,
        ts: '1762160580.000200',
        threadTs: null,
        userId: 'U0BOB',
        text: 'p99 is 4 s',
        files,
      },
      min(3),
    );
    await store.messages.addIfNew(
      {
        channelId: CHANNEL,
        ts: '1762160640.000300',
        threadTs: '1762160580.000200',
        userId: 'U0CAROL',
        text: 'rolling back',
        files: [],
      },
      min(4),
    );
    await store.messages.edit(
      {
        channelId: CHANNEL,
        ts: '1762160640.000300',
        threadTs: '1762160580.000200',
        userId: 'U0CAROL',
        text: 'rolling back v2.3',
        files: [],
      },
      min(5),
      min(5),
    );
    await store.messages.markDeleted(CHANNEL, '1762160700.000400', min(6), {
      threadTs: null,
      userId: 'U0BOB',
    });
    await store.reactions.add(
      { channelId: CHANNEL, ts: '1762160580.000200', userId: 'U0ALICE', emoji: 'pushpin' },
      min(3),
    );
    await store.reactions.add(
      { channelId: CHANNEL, ts: '1762160580.000200', userId: 'U0BOB', emoji: 'pushpin::skin-tone-2' },
      min(4),
    );

    const entry = (
      kind: 'declared' | 'message' | 'note',
      text: string,
      at: number,
      sourceKey: string,
      meta = {},
    ) =>
      store.timeline.add(
        { incidentNumber: inc.number, kind, text, actor: 'U0BOB', occurredAt: at, sourceKey, meta },
        at + 500,
      );
    await entry('declared', 'Checkout returns 502', min(0), 'declare');
    const pinned = await entry('message', 'p99 is 4 s', min(3), 'msg:1762160580.000200', {
      channelId: CHANNEL,
      messageTs: '1762160580.000200',
      permalink: 'https://muster.slack.com/archives/C0CHECKOUT/p1762160580000200',
      files,
      nested: { reasons: ['db', 'cache'], weight: 1.5, quiet: null, on: true },
      // what an array literal must escape: quotes, backslashes, braces, commas, the word NULL, an empty string
      tricky: ['say "NULL" \\ {a, b}', 'NULL', '', '\n'],
    });
    await store.timeline.edit(pinned!.id, 'p99 is 4.2 s', { editedAt: min(5) });
    const secret = await entry('note', 'customer card 4242 in the log', min(7), 'note:1');
    await store.timeline.redact(secret!.id, 'U0ALICE', min(8));
    const gone = await entry('note', 'NULL', min(8), 'note:2');
    await store.timeline.setState(gone!.id, 'removed');

    await store.services.attach(inc.number, 'checkout', min(2));
    await store.services.attach(inc.number, 'payments', min(2));
    await store.services.link({
      incidentNumber: inc.number,
      service: 'checkout',
      title: 'Checkout returns 5xx',
      url: 'https://wiki.example.com/runbooks/checkout-5xx',
      linkedBy: 'U0ALICE',
      linkedAt: min(2),
    });
    await store.services.link({
      incidentNumber: inc.number,
      service: null,
      title: 'DB failover & restore',
      url: 'https://wiki.example.com/db/failover?team=db&v=2',
      linkedBy: 'U0BOB',
      linkedAt: min(6),
    });

    const page = await store.pages.create({
      incidentNumber: inc.number,
      service: 'payments',
      via: 'events',
      dedupKey: 'muster-inc-1-payments',
      message: 'Card payments fail',
      severity: 2,
      requestedBy: 'U0ALICE',
      requestedAt: min(5),
    });
    await store.pages.update(page.id, {
      status: 'acknowledged',
      pdIncidentId: 'Q1ABC',
      triggeredAt: min(5),
      acknowledgedAt: min(9),
      acknowledgedBy: 'Dana (PagerDuty)',
      escalationLevel: 2,
      escalatedAt: min(8),
    });
    const trigger = await store.outbox.add(
      { incidentNumber: inc.number, kind: 'pagerduty.trigger', payload: { pageId: page.id } },
      min(5),
    );
    await store.outbox.retryLater(trigger.id, {
      nextAttemptAt: min(6),
      error: 'ETIMEDOUT',
      payload: { pageId: page.id, maybeSent: true },
    });
    await store.outbox.markDelivered(trigger.id, min(6));
    await store.outbox.add(
      { incidentNumber: inc.number, kind: 'pagerduty.escalate', payload: { pageId: page.id, level: 2 } },
      min(8),
    );

    const action = await store.actions.add({
      incidentNumber: inc.number,
      text: 'Alert on p99 > 2 s',
      ownerId: 'U0CAROL',
      priority: 'p1',
      due: '2026-11-20',
      createdBy: 'U0ALICE',
      createdAt: min(40),
    });
    const guide = await store.actions.add({
      incidentNumber: inc.number,
      text: 'Write the retry guide',
      ownerId: null,
      priority: 'p3',
      due: null,
      createdBy: 'U0BOB',
      createdAt: min(41),
    });
    // one follow-up became an issue (checked since), the other was refused
    const ops = { tracker: 'jira', project: 'OPS', issueType: 'Task' } as const;
    await store.followUps.queue({
      actionId: action.id,
      target: ops,
      idempotencyKey: `muster-T0-action-${action.id}`,
      now: min(40),
    });
    await store.followUps.queue({
      actionId: guide.id,
      target: { tracker: 'github', repo: 'acme/search' },
      idempotencyKey: `muster-T0-action-${guide.id}`,
      now: min(41),
    });
    await store.followUps.claimDue(min(41), { owner: 'host:42:0badcafe', until: min(42), limit: 2 });
    const issue = {
      tracker: 'jira',
      id: '10012',
      key: 'OPS-12',
      url: 'https://acme.atlassian.net/browse/OPS-12',
    } as const;
    await store.followUps.markCreated(action.id, 'host:42:0badcafe', issue, min(41));
    await store.followUps.markChecked(action.id, min(44));
    await store.followUps.markFailed(
      guide.id,
      'host:42:0badcafe',
      'GitHub refused the issue: repository acme/search not found',
    );
    await store.followUps.markFailureNotified(guide.id, min(41));
    await store.actions.claimOwnerReminder('U0CAROL', '2026-W47', min(43));
    await store.homeViewers.opened('U0CAROL', min(45));
    await store.homeViewers.opened('U0BOB', min(46));
    await store.actions.markDone(action.id, 'U0CAROL', min(42));
    await store.timeline.add(
      {
        incidentNumber: inc.number,
        kind: 'action',
        text: 'Action item: Alert on p99 > 2 s',
        actor: 'U0ALICE',
        occurredAt: min(40),
        sourceKey: `action:${action.id}`,
        meta: { actionId: action.id },
      },
      min(40),
    );
    await store.incidents.update(
      inc.number,
      { status: 'resolved', mitigatedAt: min(35), resolvedAt: min(45), summary: 'Rolled back v2.3' },
      min(45),
    );
    await store.reminders.claim(inc.number, 'update:1', min(15));
    await store.reminders.claim(inc.number, 'update:2', min(30));

    // what the summary shared with a draft reports, and the lease of the instance sharing it
    const upload = (at: number) => ({
      lease: { owner: 'host:42:0badcafe', until: at + 20_000 },
      figures: {
        draft: false,
        duration: { ms: 45 * 60_000, text: '45 min' },
        elapsed: { ms: 45 * 60_000, text: '45 min' },
        timelineCount: 6,
        actionCount: 1,
      },
    });
    const draft = await store.postmortems.add({
      incidentNumber: inc.number,
      filename: (v) => `postmortem-INC-1-v${v}.md`,
      content: '# INC-1\n\nCheckout returns 502 — *blameless*.\n',
      requestedBy: 'U0ALICE',
      createdAt: min(50),
      upload: upload(min(50)),
    });
    await store.postmortems.markUploaded(
      draft.id,
      'F0DRAFT1',
      'https://muster.slack.com/files/F0DRAFT1',
      min(51),
    );
    // still being shared when the copy is taken (held by its lease)
    await store.postmortems.add({
      incidentNumber: inc.number,
      filename: (v) => `postmortem-INC-1-v${v}.md`,
      content: 'x'.repeat(200_000),
      requestedBy: 'U0BOB',
      createdAt: min(52),
      upload: upload(min(52)),
    });
    const givenUp = await store.postmortems.add({
      incidentNumber: inc.number,
      filename: (v) => `postmortem-INC-1-v${v}.md`,
      content: '# INC-1, v3',
      requestedBy: 'U0BOB',
      createdAt: min(53),
      upload: upload(min(53)),
    });
    await store.postmortems.markGivenUp(givenUp.id, min(54));

    const open = await store.incidents.create({
      title: 'Search is slow',
      severity: 1,
      teamId: 'T0MUSTER',
      declaredBy: 'U0BOB',
      declaredAt: min(60),
    });
    await store.incidents.assignRole(open.number, 'ic', 'U0BOB', 'U0BOB', min(60));
    await store.timeline.add(
      {
        incidentNumber: open.number,
        kind: 'declared',
        text: 'Search is slow',
        actor: 'U0BOB',
        occurredAt: min(60),
        sourceKey: 'declare',
      },
      min(60),
    );
    await store.incidents.create({
      title: 'declared by mistake',
      severity: 3,
      teamId: 'T0MUSTER',
      declaredBy: 'U0BOB',
      declaredAt: min(61),
    });
  });
  // An incident removed by hand (support cleaned up a test declaration): SQLite never hands its number out again.
  const db = openDb(file);
  db.$client.prepare('delete from incidents where number = 3').run();
  db.$client.close();
  await store.close();
}

/** What the app reads back from a store, through the port: every repository, every incident. */
async function readBack(store: IncidentStore) {
  const incidents = await store.incidents.all();
  const perIncident = [];
  for (const { number } of incidents) {
    const actions = await store.actions.list(number);
    const pages = await store.pages.list(number);
    perIncident.push({
      number,
      incident: await store.incidents.get(number),
      holders: await store.incidents.holders(number),
      roles: await store.incidents.roleHistory(number),
      timeline: await store.timeline.list(number, { includeRemoved: true }),
      shown: await store.timeline.list(number),
      services: await store.services.attached(number),
      links: await store.services.links(number),
      pages,
      pagesByKey: await Promise.all(pages.map((p) => store.pages.byDedupKey(p.dedupKey))),
      actions,
      actionEntries: await Promise.all(actions.map((a) => store.timeline.ofAction(number, a.id))),
      reminders: await store.reminders.keys(number),
      postmortem: await store.postmortems.latestUploaded(number),
    });
  }
  const users = await store.users.many(['U0ALICE', 'U0BOB', 'U0CAROL', 'U0PDBOT']);
  return {
    incidents,
    perIncident,
    open: await store.incidents.listOpen(),
    byChannel: await store.incidents.byChannel(CHANNEL),
    byChannelName: await store.incidents.byChannelName('inc-1-checkout-502'),
    provisioning: await store.incidents.pendingProvisioning(),
    users: [...users.entries()],
    alice: await store.users.get('U0ALICE'),
    messages: await Promise.all(
      ['1762160580.000200', '1762160640.000300', '1762160700.000400'].map((ts) =>
        store.messages.get(CHANNEL, ts),
      ),
    ),
    authors: await store.messages.authors(CHANNEL),
    reactions: await store.reactions.count(CHANNEL, '1762160580.000200'),
    pendingSlack: await store.inbound.pending('slack'),
    pendingPagerDuty: await store.inbound.pending('pagerduty'),
    processed: await store.inbound.isProcessed('slack', 'Ev01'),
    outbox: await Promise.all([1, 2].map((id) => store.outbox.get(id))),
    outboxPending: await store.outbox.pending(),
    backlog: await store.outbox.backlog(),
    page: await store.pages.byPdIncidentId('Q1ABC'),
  };
}

/** Every row of every table, as drizzle reads it (flags as booleans, JSON parsed), in a stable order. */
async function everyRow(read: (table: string) => Promise<Record<string, unknown>[]>) {
  const key = (row: Record<string, unknown>) =>
    JSON.stringify(Object.values(row).filter((v) => typeof v !== 'object'));
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of TABLES) out[table] = (await read(table)).sort((a, b) => key(a).localeCompare(key(b)));
  return out;
}

const sqliteTableOf = (name: string) =>
  Object.values(sqliteSchema).find((t) => is(t, SQLiteTable) && getTableName(t) === name) as SQLiteTable;
const pgTableOf = (name: string) =>
  Object.values(pgSchema).find((t) => is(t, PgTable) && getTableName(t) === name) as PgTable;

async function sqliteRows(file: string) {
  const db = openDb(file);
  try {
    return await everyRow(async (t) => db.select().from(sqliteTableOf(t)).all());
  } finally {
    db.$client.close();
  }
}

async function pgRows(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const db = pgDrizzle({ client: pool });
    return await everyRow(async (t) => db.select().from(pgTableOf(t)));
  } finally {
    await pool.end();
  }
}

/** Rows per table in the database at `url`. */
async function counts(url: string, tables = TABLES): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, number> = {};
    for (const t of tables)
      out[t] = Number((await client.query(`select count(*) as n from "${t}"`)).rows[0].n);
    return out;
  } finally {
    await client.end();
  }
}

const empty = (tables = TABLES) => Object.fromEntries(tables.map((t) => [t, 0]));

describe('db copy', () => {
  let file: string;
  let url: string;
  let lines: string[];
  let copied: Awaited<ReturnType<typeof copySqliteToPostgres>>;

  beforeAll(async () => {
    file = join(tempDir(), 'muster.db');
    await seedEveryTable(file);
    url = await freshDatabase('s3cret-pw');
    lines = [];
    copied = await copySqliteToPostgres(file, url, { log: (l) => lines.push(l) });
  }, 60_000);

  it('copies every row of every table, and reports each table with its count', async () => {
    const source = await sqliteRows(file);
    for (const t of TABLES) expect(source[t]!.length, `the seed writes ${t}`).toBeGreaterThan(0);
    expect(await pgRows(url)).toEqual(source);

    expect(copied.map((c) => c.table).sort()).toEqual(TABLES);
    for (const { table, rows } of copied) expect(rows).toBe(source[table]!.length);
    // parents before the tables that refer to them
    const at = (t: string) => copied.findIndex((c) => c.table === t);
    for (const child of ['role_assignments', 'timeline_entries', 'pages', 'postmortems', 'reminders_sent'])
      expect(at(child)).toBeGreaterThan(at('incidents'));
    expect(at('postmortem_contents')).toBeGreaterThan(at('postmortems'));

    expect(lines).toHaveLength(TABLES.length + 1);
    expect(lines[copied.findIndex((c) => c.table === 'timeline_entries')]).toMatch(
      /^timeline_entries +6 rows$/,
    );
    expect(lines[copied.findIndex((c) => c.table === 'incidents')]).toMatch(/^incidents +2 rows$/);
    expect(lines.at(-1)).toBe(
      `copied: set DATABASE_URL=${url.replace('s3cret-pw', '***')} (with its password) to run Muster on PostgreSQL`,
    );
    expect(lines.join('\n')).not.toContain('s3cret');
  });

  it('answers every read of the PostgreSQL store as the SQLite store does', async () => {
    const sqlite = new Store(openDb(file));
    const postgres = await openPgStore(url);
    try {
      const expected = await readBack(sqlite);
      expect(expected.perIncident.map((i) => [i.number, i.timeline.length])).toEqual([
        [2, 1],
        [1, 5],
      ]);
      expect(await readBack(postgres)).toEqual(expected);
    } finally {
      await sqlite.close();
      await postgres.close();
    }
  });

  it('goes on numbering after the copied incidents, skipping a number SQLite handed out before', async () => {
    const postgres = await openPgStore(url);
    try {
      const next = await postgres.incidents.create({
        title: 'Login loops',
        severity: 3,
        teamId: 'T0MUSTER',
        declaredBy: 'U0ALICE',
        declaredAt: min(90),
      });
      // 3 was deleted in SQLite: AUTOINCREMENT never gives it again, nor does PostgreSQL
      expect(next.number).toBe(4);
      const added = await postgres.timeline.add(
        {
          incidentNumber: 1,
          kind: 'note',
          text: 'postmortem review booked',
          actor: 'U0ALICE',
          occurredAt: min(90),
          sourceKey: 'note:3',
        },
        min(90),
      );
      expect(added).toMatchObject({ id: 7, number: 6 });
      const page = await postgres.pages.create({
        incidentNumber: next.number,
        service: 'auth',
        via: 'rest',
        dedupKey: 'muster-inc-4-auth',
        message: null,
        severity: 3,
        requestedBy: 'U0ALICE',
        requestedAt: min(91),
      });
      expect(page.id).toBe(2);
    } finally {
      await postgres.close();
    }
  });

  it('refuses a target that holds rows, naming the tables, and writes nothing', async () => {
    const before = await counts(url);
    const refusal = await copySqliteToPostgres(file, url).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DbCopyError);
    expect((refusal as DbCopyError).code).toBe('copy.target_not_empty');
    expect((refusal as DbCopyError).message).toMatch(
      /^the target database is not empty \(rows in [a-z_, ]*incidents[a-z_, ]*\): db copy writes only into an empty database, and wrote nothing$/,
    );
    expect(await counts(url)).toEqual(before);
  });
});

describe('db copy that fails', () => {
  let file: string;

  beforeAll(async () => {
    file = join(tempDir(), 'muster.db');
    await seedEveryTable(file);
  }, 60_000);

  it('leaves the target empty when a table refuses its rows midway', async () => {
    const url = await freshDatabase();
    const prepared = await openPgStore(url);
    // the last table to copy refuses every row, after the others were written in the same transaction
    await prepared.pool.query(
      'alter table postmortem_contents add constraint refuse_all check (false) not valid',
    );
    await prepared.close();
    const failure = await copySqliteToPostgres(file, url).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DbCopyError);
    expect((failure as Error).message).toMatch(
      /^copying postmortem_contents failed, nothing was written: .*refuse_all/,
    );
    expect(await counts(url)).toEqual(empty());
  });

  it('leaves the target empty when its schema lacks a table', async () => {
    const url = await freshDatabase();
    const prepared = await openPgStore(url);
    await prepared.pool.query('drop table reminders_sent');
    await prepared.close();
    const failure = await copySqliteToPostgres(file, url).catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(
      /nothing was written: relation "reminders_sent" does not exist/,
    );
    const others = TABLES.filter((t) => t !== 'reminders_sent');
    expect(await counts(url, others)).toEqual(empty(others));
  });

  it('waits a few seconds for a target another connection is writing, then refuses it', async () => {
    const url = await freshDatabase();
    const busy = await openPgStore(url);
    const writer = await busy.pool.connect();
    try {
      await writer.query('begin');
      await writer.query('lock table incidents in row exclusive mode');
      const refusal = await copySqliteToPostgres(file, url).catch((e: unknown) => e);
      expect(refusal).toMatchObject({ code: 'copy.target_busy' });
      expect((refusal as Error).message).toMatch(
        /^the target database is in use .*stop the Muster instances/,
      );
    } finally {
      await writer.query('rollback');
      writer.release();
      await busy.close();
    }
    expect(await counts(url)).toEqual(empty());
  }, 30_000);

  it('says a target it cannot reach is one, without its password', async () => {
    const failure = await copySqliteToPostgres(file, 'postgres://muster:hunter2-pw@127.0.0.1:1/muster').catch(
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ code: 'copy.failed' });
    expect((failure as Error).message).toMatch(/^migrating the target database failed, no row was written: /);
    expect((failure as Error).message).not.toContain('hunter2');
  });

  it('refuses a source that is not a SQLite file, and a target that is not PostgreSQL', async () => {
    const url = await freshDatabase();
    await expect(copySqliteToPostgres(url, url)).rejects.toMatchObject({ code: 'copy.source_is_postgres' });
    await expect(copySqliteToPostgres(join(tempDir(), 'none.db'), url)).rejects.toMatchObject({
      code: 'copy.source_missing',
      message: expect.stringMatching(/none\.db does not exist/),
    });
    await expect(copySqliteToPostgres(file, join(tempDir(), 'other.db'))).rejects.toMatchObject({
      code: 'copy.target_not_postgres',
    });
  });
});

describe('db copy of a long timeline', () => {
  const ENTRIES = 100_000;
  let file: string;

  beforeAll(() => {
    file = join(tempDir(), 'muster.db');
    const db = openDb(file);
    const client = db.$client;
    client
      .prepare(
        "insert into incidents (title, severity, status, team_id, declared_by, declared_at, updated_at) values ('long one', 2, 'investigating', 'T0', 'U0A', ?, ?)",
      )
      .run(T0, T0);
    const add = client.prepare(
      "insert into timeline_entries (incident_number, number, kind, text, actor, occurred_at, recorded_at, source_key, meta) values (1, ?, 'message', ?, 'U0A', ?, ?, ?, ?)",
    );
    client.transaction(() => {
      for (let i = 1; i <= ENTRIES; i++)
        add.run(i, `step ${i}: checked the dashboard`, T0 + i, T0 + i, `k${i}`, JSON.stringify({ i }));
    })();
    client.close();
  }, 60_000);

  it(`copies ${ENTRIES} entries in batches`, async () => {
    const url = await freshDatabase();
    const copied = await copySqliteToPostgres(file, url);
    expect(copied.find((c) => c.table === 'timeline_entries')?.rows).toBe(ENTRIES);
    const store = await openPgStore(url);
    try {
      expect(await store.timeline.countActive(1)).toBe(ENTRIES);
      expect(await store.timeline.byNumber(1, ENTRIES)).toMatchObject({ id: ENTRIES, meta: { i: ENTRIES } });
    } finally {
      await store.close();
    }
  }, 60_000);

  it('leaves the target empty when its connection is killed midway', async () => {
    const url = await freshDatabase();
    const name = new URL(url).pathname.slice(1);
    const copying = copySqliteToPostgres(file, url).catch((e: unknown) => e);
    // wait until the copy is inserting timeline entries (after the incidents), then end its connection
    let killed = false;
    for (let tries = 0; !killed && tries < 2000; tries++) {
      const { rows } = await admin.query(
        'select pg_terminate_backend(pid) as done from pg_stat_activity where datname = $1 and application_name = $2 and query like \'insert into "timeline_entries"%\'',
        [name, COPY_APPLICATION_NAME],
      );
      killed = rows.some((r: { done: boolean }) => r.done);
      if (!killed) await new Promise((r) => setTimeout(r, 5));
    }
    expect(killed).toBe(true);
    const failure = await copying;
    expect(failure).toBeInstanceOf(DbCopyError);
    expect((failure as Error).message).toMatch(/^copying timeline_entries failed, nothing was written: /);
    expect(await counts(url)).toEqual(empty());
  }, 60_000);
});

// Each run is a process of the built CLI, as `npm run muster -- db copy` runs it.
describe('npm run muster -- db copy', () => {
  const cli = runMuster;

  it('copies, prints a line per table and what to set without the password, then refuses a second copy', async () => {
    const file = join(tempDir(), 'muster.db');
    await seedEveryTable(file);
    const url = await freshDatabase('hunter2-pw');
    const env = { DATABASE_URL: file };

    const first = await cli(['db', 'copy', '--to', url], env);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const out = first.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(TABLES.length + 1);
    expect(
      out
        .slice(0, -1)
        .map((l) => l.split(/ +/)[0])
        .sort(),
    ).toEqual(TABLES);
    expect(out).toContainEqual(expect.stringMatching(/^incidents +2 rows$/));
    expect(out.at(-1)).toMatch(
      /^copied: set DATABASE_URL=postgres:\/\/muster:\*\*\*@127\.0\.0\.1:\d+\/copy\d+ /,
    );
    expect(first.stdout).not.toContain('hunter2');

    // the export, a CommonJS bundle, loads the PostgreSQL store from the server build: the same document
    const undated = (md: string) =>
      md.replace(/\d{4}-\d\d-\d\d \d\d:\d\d/g, 'T').replace(/\d+ (d|h|min|s)\b/g, 'D');
    const fromSqlite = await cli(['export', 'INC-1'], env);
    const fromPg = await cli(['export', 'INC-1'], { DATABASE_URL: url });
    expect({ status: fromPg.status, stderr: fromPg.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fromPg.stdout).toMatch(/^# INC-1: /);
    expect(undated(fromPg.stdout)).toBe(undated(fromSqlite.stdout));

    const second = await cli(['db', 'copy', `--to=${url}`], env);
    expect(second.status).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(
      /^muster: the target database is not empty \(rows in .*\): .*wrote nothing\n$/,
    );
    expect(second.stderr).not.toContain('hunter2');
  });

  it('exits 1 with one line for a PostgreSQL DATABASE_URL or a missing file, and with the usage for a bad command', async () => {
    const url = await freshDatabase('hunter2-pw');
    const fromPg = await cli(['db', 'copy', '--to', url], { DATABASE_URL: url });
    expect(fromPg.status).toBe(1);
    expect(fromPg.stderr).toMatch(/^muster: db copy reads a SQLite database, .*\n$/);
    expect(fromPg.stderr).not.toContain('hunter2');

    const missing = join(tempDir(), 'nothing-here.db');
    const noFile = await cli(['db', 'copy', '--to', url], { DATABASE_URL: missing });
    expect(noFile.status).toBe(1);
    expect(noFile.stderr).toBe(`muster: the SQLite database ${missing} does not exist (DATABASE_URL)\n`);

    const noTo = await cli(['db', 'copy'], { DATABASE_URL: missing });
    expect(noTo.status).toBe(1);
    expect(noTo.stderr).toMatch(/^muster: db copy needs --to <postgres-url>\nusage: muster <command>/);
    expect(noTo.stderr).toContain('db copy --to <postgres-url>');

    const unknown = await cli(['db', 'move', '--to', url], { DATABASE_URL: missing });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^muster: unknown db command "move"\nusage: muster <command>/);
    // refused before connecting: not even the schema was written
    const target = new pg.Client({ connectionString: url });
    await target.connect();
    const tables = await target.query("select count(*) as n from pg_tables where schemaname = 'public'");
    await target.end();
    expect(Number(tables.rows[0].n)).toBe(0);
  });
});
