/**
 * Issue 6 end to end, the commands: `/incident runbook [service|url [title]]`, `/incident services [page]`,
 * a catalog edit picked up while running, and `npm run muster -- runbook <service>` as a subprocess.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type CatalogHarness,
  declare,
  GRAFANA,
  ROUTING_KEY,
  rows,
  startWithCatalog,
  storyCatalog,
} from '../support/catalog-harness.js';
import { musterCommand, runMuster } from '../support/muster-process.js';
import { removeTempDirs, tempDir } from '../support/temp-dir.js';
import { waitUntil } from '../adapters/catalog/wait-until.js';

let h: CatalogHarness | null = null;

afterEach(async () => {
  await h?.stop();
  h = null;
});
afterAll(() => removeTempDirs());

const start = async (...args: Parameters<typeof startWithCatalog>) => {
  h = await startWithCatalog(...args);
  return h;
};

const text = (r: { json: Record<string, unknown> | null }) => String(r.json?.text ?? '');
const linkCount = (h: CatalogHarness) =>
  Number(rows(h.dbFile, 'select count(*) as n from runbook_links')[0]!.n);

describe('/incident runbook', () => {
  it('lists the linked runbooks, links a service’s runbooks once, and links any http(s) URL with a title', async () => {
    const h = await start();
    const channel = await declare(h, 'queue backlog');

    const empty = await h.command('runbook', { channel });
    expect(empty.json?.response_type).toBe('ephemeral');
    expect(text(empty)).toContain('No runbooks are linked to INC-1 yet.');

    // runbook <service>, by alias: stored before the ack, shown in the channel, then uploaded and bookmarked.
    const linked = await h.command('runbook cart', { channel, user: 'U0BOB' });
    expect(linked.json?.response_type).toBe('in_channel');
    expect(text(linked)).toContain('<@U0BOB> linked the runbooks of *checkout*');
    expect(text(linked)).toContain(`<${GRAFANA}|Checkout latency dashboard>`);
    await h.idle();
    expect(rows(h.dbFile, 'select service, title, linked_by from runbook_links order by id')).toEqual([
      { service: 'checkout', title: 'Checkout latency dashboard', linked_by: 'U0BOB' },
      { service: 'checkout', title: 'Checkout returns 5xx', linked_by: 'U0BOB' },
    ]);
    expect(h.slack.workspace.bookmarks(channel).map((b) => b.title)).toEqual([
      'Checkout latency dashboard',
      'Checkout returns 5xx',
    ]);
    expect(h.slack.callsTo('files.completeUploadExternal')).toHaveLength(1);

    // Again: nothing doubled.
    const again = await h.command('runbook checkout', { channel });
    expect(again.json?.response_type).toBe('ephemeral');
    expect(text(again)).toContain('The runbooks of `checkout` are already linked');
    await h.idle();
    expect(linkCount(h)).toBe(2);
    expect(h.slack.callsTo('files.completeUploadExternal')).toHaveLength(1);
    expect(h.slack.callsTo('bookmarks.add')).toHaveLength(2);

    // runbook <url> [title]; Slack sends the link in angle brackets and & as an entity.
    const url = await h.command(
      'runbook <https://wiki.example.com/db/failover?team=db&amp;v=2> DB failover &amp; restore',
      { channel },
    );
    expect(url.json?.response_type).toBe('in_channel');
    expect(text(url)).toContain(
      'linked a runbook: <https://wiki.example.com/db/failover?team=db&v=2|DB failover &amp; restore>',
    );
    await h.idle();
    const row = rows(h.dbFile, 'select service, title, url from runbook_links order by id desc limit 1')[0];
    expect(row).toEqual({
      service: null,
      title: 'DB failover & restore',
      url: 'https://wiki.example.com/db/failover?team=db&v=2',
    });
    expect(h.slack.callsTo('bookmarks.add').at(-1)!.args).toMatchObject({
      channel_id: channel,
      link: row!.url,
      title: 'DB failover & restore',
    });

    // The same URL again, differently written: already linked.
    const same = await h.command('runbook HTTPS://WIKI.example.com/db/failover?team=db&amp;v=2', { channel });
    expect(text(same)).toContain('is already linked to this incident');
    expect(linkCount(h)).toBe(3);

    // Without a title, the host and path.
    await h.command('runbook https://www.example.org/ops/cache%20flush/', { channel });
    expect(rows(h.dbFile, 'select title from runbook_links order by id desc limit 1')[0]!.title).toBe(
      'example.org/ops/cache flush',
    );

    // Every link is a 'runbook' timeline entry with url, title and service.
    const entries = rows(
      h.dbFile,
      "select actor, meta from timeline_entries where kind = 'runbook' order by id",
    );
    expect(entries).toHaveLength(4);
    expect(JSON.parse(String(entries[2]!.meta))).toEqual({
      url: 'https://wiki.example.com/db/failover?team=db&v=2',
      title: 'DB failover & restore',
      service: null,
    });

    // The list, and the headline.
    const list = await h.command('runbook', { channel });
    expect(text(list)).toContain('*INC-1 runbooks* (4)');
    expect(text(list)).toContain('· checkout · linked by <@U0BOB>');
    await h.idle();
    const headlineTs = (await h.app.deps.store.incidents.get(1))!.headlineTs;
    const headline = JSON.stringify(
      h.slack
        .callsTo('chat.update')
        .filter((c) => c.args.ts === headlineTs)
        .at(-1)!.args.blocks,
    );
    expect(headline).toContain('DB failover &amp; restore');
    expect(headline).not.toContain('*Services:*');
  });

  it.each([
    {
      name: 'runbook ftp://files.example.com/rb.md',
      command: 'runbook ftp://files.example.com/rb.md',
      message: /"ftp:\/\/files.example.com\/rb.md" is not an http\(s\) URL/,
    },
    {
      name: 'runbook javascript:alert(1)',
      command: 'runbook javascript:alert(1)',
      message: /is not an http\(s\) URL/,
    },
    {
      name: 'runbook https://exa%zzmple.com/rb',
      command: 'runbook https://exa%zzmple.com/rb',
      message: /"https:\/\/exa%zzmple.com\/rb" is not a valid URL/,
    },
    {
      name: 'runbook https://ops:hunter2@wiki.example.com/rb',
      command: 'runbook https://ops:hunter2@wiki.example.com/rb',
      message: /holds a user name or password/,
    },
    {
      name: 'a link of 2,100 characters',
      command: `runbook https://wiki.example.com/${'a'.repeat(2100)}`,
      message: /the limit is 2000/,
    },
    {
      name: 'runbook chekout',
      command: 'runbook chekout',
      message: /No service "chekout" in the catalog\. Did you mean `checkout`\?/,
    },
    {
      name: 'runbook zzzzzzzz',
      command: 'runbook zzzzzzzz',
      message: /No service "zzzzzzzz" in the catalog\. `\/incident services` lists the 3 services\./,
    },
    {
      name: 'runbook search',
      command: 'runbook search',
      message: /`search` has no runbooks in the catalog yet[\s\S]*npm run muster -- runbook search/,
    },
    {
      name: 'runbook <!channel>',
      command: 'runbook <!channel>',
      message: /No service "&lt;!channel&gt;" in the catalog/,
    },
  ])('refuses $name with a clear message and stores nothing', async ({ command, message }) => {
    const h = await start();
    const channel = await declare(h, 'db slow');
    const r = await h.command(command, { channel });
    expect(r.status).toBe(200);
    expect(r.json?.response_type).toBe('ephemeral');
    expect(text(r)).toMatch(/^:warning: /);
    expect(text(r)).toMatch(message);
    await h.idle();
    expect(linkCount(h)).toBe(0);
    expect(h.slack.callsTo('bookmarks.add')).toEqual([]);
  });

  it('works outside an incident channel only to say where to use it', async () => {
    const h = await start();
    const r = await h.command('runbook checkout', { channel: 'C0GENERAL' });
    expect(text(r)).toContain('acts on an incident');
  });

  it('lists runbooks on a resolved incident but links no more', async () => {
    const h = await start();
    const channel = await declare(h, 'checkout down');
    await h.command('resolve fixed', { channel });
    await h.idle();
    expect(text(await h.command('runbook', { channel }))).toContain('*INC-1 runbooks* (2)');
    expect(text(await h.command('runbook https://wiki.example.com/x', { channel }))).toContain('is resolved');
  });
});

describe('/incident services', () => {
  it('lists the catalog from any channel: owners, team channels, runbooks and whether each can be paged', async () => {
    // REST credentials, so payments (a REST target) can be paged; without them it says it cannot (paging.test.ts).
    const h = await start(undefined, {
      PAGERDUTY_API_TOKEN: 'u+test-token',
      PAGERDUTY_FROM: 'oncall@example.com',
    });
    const r = await h.command('services', { channel: 'C0GENERAL' });
    expect(r.json?.response_type).toBe('ephemeral');
    const t = text(r);
    expect(t).toContain('*Service catalog* · 3 services');
    expect(t).toContain('*checkout* · aka checkout-api, cart');
    expect(t).toContain(`Owner: Storefront · <#${h.storefront}>`);
    expect(t).toContain(
      `Runbooks: Checkout returns 5xx (file runbooks/checkout-5xx.md) · <${GRAFANA}|Checkout latency dashboard>`,
    );
    expect(t).toContain(':pager: Can be paged (Events API v2) · pages automatically at SEV-1, SEV-2');
    expect(t).toContain(':pager: Can be paged (REST API) · pages automatically at SEV-1');
    expect(t).toContain('*search*\nOwner: Discovery');
    expect(t).toContain('Runbooks: _none yet_ (`npm run muster -- runbook search` starts one)');
    expect(t).toContain(':no_bell: Cannot be paged: no PagerDuty target');
    // The routing key is a secret: never shown.
    expect(t).not.toContain(ROUTING_KEY);
  });

  it('pages a long catalog', async () => {
    const yaml = [
      'services:',
      ...Array.from({ length: 40 }, (_, i) => `  - { name: svc-${String(i).padStart(2, '0')}, owner: team }`),
    ].join('\n');
    const h = await start(yaml);
    const first = text(await h.command('services'));
    expect(first).toContain('40 services · page 1 of 3');
    expect(first).toContain('*svc-14*');
    expect(first).not.toContain('*svc-15*');
    expect(first).toContain('Next: `/incident services 2`');
    const last = text(await h.command('services 3'));
    expect(last).toContain('page 3 of 3');
    expect(last).toContain('*svc-39*');
    expect(last).not.toContain('Next:');
    expect(text(await h.command('services 9'))).toContain('page 3 of 3');
    expect(text(await h.command('services two'))).toMatch(/"two" is not a page number/);
  });

  it('picks up a catalog edit while running', async () => {
    const h = await start();
    expect(text(await h.command('services'))).toContain('3 services');
    h.writeCatalog(
      `${storyCatalog(h.storefront, h.paymentsTeam)}  - name: inventory\n    owner: Warehouse\n`,
    );
    await waitUntil(
      () => h.app.deps.catalog.current?.find('inventory') != null,
      'the edited catalog is loaded',
    );
    const t = text(await h.command('services'));
    expect(t).toContain('4 services');
    expect(t).toContain('*inventory*\nOwner: Warehouse');
    // ...and a declaration naming it attaches it.
    await declare(h, 'inventory counts wrong');
    expect(rows(h.dbFile, 'select service from incident_services')).toEqual([{ service: 'inventory' }]);
  });

  it('says so when Muster runs without a catalog', async () => {
    const h = await start(null);
    expect(text(await h.command('services'))).toContain(
      `Muster has no service catalog: there is no file at \`${h.catalogPath}\``,
    );
    const channel = await declare(h, 'checkout down');
    expect(rows(h.dbFile, 'select * from incident_services')).toEqual([]);
    expect(text(await h.command('runbook checkout', { channel }))).toContain('Muster has no service catalog');
    // A URL still links.
    expect((await h.command('runbook https://wiki.example.com/rb', { channel })).json?.response_type).toBe(
      'in_channel',
    );
  });
});

// Each run is a process of the built CLI, as `npm run muster -- runbook` runs it.
describe('npm run muster -- runbook <service>', () => {
  const cli = (args: string[], env: Record<string, string>) =>
    spawnSync(...musterCommand('runbook', ...args), {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      encoding: 'utf8',
    });

  const cliAsync = (args: string[], env: Record<string, string>) => runMuster(['runbook', ...args], env);

  const catalogDir = () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'catalog.yaml'),
      'services:\n  - name: checkout\n    aliases: [cart]\n    owner: Storefront\n    description: Cart and orders.\n  - name: payments\n    owner: Payments\n',
    );
    return dir;
  };

  it('writes a skeleton into the runbooks folder and refuses to replace it without --force', async () => {
    const dir = catalogDir();
    const env = { CATALOG_PATH: join(dir, 'catalog.yaml') };
    const r = cli(['cart'], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const file = join(dir, 'runbooks', 'checkout.md');
    expect(r.stdout).toContain(`wrote ${file}, a runbook skeleton for checkout`);
    expect(r.stdout).toContain('file: checkout.md');
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('# Runbook: checkout');
    expect(written).toContain('Cart and orders.');

    writeFileSync(file, 'our own notes\n');
    const again = cli(['checkout'], env);
    expect(again.status).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toContain('already exists and was left as it is: use --force to replace it');
    expect(readFileSync(file, 'utf8')).toBe('our own notes\n');

    const forced = cli(['checkout', '--force'], env);
    expect(forced.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('# Runbook: checkout');
  });

  it('writes where --out says', async () => {
    const dir = catalogDir();
    const out = join(dir, 'elsewhere', 'pay.md');
    const r = cli(['payments', '--out', out], { CATALOG_PATH: join(dir, 'catalog.yaml') });
    expect(r.status).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(r.stdout).toContain('move it there to list it as a file runbook');
  });

  it('fails with one clear line: unknown service (nearest names), no service, unknown option, no catalog, broken catalog', async () => {
    const dir = catalogDir();
    const env = { CATALOG_PATH: join(dir, 'catalog.yaml') };
    const none = tempDir();
    const broken = tempDir();
    writeFileSync(join(broken, 'catalog.yaml'), 'services:\n  - name: checkout\n    owner: 3\n');
    // side by side
    const runs = await Promise.all([
      cliAsync(['chekout'], env),
      cliAsync(['zzzzzz'], env),
      cliAsync([], env),
      cliAsync(['checkout', '--outt', 'x.md'], env),
      cliAsync(['checkout'], { CATALOG_PATH: join(none, 'catalog.yaml') }),
      cliAsync(['checkout'], { CATALOG_PATH: join(broken, 'catalog.yaml') }),
    ]);
    const expected = [
      /^muster: unknown service "chekout" in .*catalog\.yaml: did you mean checkout\?$/,
      /^muster: unknown service "zzzzzz" in .*catalog\.yaml: the catalog has checkout, payments$/,
      /^muster: missing the service name; usage: muster runbook <service> \[--out FILE\] \[--force\]$/,
      /^muster: unknown option --outt; usage: muster runbook <service> \[--out FILE\] \[--force\]$/,
      new RegExp(
        `^muster: no service catalog at ${join(none, 'catalog.yaml')}: set CATALOG_PATH, or copy catalog.example.yaml there and add the service$`,
      ),
      /^muster: .*catalog\.yaml:3:\d+: services\[0\]\.owner: expected the owning team, got the number 3$/,
    ];
    for (const [i, r] of runs.entries()) {
      expect(r.status, `run ${i}: ${r.stderr}`).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim()).toMatch(expected[i]!);
    }
  });
});
