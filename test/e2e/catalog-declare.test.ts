/**
 * Issue 6 end to end, declaring: services named in the title (or chosen in the modal) are attached, their
 * runbooks posted, uploaded and bookmarked, their teams told, and the headline lists services and runbooks.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import {
  type CatalogHarness,
  CHECKOUT_5XX_MD,
  declare,
  GRAFANA,
  PROVIDER_OUTAGE,
  rows,
  startWithCatalog,
} from '../support/catalog-harness.js';
import { lastView, submission } from '../support/slack-interactions.js';
import { removeTempDirs } from '../support/temp-dir.js';

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

const postsTo = (h: CatalogHarness, channel: string) =>
  h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);

const incident = async (h: CatalogHarness, n = 1): Promise<Incident> =>
  (await h.app.deps.store.incidents.get(n))!;

/** What people see in a team channel: the bot's posts, not its join message. */
const teamPosts = (h: CatalogHarness, channel: string) =>
  h.slack.workspace.messages(channel).filter((m) => !m.subtype);

describe('declaring an incident that names catalog services', () => {
  it('attaches them, posts and bookmarks their runbooks, tells their teams and lists them on the headline', async () => {
    const h = await start();
    const channel = await declare(h, 'sev2 Checkout returns 500s behind the Payment-Gateway');

    // Attached in the declaring transaction, in order of mention; search is not named.
    expect(
      rows(h.dbFile, 'select service from incident_services order by rowid').map((r) => r.service),
    ).toEqual(['checkout', 'payments']);

    // The runbooks message: links, the file runbook announced, owners.
    const message = postsTo(h, channel).find((c) =>
      String(c.args.text).includes('Runbooks for this incident'),
    );
    expect(message).toBeTruthy();
    const text = String(message!.args.text);
    expect(text).toContain(`<${GRAFANA}|Checkout latency dashboard>`);
    expect(text).toContain(`<${PROVIDER_OUTAGE}|Payment provider outage>`);
    expect(text).toContain('*Checkout returns 5xx* _(shared as a file below)_');
    expect(text).toContain('*checkout* (Storefront), *payments* (Payments)');

    // The file runbook is uploaded to the channel with its content.
    const complete = h.slack.callsTo('files.completeUploadExternal');
    expect(complete).toHaveLength(1);
    expect(complete[0]!.args.channel_id).toBe(channel);
    const file = h.slack.workspace.files().at(-1)!;
    expect(h.slack.workspace.fileContent(file.id)!.toString('utf8')).toBe(CHECKOUT_5XX_MD);
    expect(file.name).toBe('checkout-5xx.md');

    // Every runbook link is stored once, the file with its Slack permalink.
    const links = rows(h.dbFile, 'select service, title, url, linked_by from runbook_links order by id');
    expect(links).toEqual([
      { service: 'checkout', title: 'Checkout latency dashboard', url: GRAFANA, linked_by: 'muster' },
      { service: 'payments', title: 'Payment provider outage', url: PROVIDER_OUTAGE, linked_by: 'muster' },
      {
        service: 'checkout',
        title: 'Checkout returns 5xx',
        url: expect.stringContaining(`/archives/${channel}/p`),
        linked_by: 'muster',
      },
    ]);

    // Bookmarks: each runbook, in the incident channel.
    const bookmarks = h.slack.callsTo('bookmarks.add');
    expect(bookmarks.map((b) => b.args.channel_id)).toEqual([channel, channel, channel]);
    expect(bookmarks.map((b) => b.args.link)).toEqual(links.map((l) => l.url));
    expect(h.slack.workspace.bookmarks(channel).map((b) => b.title)).toEqual([
      'Checkout latency dashboard',
      'Payment provider outage',
      'Checkout returns 5xx',
    ]);

    // Each owning team hears about it once, with a link to the incident channel (the bot joins to post).
    const storefront = teamPosts(h, h.storefront);
    expect(storefront).toHaveLength(1);
    expect(storefront[0]!.text).toContain(`<#${channel}>`);
    expect(storefront[0]!.text).toContain('*checkout*');
    expect(storefront[0]!.text).toContain('SEV-2');
    expect(teamPosts(h, h.paymentsTeam)[0]!.text).toMatch(/\*payments\*[\s\S]*<#C/);
    expect(h.slack.callsTo('conversations.join').map((c) => c.args.channel)).toEqual([
      h.storefront,
      h.paymentsTeam,
    ]);

    // The headline, updated in place, lists the services and the runbooks.
    const headlineTs = (await incident(h)).headlineTs;
    const update = h.slack
      .callsTo('chat.update')
      .filter((c) => c.args.ts === headlineTs)
      .at(-1);
    const blocks = JSON.stringify(update!.args.blocks);
    expect(blocks).toContain('*Services:* checkout, payments');
    expect(blocks).toContain(`<${GRAFANA}|Checkout latency dashboard>`);
    expect(blocks).toContain('Checkout returns 5xx>');

    // The timeline: a service entry per service and a runbook entry per link, with their meta.
    const entries = rows(
      h.dbFile,
      "select kind, text, actor, meta from timeline_entries where kind in ('service','runbook') order by id",
    );
    expect(entries.map((e) => e.kind)).toEqual(['service', 'runbook', 'service', 'runbook', 'runbook']);
    expect(entries[0]!.text).toBe('Service checkout attached (owner Storefront)');
    expect(JSON.parse(String(entries[1]!.meta))).toEqual({
      url: GRAFANA,
      title: 'Checkout latency dashboard',
      service: 'checkout',
    });
    expect(entries[4]!.text).toMatch(/^Runbook linked: <http.*\|Checkout returns 5xx> \(checkout\)$/);
    expect(JSON.parse(String(entries[4]!.meta))).toMatchObject({
      title: 'Checkout returns 5xx',
      service: 'checkout',
      file: 'checkout-5xx.md',
    });
    // Muster found the services in the title and linked their runbooks: nobody is credited with that.
    expect(entries.every((e) => e.actor === 'muster')).toBe(true);

    // Nothing failed, so nothing is reported.
    expect(postsTo(h, channel).some((c) => String(c.args.text).includes('follow-up steps failed'))).toBe(
      false,
    );
  });

  it('attaches nothing when the title names no service as whole words', async () => {
    const h = await start();
    const channel = await declare(h, 'prepayments and researching carts');
    expect(rows(h.dbFile, 'select * from incident_services')).toEqual([]);
    expect(h.slack.callsTo('bookmarks.add')).toEqual([]);
    expect(postsTo(h, channel).some((c) => String(c.args.text).includes('Runbooks'))).toBe(false);
    expect(teamPosts(h, h.storefront)).toEqual([]);
  });

  it('says when a named service has no runbook yet, and how to start one', async () => {
    const h = await start();
    const channel = await declare(h, 'search is slow');
    const message = postsTo(h, channel).find((c) =>
      String(c.args.text).includes('Runbooks for this incident'),
    );
    expect(String(message!.args.text)).toContain(
      'search has no runbook yet: `npm run muster -- runbook search`',
    );
    expect(rows(h.dbFile, 'select service from incident_services')).toEqual([{ service: 'search' }]);
  });

  it('keeps the runbooks message when bookmarks.add fails, with only a log line', async () => {
    const h = await start();
    h.slack.failAlways('bookmarks.add', { error: 'not_allowed_token_type' });
    const channel = await declare(h, 'checkout down');
    expect(postsTo(h, channel).some((c) => String(c.args.text).includes('Runbooks for this incident'))).toBe(
      true,
    );
    expect(h.slack.callsTo('bookmarks.add').length).toBeGreaterThanOrEqual(2);
    expect(h.slack.workspace.bookmarks(channel)).toEqual([]);
    expect(postsTo(h, channel).some((c) => String(c.args.text).includes('follow-up steps failed'))).toBe(
      false,
    );
    expect(
      h.logs.records().find((l) => l.msg === 'could not bookmark a runbook; it is in the runbooks message'),
    ).toBeTruthy();
    // The links themselves are stored and on the headline.
    expect(rows(h.dbFile, 'select count(*) as n from runbook_links')[0]!.n).toBe(2);
  });

  it('tells the channel once when the runbook file cannot be uploaded, and links the rest', async () => {
    const h = await start();
    h.slack.failAlways('files.getUploadURLExternal', { error: 'missing_scope' });
    const channel = await declare(h, 'cart empty');
    const warning = postsTo(h, channel).find((c) => String(c.args.text).includes('follow-up steps failed'));
    expect(String(warning!.args.text)).toContain('share the runbook file checkout-5xx.md (missing_scope)');
    expect(rows(h.dbFile, 'select url from runbook_links').map((r) => r.url)).toEqual([GRAFANA]);
    // Not shared, so `runbook checkout` offers it again.
    h.slack.clearFailures();
    const again = await h.command('runbook checkout', { channel });
    expect(again.json?.response_type).toBe('in_channel');
    await h.idle();
    expect(h.slack.callsTo('files.completeUploadExternal')).toHaveLength(1);
    expect(rows(h.dbFile, 'select count(*) as n from runbook_links')[0]!.n).toBe(2);
  });

  it('offers the services in the declare modal and attaches those chosen, with the ones the title names', async () => {
    const h = await start();
    await h.command('declare sev3', { user: 'U0BOB' });
    await h.idle();
    const opened = lastView(h);
    const services = (
      opened.view.blocks as { block_id?: string; element?: { type: string; options?: { value: string }[] } }[]
    ).find((b) => b.block_id === 'services');
    expect(services?.element?.type).toBe('multi_static_select');
    expect(services?.element?.options?.map((o) => o.value)).toEqual(['checkout', 'payments', 'search']);

    const r = await h.interact(
      submission(
        opened,
        {
          title: { text: 'cart errors' },
          severity: { option: '3' },
          services: { options: ['search'] },
          description: { text: null },
        },
        'U0BOB',
      ),
    );
    expect(r.status).toBe(200);
    await h.idle();
    expect(
      rows(h.dbFile, 'select service from incident_services order by rowid').map((x) => x.service),
    ).toEqual(['checkout', 'search']);
    // the title named checkout (Muster's find); Bob chose search in the modal
    expect(
      rows(h.dbFile, "select text, actor from timeline_entries where kind = 'service' order by id").map(
        (x) => [String(x.text).split(' ')[1], x.actor],
      ),
    ).toEqual([
      ['checkout', 'muster'],
      ['search', 'U0BOB'],
    ]);
    const channel = (await incident(h)).channelId!;
    expect(teamPosts(h, h.storefront)).toHaveLength(1);
    expect(
      String(
        postsTo(h, channel).find((c) => String(c.args.text).includes('Runbooks for this incident'))!.args
          .text,
      ),
    ).toContain('search has no runbook yet');
  });

  it('asks for service names in a text field when the catalog has more than 100, and refuses unknown ones', async () => {
    const many = [
      'services:',
      ...Array.from({ length: 120 }, (_, i) => `  - { name: svc-${i}, owner: team-${i % 7} }`),
    ].join('\n');
    const h = await start(many);
    await h.command('declare');
    await h.idle();
    const opened = lastView(h);
    const field = (opened.view.blocks as { block_id?: string; element?: { type: string } }[]).find(
      (b) => b.block_id === 'services',
    );
    expect(field?.element?.type).toBe('plain_text_input');

    const refused = await h.interact(
      submission(opened, {
        title: { text: 'queue stuck' },
        severity: { option: '2' },
        services: { text: 'svc-7, svc-1O7' },
      }),
    );
    expect(refused.json).toEqual({
      response_action: 'errors',
      errors: { services: expect.stringMatching(/"svc-1O7" is not in the catalog \(did you mean .*svc-107/) },
    });
    expect(rows(h.dbFile, 'select count(*) as n from incidents')[0]!.n).toBe(0);

    await h.interact(
      submission(opened, {
        title: { text: 'queue stuck' },
        severity: { option: '2' },
        services: { text: 'svc-7, SVC-107,svc-7' },
      }),
    );
    await h.idle();
    expect(
      rows(h.dbFile, 'select service from incident_services order by rowid').map((x) => x.service),
    ).toEqual(['svc-7', 'svc-107']);
  });
});

describe('follow-ups of declaring after a crash', () => {
  it('posts the runbooks and tells the team at the next start when the process died before the follow-ups', async () => {
    const first = await start();
    // The channel, headline and announcement exist, but the process died before its follow-ups ran.
    await first.app.deps.store.incidents.markProvisioned(
      (
        await first.app.deps.store.incidents.create({
          title: 'checkout returns 500s',
          severity: 2,
          teamId: 'T0MUSTER',
          declaredBy: 'U0ALICE',
          declaredAt: first.clock.now(),
        })
      ).number,
      first.clock.now(),
      'followups',
    );
    const channel = first.slack.workspace.createChannel('inc-1-checkout-returns-500s', 'U0MUSTERBOT').id;
    await first.app.deps.store.incidents.update(
      1,
      { channelId: channel, channelName: 'inc-1-checkout-returns-500s' },
      first.clock.now(),
    );
    await first.app.deps.store.services.attach(1, 'checkout', first.clock.now());
    h = null;
    const restarted = Object.assign(await first.restart(), {
      storefront: first.storefront,
      paymentsTeam: first.paymentsTeam,
      catalogPath: first.catalogPath,
      writeCatalog: first.writeCatalog,
    });
    h = restarted;
    await restarted.idle();
    expect(
      postsTo(restarted, channel).some((c) => String(c.args.text).includes('Runbooks for this incident')),
    ).toBe(true);
    expect(teamPosts(restarted, first.storefront).length).toBeGreaterThan(0);
    expect(rows(restarted.dbFile, 'select provisioning from incidents')[0]!.provisioning).toBe('done');
  });
});
