/**
 * Muster with a fake PagerDuty and a service catalog that pages it: `checkout` through Events v2 (plus REST ids
 * for on-call), `search` through the REST API, `billing` without a PagerDuty target, `ghost` with a routing
 * key PagerDuty does not know. The fake's clock is Muster's, so webhook times line up with the test's clock.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Incident } from '../../src/domain/incident.js';
import { type RunningFakePagerDuty, startFakePagerDuty } from '../fakes/fake-pagerduty.js';
import { FixedClock } from './fixed-clock.js';
import { type Harness, startMuster } from './muster-harness.js';
import { tempDir } from './temp-dir.js';

/** The parts of an Events v2 request body the tests read. */
export interface SentEvent {
  routing_key: string;
  event_action: string;
  payload: { summary: string; severity: string; source: string; custom_details: Record<string, unknown> };
  links: { href: string; text?: string }[];
}

/** The parts of a REST `incident` request body the tests read. */
export interface SentIncident {
  title?: string;
  urgency?: string;
  incident_key?: string;
  status?: string;
  escalation_level?: number;
  service?: { id: string };
  escalation_policy?: { id: string };
  body?: { details: string };
}

/** A request the fake PagerDuty recorded, read as an Events v2 event. */
export const sentEvent = (r: { body: unknown } | undefined): SentEvent => {
  if (!r) throw new Error('no such request');
  return r.body as SentEvent;
};
/** A request the fake PagerDuty recorded, read as a REST incident write. */
export const sentIncident = (r: { body: unknown } | undefined): SentIncident => {
  if (!r) throw new Error('no such request');
  return (r.body as { incident: SentIncident }).incident;
};

export const WEBHOOK_SECRET = 'pd-webhook-secret-4c1e';
/** 32 characters, so the fake accepts its shape and refuses it as unknown (400 Invalid routing key) */
export const UNKNOWN_ROUTING_KEY = 'ffffffffffffffffffffffffffffffff';

export interface PagingWorld {
  h: Harness;
  pd: RunningFakePagerDuty;
  clock: FixedClock;
  webhookUrl: string;
  /** declares an incident from C0GENERAL and returns it once its channel exists */
  declare(text: string, user?: string): Promise<Incident>;
  /** `/incident <text>` typed in the incident's channel */
  inChannel(incident: Incident, text: string, user?: string): ReturnType<Harness['command']>;
  /** texts the bot posted in a channel, oldest first */
  posted(channelId: string): string[];
  /** rows of a table in Muster's database */
  rows(sql: string, ...params: unknown[]): Record<string, unknown>[];
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface PagingWorldOptions {
  /** extra variables; `undefined` leaves out one the world sets (such as PAGERDUTY_WEBHOOK_SECRET) */
  env?: Record<string, string | undefined>;
  /** leave PagerDuty REST credentials out of the environment */
  noRestToken?: boolean;
  /** a token other than the fake's full-access one */
  token?: string;
  /** the fake's valid token without write access (REST writes answer 403) */
  readOnlyToken?: boolean;
  pagerDutyTimeoutMs?: number;
  random?: () => number;
}

const catalogYaml = (routingKey: string) => `services:
  - name: checkout
    aliases: [cart]
    owner: Storefront
    team_channel: C04STOREFRNT
    pagerduty:
      routing_key: ${routingKey}
      service_id: PSVC001
      escalation_policy_id: PEP0001
    paging:
      auto_page: [sev1]
  - name: search
    owner: Discovery
    pagerduty:
      service_id: PSVC002
      escalation_policy_id: PEP0001
    paging:
      auto_page: []
  - name: billing
    owner: Payments
  - name: ghost
    owner: Nobody
    pagerduty:
      routing_key: ${UNKNOWN_ROUTING_KEY}
    paging:
      auto_page: []
`;

/** Starts the fake PagerDuty, writes the catalog and starts Muster pointed at both. */
export async function startPagingWorld(o: PagingWorldOptions = {}): Promise<PagingWorld> {
  const clock = new FixedClock();
  const pd = await startFakePagerDuty({
    now: () => clock.now(),
    services: [
      { id: 'PSVC001', name: 'Checkout', escalationPolicyId: 'PEP0001' },
      { id: 'PSVC002', name: 'Search', escalationPolicyId: 'PEP0001' },
    ],
  });
  const dir = tempDir();
  writeFileSync(join(dir, 'catalog.yaml'), catalogYaml(pd.routingKey));
  const given: Record<string, string | undefined> = {
    PAGERDUTY_EVENTS_URL: pd.eventsUrl,
    PAGERDUTY_API_URL: pd.apiUrl,
    PAGERDUTY_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ...(o.noRestToken
      ? {}
      : {
          PAGERDUTY_API_TOKEN: o.readOnlyToken ? pd.readOnlyToken : (o.token ?? pd.token),
          PAGERDUTY_FROM: pd.from,
        }),
    ...o.env,
  };
  // an unset variable is left out: an empty one is a configuration error
  const env = Object.fromEntries(
    Object.entries(given).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const overrides = {
    tickIntervalMs: 0,
    slackRetry: { retries: 3, minTimeout: 5, maxTimeout: 50 },
    pagerDutyTimeoutMs: o.pagerDutyTimeoutMs ?? 2000,
    random: o.random ?? (() => 0.5),
  };
  let h = await startMuster({ env, clock, dir, overrides });
  const world: PagingWorld = {
    get h() {
      return h;
    },
    pd,
    clock,
    get webhookUrl() {
      return `${h.url}/pagerduty/webhook`;
    },
    async declare(text, user = 'U0ALICE') {
      const r = await h.command(`declare ${text}`, { user });
      if (r.status !== 200) throw new Error(`declare answered ${r.status}`);
      await h.idle();
      const number = Number(/INC-(\d+)/.exec(String(r.json?.text))?.[1]);
      const incident = await h.app.deps.store.incidents.get(number);
      if (!incident?.channelId) throw new Error(`no channel for ${String(r.json?.text)}`);
      return incident;
    },
    inChannel: (incident, text, user = 'U0ALICE') => h.command(text, { user, channel: incident.channelId! }),
    posted: (channelId) =>
      h.slack
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === channelId)
        .map((c) => String(c.args.text)),
    rows(sql, ...params) {
      const db = new Database(h.dbFile, { readonly: true });
      try {
        return db.prepare(sql).all(...params) as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    async restart() {
      h = await h.restart();
    },
    async stop() {
      await h.stop();
      await pd.close();
    },
  };
  return world;
}
