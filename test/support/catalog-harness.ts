/**
 * Muster started with a service catalog: catalog.yaml and runbooks/ written into the harness folder before
 * start-up, and the owning teams' channels created in the fake Slack (the bot is not a member of them).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startFakeSlack } from '../fakes/fake-slack.js';
import { type Harness, startMuster } from './muster-harness.js';
import { tempDir } from './temp-dir.js';

export const ROUTING_KEY = 'R0CHECKOUT0123456789abcdef012345';
export const GRAFANA = 'https://grafana.example.com/d/checkout';
export const PROVIDER_OUTAGE = 'https://wiki.example.com/payments/provider-outage';
export const CHECKOUT_5XX_MD = '# Checkout returns 5xx\n\n1. Check the error rate dashboard.\n';

export interface CatalogHarness extends Harness {
  /** the Storefront team channel (owner of checkout) */
  storefront: string;
  /** the Payments team channel */
  paymentsTeam: string;
  catalogPath: string;
  writeCatalog(yaml: string): void;
}

/** The catalog of the stories: checkout (a file and a link, pageable), payments (a link), search (nothing). */
export function storyCatalog(storefront: string, paymentsTeam: string): string {
  return `services:
  - name: checkout
    aliases: [checkout-api, cart]
    description: Cart and order placement.
    owner: Storefront
    team_channel: ${storefront}
    runbooks:
      - title: Checkout returns 5xx
        file: checkout-5xx.md
      - title: Checkout latency dashboard
        url: ${GRAFANA}
    pagerduty:
      routing_key: \${PD_CHECKOUT_KEY}
  - name: payments
    aliases: [payment gateway, psp]
    owner: Payments
    team_channel: ${paymentsTeam}
    runbooks:
      - title: Payment provider outage
        url: ${PROVIDER_OUTAGE}
    pagerduty:
      service_id: P2PAYMT
      escalation_policy_id: PPAYMTS
    paging:
      auto_page: [sev1]
  - name: search
    owner: Discovery
`;
}

/** Starts Muster with `yaml` (default: the story catalog) at CATALOG_PATH; `null` starts it without a catalog. */
export async function startWithCatalog(
  yaml?: string | null,
  env: Record<string, string> = {},
): Promise<CatalogHarness> {
  const slack = await startFakeSlack();
  const storefront = slack.workspace.createChannel('storefront', 'U0BOB').id;
  const paymentsTeam = slack.workspace.createChannel('payments-team', 'U0CAROL').id;
  const dir = tempDir();
  mkdirSync(join(dir, 'runbooks'));
  writeFileSync(join(dir, 'runbooks', 'checkout-5xx.md'), CHECKOUT_5XX_MD);
  const catalogPath = join(dir, 'catalog.yaml');
  const writeCatalog = (text: string) => writeFileSync(catalogPath, text);
  if (yaml !== null) writeCatalog(yaml ?? storyCatalog(storefront, paymentsTeam));
  const h = await startMuster({ slack, dir, env: { PD_CHECKOUT_KEY: ROUTING_KEY, ...env } });
  return Object.assign(h, { storefront, paymentsTeam, catalogPath, writeCatalog });
}

/** Rows of a query on the harness database, read with a separate connection. */
export function rows(file: string, sql: string, ...params: unknown[]): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

/** Declares an incident and waits for its channel; returns the incident channel id. */
export async function declare(h: Harness, text: string, user = 'U0ALICE'): Promise<string> {
  const r = await h.command(`declare ${text}`, { user });
  if (r.status !== 200) throw new Error(`declare answered ${r.status}`);
  await h.idle();
  const inc = rows(h.dbFile, 'select channel_id from incidents order by number desc limit 1')[0];
  return String(inc!.channel_id);
}
