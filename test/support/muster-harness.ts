/**
 * Starts the real app on a random port against a fake Slack (and optionally a fake PagerDuty), with a temp
 * SQLite file (or, in the PostgreSQL project, a fresh database on the test server), a movable clock and
 * captured logs; sends correctly signed slash commands, events and interactions over HTTP, the way Slack does.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { buildApp, type MusterApp, type Overrides, openStore } from '../../src/compose.js';
import { isPostgresUrl, loadConfig } from '../../src/config.js';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { FixedClock } from './fixed-clock.js';
import { LogCapture } from './log-capture.js';
import { freshPgDatabase, onPostgres } from './pg-database.js';
import { signedHeaders } from './sign.js';
import { tempDir } from './temp-dir.js';

export const SIGNING_SECRET = 'test-signing-secret-8f742231b10e8888';

export interface HarnessOptions {
  env?: Record<string, string>;
  clock?: FixedClock;
  slack?: FakeSlack;
  dir?: string;
  overrides?: Overrides;
}

export interface HttpAnswer {
  status: number;
  text: string;
  json: Record<string, unknown> | null;
}

export interface Harness {
  app: MusterApp;
  url: string;
  slack: FakeSlack;
  clock: FixedClock;
  logs: LogCapture;
  dir: string;
  dbFile: string;
  env: Record<string, string>;
  /** Sends `/incident <text>` as `user` from `channel`; returns Slack's view of the answer. */
  command(
    text: string,
    opts?: { user?: string; channel?: string; triggerId?: string; team?: string },
  ): Promise<HttpAnswer & { responseUrl: string }>;
  /** Delivers an Events API envelope around `event`. */
  event(
    event: Record<string, unknown>,
    opts?: { eventId?: string; retryNum?: number; retryReason?: string },
  ): Promise<HttpAnswer & { eventId: string }>;
  /** Posts an interactivity payload (block_actions, view_submission). */
  interact(payload: Record<string, unknown>): Promise<HttpAnswer>;
  /** Raw POST to any path, signed with the Slack secret unless `unsigned`. */
  post(path: string, body: string, headers?: Record<string, string>): Promise<HttpAnswer>;
  get(path: string): Promise<HttpAnswer>;
  /** Rows of a query on the app's database, SQLite or PostgreSQL (bigint read as numbers). */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** `http://127.0.0.1:<METRICS_PORT>` (null when metrics are off) */
  metricsUrl: string | null;
  /** The Prometheus text of `GET /metrics` on the metrics port. */
  metrics(): Promise<string>;
  idle(): Promise<void>;
  /** Stops this app and starts a new one on the same database and fake Slack. */
  restart(): Promise<Harness>;
  stop(): Promise<void>;
}

const answer = async (r: Response): Promise<HttpAnswer> => {
  const text = await r.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    json = null;
  }
  return { status: r.status, text, json };
};

/** Reads rows through a connection of its own, as an operator's query would. */
async function queryRows(databaseUrl: string, sql: string): Promise<Record<string, unknown>[]> {
  if (!isPostgresUrl(databaseUrl)) {
    const db = new Database(databaseUrl, { readonly: true });
    try {
      return db.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({
    connectionString: databaseUrl,
    types: { getTypeParser: (oid, format) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) },
  });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** The PostgreSQL database of each harness folder, so a restart finds its records again. */
const pgDatabases = new Map<string, string>();

export async function startMuster(opts: HarnessOptions = {}): Promise<Harness> {
  const slack = opts.slack ?? (await startFakeSlack());
  const clock = opts.clock ?? new FixedClock(Date.now());
  const dir = opts.dir ?? tempDir();
  const dbFile = join(dir, 'muster.db');
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DATABASE_URL: dbFile,
    CATALOG_PATH: join(dir, 'catalog.yaml'),
    LOG_LEVEL: 'info',
    // any free port: several apps run at once in one test process
    METRICS_PORT: '0',
    ...opts.env,
  };
  if (onPostgres() && opts.env?.DATABASE_URL === undefined) {
    const url = pgDatabases.get(dir) ?? (await freshPgDatabase());
    pgDatabases.set(dir, url);
    env.DATABASE_URL = url;
  }
  const logs = new LogCapture();
  let app: MusterApp;
  try {
    const config = loadConfig(env);
    const store = opts.overrides?.store ?? (await openStore(config));
    app = buildApp(config, {
      ...(store ? { store } : {}),
      clock,
      logDestination: logs,
      slackRetry: { retries: 3, minTimeout: 5, maxTimeout: 50 },
      tickIntervalMs: 0,
      uploadBackoffMs: 5,
      ...opts.overrides,
    });
  } catch (e) {
    if (!opts.slack) await slack.close();
    throw e;
  }
  const port = await app.start(0);
  await app.idle();
  const url = `http://127.0.0.1:${port}`;
  const nowSec = () => Math.floor(clock.now() / 1000);

  const post = async (path: string, body: string, headers: Record<string, string> = {}) =>
    answer(
      await fetch(url + path, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...signedHeaders(SIGNING_SECRET, body, nowSec()),
          ...headers,
        },
        body,
      }),
    );

  const h: Harness = {
    app,
    url,
    slack,
    clock,
    logs,
    dir,
    dbFile,
    env,
    async command(text, o = {}) {
      const responseUrl = slack.responseUrl();
      const form = new URLSearchParams({
        token: 'legacy-verification-token',
        team_id: o.team ?? 'T0MUSTER',
        team_domain: 'muster-sandbox',
        channel_id: o.channel ?? 'C0GENERAL',
        channel_name: 'general',
        user_id: o.user ?? 'U0ALICE',
        user_name: 'alice',
        command: '/incident',
        text,
        api_app_id: 'A0MUSTER',
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: o.triggerId ?? `${Date.now()}.${Math.floor(Math.random() * 1e6)}.trigger`,
      });
      return { ...(await post('/slack/events', form.toString())), responseUrl };
    },
    async event(event, o = {}) {
      const eventId = o.eventId ?? `Ev${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
      const body = JSON.stringify({
        token: 'legacy-verification-token',
        team_id: 'T0MUSTER',
        api_app_id: 'A0MUSTER',
        event: { event_ts: `${nowSec()}.000100`, ...event },
        type: 'event_callback',
        event_id: eventId,
        event_time: nowSec(),
        authorizations: [
          { team_id: 'T0MUSTER', user_id: 'U0MUSTERBOT', is_bot: true, is_enterprise_install: false },
        ],
        is_ext_shared_channel: false,
      });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (o.retryNum !== undefined) {
        headers['x-slack-retry-num'] = String(o.retryNum);
        headers['x-slack-retry-reason'] = o.retryReason ?? 'http_timeout';
      }
      return { ...(await post('/slack/events', body, headers)), eventId };
    },
    async interact(payload) {
      return post('/slack/events', new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    },
    post,
    async get(path) {
      return answer(await fetch(url + path));
    },
    metricsUrl: app.metricsAddress === null ? null : `http://127.0.0.1:${app.metricsAddress.port}`,
    async metrics() {
      if (h.metricsUrl === null) throw new Error('metrics are off (METRICS_PORT=off)');
      const r = await fetch(`${h.metricsUrl}/metrics`);
      if (r.status !== 200) throw new Error(`GET /metrics answered ${r.status}`);
      return r.text();
    },
    idle: () => app.idle(),
    rows: (sql) => queryRows(env.DATABASE_URL!, sql),
    async restart() {
      await app.stop();
      return startMuster({ ...opts, env: opts.env ?? {}, slack, clock, dir });
    },
    async stop() {
      await app.stop();
      await slack.close();
    },
  };
  return h;
}
