// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the catalog's ${ENV_NAME} references are what these strings test
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/adapters/catalog/load-catalog.js';
import {
  defaultRunbookPath,
  renderRunbookSkeleton,
  writeRunbookSkeleton,
} from '../../../src/adapters/catalog/runbook-skeleton.js';
import { DomainError } from '../../../src/domain/errors.js';
import { catalogFolder } from './catalog-folder.js';

const clock = { now: () => Date.UTC(2026, 10, 23, 14, 5) };
const ROUTING_KEY = 'R0UT1NGKEYCHECKOUT0000000000000a';

const CATALOG = `services:
  - name: checkout
    aliases: [cart, check_out]
    description: "Cart *and* order placement: <b>money</b> [here](https://evil.example)"
    owner: Storefront
    team_channel: C04STOREFRNT
    runbooks:
      - { title: "Checkout returns 5xx", file: checkout-5xx.md }
      - { title: "Dashboard (p95)", url: "https://grafana.example.com/d/checkout(v2)" }
    pagerduty:
      routing_key: \${PD_KEY}
      service_id: P1CHKOT
      escalation_policy_id: PSTOREF
  - name: notifications
    owner: Storefront
    pagerduty: { routing_key: "\${PD_KEY}" }
    paging: { auto_page: [] }
  - name: docs
    owner: Writers
`;

function fixture() {
  const folder = catalogFolder();
  folder.runbook('checkout-5xx.md');
  const catalog = loadCatalog(folder.write(CATALOG), { PD_KEY: ROUTING_KEY }).catalog!;
  return { folder, catalog, service: (name: string) => catalog.find(name)! };
}

describe('a runbook skeleton', () => {
  it('has the sections an on-call engineer needs, filled with what the catalog knows', () => {
    const { catalog, service } = fixture();
    const md = renderRunbookSkeleton(service('checkout'), catalog, { clock });
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Runbook: checkout',
      '## Service overview',
      '## Alert and threshold',
      '## Quick diagnosis',
      '## Common causes',
      '### _Cause 1, e.g. a bad deploy_',
      '### _Cause 2, e.g. a dependency is slow or down_',
      '## When to escalate',
      '## Escalation path and contacts',
    ]);
    expect(md).toContain('on 2026-11-23.');
    expect(md).toContain('(file: checkout.md)');
    expect(md).toContain('- **Service:** checkout (also called cart, check_out)');
    expect(md).toContain(
      '- **Owner:** Storefront (Slack channel ID `C04STOREFRNT`), who also own notifications',
    );
    expect(md).toContain('- **Dependencies:** _');
    expect(md).toContain('- **SLO:** _');
    expect(md).toContain(
      '- **Other runbooks:**\n  - [Checkout returns 5xx](checkout-5xx.md)\n  - [Dashboard (p95)](https://grafana.example.com/d/checkout%28v2%29)\n',
    );
    expect(md).toContain(
      '- Declaring a SEV-1 or SEV-2 incident that names checkout pages its on-call engineer automatically.',
    );
    expect(md).toContain(
      '1. **On call:** PagerDuty service `P1CHKOT`, escalation policy `PSTOREF`, and an Events API v2 integration. `/incident page checkout` pages them; `/incident oncall checkout` shows who is on call.',
    );
    expect(md).toContain('2. **Owning team:** Storefront, Slack channel ID `C04STOREFRNT`.');
    expect(md).not.toContain(ROUTING_KEY);
    expect(md).not.toContain('{{');
  });

  it('escapes what people wrote in the catalog, so it reads as written', () => {
    const { catalog, service } = fixture();
    const md = renderRunbookSkeleton(service('checkout'), catalog, { clock });
    expect(md).toContain(
      '- **Purpose:** Cart \\*and\\* order placement: \\<b>money\\</b> \\[here\\](https://evil.example)',
    );
  });

  it('prompts for what the catalog does not know, and says how paging stands', () => {
    const { catalog, service } = fixture();
    const docs = renderRunbookSkeleton(service('docs'), catalog, { clock });
    expect(docs).toContain(
      '- **Purpose:** _What does docs do, for whom, and what do customers notice when it fails?_',
    );
    expect(docs).toContain('- **Owner:** Writers\n');
    expect(docs).not.toContain('Other runbooks');
    expect(docs).toContain(
      '- docs has no PagerDuty target in the catalog yet: add one so `/incident page docs` can reach the on-call engineer.',
    );
    expect(docs).toContain('1. **On call:** _Who is on call and how to reach them._');

    const notifications = renderRunbookSkeleton(service('notifications'), catalog, { clock });
    expect(notifications).toContain(
      '- Declaring an incident does not page notifications automatically: `/incident page notifications` does.',
    );
    expect(notifications).toContain(
      '1. **On call:** PagerDuty through an Events API v2 integration. `/incident page notifications` pages them.',
    );
  });

  it('says what Muster does about an unacknowledged page (offers an escalation) and what PagerDuty does', () => {
    const folder = catalogFolder();
    const yaml = `services:
  - name: checkout
    owner: Storefront
    pagerduty: { routing_key: "\${PD_KEY}", service_id: P1CHKOT, escalation_policy_id: PSTOREF }
  - name: search
    owner: Discovery
    pagerduty: { service_id: P2SEARCH, escalation_policy_id: PDISCOVR }
`;
    const catalog = loadCatalog(folder.write(yaml), { PD_KEY: ROUTING_KEY }).catalog!;
    const events = renderRunbookSkeleton(catalog.find('checkout')!, catalog, {
      clock,
      escalationMinutes: 15,
    });
    expect(events).toContain(
      "- **If nobody acknowledges, Muster offers to escalate.** When a page to checkout from a SEV-1 or SEV-2 incident has gone 15 minutes without an acknowledgement (`PAGE_ESCALATION_MINUTES`), Muster posts once in the incident channel with an **Escalate** button. It escalates nothing by itself: whoever presses the button sends PagerDuty a new trigger, marked as an escalation, that pages the service's on-call again (an Events API v2 page cannot choose a level). If that goes unacknowledged too, Muster asks again 15 minutes later. Muster hears of acknowledgements through PagerDuty's webhooks: without them it asks even when someone has acknowledged.\n",
    );
    expect(events).toContain(
      "- **PagerDuty escalates on its own.** Escalation policy `PSTOREF` notifies its next level when nobody acknowledges within the escalation timeout of each rule, set in PagerDuty, whatever Muster does; Muster reports each escalation in the channel when PagerDuty's webhooks reach it.\n",
    );
    expect(events).not.toContain('reminds the commander');

    // Through the REST API (no routing key), the button moves the PagerDuty incident up its policy.
    const rest = renderRunbookSkeleton(catalog.find('search')!, catalog, { clock });
    expect(rest).toContain(
      'has gone 10 minutes without an acknowledgement (`PAGE_ESCALATION_MINUTES`), Muster posts once in the incident channel with an **Escalate** button. It escalates nothing by itself: whoever presses the button moves the PagerDuty incident to the next level of escalation policy `PDISCOVR`. If that goes unacknowledged too, Muster asks again 10 minutes later.',
    );

    const off = renderRunbookSkeleton(catalog.find('search')!, catalog, { clock, escalationMinutes: 0 });
    expect(off).toContain(
      '- **Muster does not offer escalations here** (`PAGE_ESCALATION_MINUTES=0`): watch the page in the channel, and page again with `/incident page search`.\n- **PagerDuty escalates on its own.** Escalation policy `PDISCOVR` notifies',
    );
  });

  it('describes a PagerDuty target left out because its routing key is not set in this shell', () => {
    const folder = catalogFolder();
    folder.runbook('checkout-5xx.md');
    const catalog = loadCatalog(folder.write(CATALOG), {}, { unsetPaging: 'leave-out' }).catalog!;
    expect(catalog.find('checkout')!.pagerduty).toBeNull();
    const md = renderRunbookSkeleton(catalog.find('checkout')!, catalog, { clock });
    expect(md).toContain(
      '1. **On call:** PagerDuty service `P1CHKOT`, escalation policy `PSTOREF`, and an Events API v2 integration.',
    );
    expect(md).toContain('pages its on-call engineer automatically');
    expect(md).not.toContain('${PD_KEY}');
  });

  it('links file runbooks relative to where the skeleton goes, and says how to list it when outside the runbooks folder', () => {
    const { folder, catalog, service } = fixture();
    const md = renderRunbookSkeleton(service('checkout'), catalog, {
      clock,
      outPath: join(folder.dir, 'docs', 'checkout.md'),
    });
    expect(md).toContain('[Checkout returns 5xx](../runbooks/checkout-5xx.md)');
    expect(md).toContain(
      'move it into the runbooks folder next to the catalog and give its path as file, or give its web address as url',
    );
  });

  it('is written once; an existing file is left alone unless forced', () => {
    const { catalog, service } = fixture();
    const checkout = service('checkout');
    const path = defaultRunbookPath(checkout, catalog);
    expect(path).toBe(join(catalog.runbooksDir, 'checkout.md'));

    const text = writeRunbookSkeleton(checkout, catalog, path, { clock });
    expect(readFileSync(path, 'utf8')).toBe(text);

    writeFileSync(path, '# Our real runbook\n');
    let error: unknown;
    try {
      writeRunbookSkeleton(checkout, catalog, path, { clock });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'runbook.exists',
      message: `${path} already exists and was left as it is: use --force to replace it.`,
    });
    expect(readFileSync(path, 'utf8')).toBe('# Our real runbook\n');

    writeRunbookSkeleton(checkout, catalog, path, { clock, force: true });
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('creates the folder it is written to, and the catalog then accepts it as a file runbook', () => {
    const { folder, catalog, service } = fixture();
    writeRunbookSkeleton(service('docs'), catalog, join(catalog.runbooksDir, 'writers', 'docs.md'), {
      clock,
    });
    const withRunbook = `${CATALOG}    runbooks: [{ title: Docs, file: writers/docs.md }]\n`;
    const reloaded = loadCatalog(folder.write(withRunbook), { PD_KEY: ROUTING_KEY }).catalog!;
    expect(reloaded.find('docs')!.runbooks[0]!.path).toBe(join(catalog.runbooksDir, 'writers', 'docs.md'));
  });

  it('uses a team template in strict mode: a misspelt value is an error, not a blank', () => {
    const { folder, catalog, service } = fixture();
    const good = join(folder.dir, 'good.hbs');
    const bad = join(folder.dir, 'bad.hbs');
    writeFileSync(good, '# {{md name}} ({{md owner}})\n');
    writeFileSync(bad, '# {{md name}} ({{md ownr}})\n');
    expect(renderRunbookSkeleton(service('checkout'), catalog, { templatePath: good, clock })).toBe(
      '# checkout (Storefront)\n',
    );
    expect(() => renderRunbookSkeleton(service('checkout'), catalog, { templatePath: bad, clock })).toThrow(
      'runbook template at 1:16: "md" was given a value the runbook view does not have (misspelt?)',
    );
    writeFileSync(bad, '# {{name}} ({{ownr}})\n');
    expect(() => renderRunbookSkeleton(service('checkout'), catalog, { templatePath: bad, clock })).toThrow(
      /"ownr" not defined/,
    );
  });
});
