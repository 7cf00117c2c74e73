/**
 * The incidents web page as the sandbox serves it (a local person, no sign-in): the list and its filters, an
 * incident's page, its postmortem as markdown, private incidents only for members, hostile text kept as text.
 * Sign-in with Slack is tested in web-sign-in.test.ts; the pages in Chromium in web-browser.test.ts.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/adapters/web/viewer.js';
import { startFakeSlack } from '../fakes/fake-slack.js';
import { FixedClock } from '../support/fixed-clock.js';
import { around } from '../support/incident-channel.js';
import { Browser, CLIENT_ID, CLIENT_SECRET } from '../support/sign-in-world.js';
import { type Harness, startMuster } from '../support/muster-harness.js';
import { removeTempDirs } from '../support/temp-dir.js';

const ALICE: Viewer = { userId: 'U0ALICE', teamId: 'T0MUSTER', name: 'Alice Example' };
const BOB: Viewer = { userId: 'U0BOB', teamId: 'T0MUSTER', name: 'Bob Example' };

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) await h.stop();
  harnesses = [];
});
afterAll(() => removeTempDirs());

async function start(viewer: Viewer, clock = new FixedClock(Date.UTC(2026, 10, 23, 9, 0, 0))) {
  const slack = await startFakeSlack({ clock: () => clock.now() });
  const h = await startMuster({ clock, slack, overrides: { localWebViewer: viewer } });
  harnesses.push(h);
  return h;
}

const channelOf = async (h: Harness, n: number) => (await h.app.deps.store.incidents.get(n))!.channelId!;

describe('the incidents web page', () => {
  it('lists the incidents newest first, narrows them by status, severity, service and time, and shows one incident whole', async () => {
    const h = await start(ALICE);
    await h.command('declare sev1 Checkout returns 500s', { user: 'U0ALICE' });
    await h.idle();
    h.clock.advance(3 * 86_400_000);
    await h.command('declare sev3 Search is slow & <b>flaky</b>', { user: 'U0ALICE' });
    await h.idle();
    const first = await channelOf(h, 1);
    await h.command('note rolled back the deploy of <https://deploy.example.com/42|build 42>', {
      user: 'U0ALICE',
      channel: first,
    });
    await h.command('action add an alert on 5xx rate <@U0BOB> p1 due 2026-12-01', {
      user: 'U0ALICE',
      channel: first,
    });
    h.clock.advance(60_000);
    await h.command('status monitoring', { user: 'U0ALICE', channel: first });
    await h.command('resolve the deploy was rolled back', { user: 'U0ALICE', channel: first });
    await h.idle();

    const list = await h.get('/incidents');
    expect(list.status).toBe(200);
    expect(list.text).toMatch(/^<!doctype html>/);
    expect(list.text.indexOf('INC-2')).toBeLessThan(list.text.indexOf('INC-1'));
    expect(list.text).toContain('Search is slow &amp; &lt;b&gt;flaky&lt;/b&gt;');
    expect(list.text).not.toContain('<b>flaky');
    expect(list.text).toContain('Signed in as <strong>Alice Example</strong>');
    expect(list.text).not.toContain('Sign out');

    const open = await h.get('/incidents?status=open');
    expect(open.text).toContain('INC-2');
    expect(open.text).not.toContain('>INC-1<');
    const sev1 = await h.get('/incidents?severity=1');
    expect(sev1.text).toContain('>INC-1<');
    expect(sev1.text).not.toContain('>INC-2<');
    const recent = await h.get('/incidents?days=1');
    expect(recent.text).toContain('>INC-2<');
    expect(recent.text).not.toContain('>INC-1<');
    // a window the choices do not list is shown as chosen, not as "any time"
    expect(recent.text).toContain('<option value="1" selected>Last 1 day</option>');
    const none = await h.get('/incidents?service=no-such-service');
    expect(none.text).toContain('No incident matches these filters.');
    // values the filter does not know are left out, not an error
    expect((await h.get('/incidents?severity=9&status=%3Cx%3E&days=-4')).status).toBe(200);

    const page = await h.get('/incidents/1');
    expect(page.status).toBe(200);
    expect(page.text).toContain('INC-1: Checkout returns 500s');
    for (const heading of ['Key times', 'Roles', 'Timeline', 'Pages', 'Action items', 'Postmortem'])
      expect(page.text).toContain(`>${heading}`);
    expect(page.text).toContain(
      '<a href="https://deploy.example.com/42" rel="noopener noreferrer">build 42</a>',
    );
    expect(page.text).toContain('add an alert on 5xx rate');
    expect(page.text).toMatch(/Incident Commander<\/th><td>Alice</);
    expect(page.text).toContain('Download the markdown');

    const md = await h.get('/incidents/1/postmortem.md');
    expect(md.status).toBe(200);
    expect(md.text).toMatch(/^# /);
    expect(md.text).toContain('Checkout returns 500s');
  });

  it('answers an unknown incident, a malformed path and a hidden private incident alike: 404', async () => {
    const h = await start(BOB);
    await h.command('declare sev2 --private Card data exposed', { user: 'U0ALICE' });
    await h.command('declare sev2 Public trouble', { user: 'U0ALICE' });
    await h.idle();
    const list = await h.get('/incidents');
    expect(list.text).toContain('Public trouble');
    expect(list.text).not.toContain('Card data');
    for (const path of [
      '/incidents/1',
      '/incidents/1/postmortem.md',
      '/incidents/99',
      '/incidents/abc',
      '/incidents/1/x',
    ]) {
      const r = await h.get(path);
      expect(r.status, path).toBe(404);
      expect(r.text).not.toContain('Card data');
    }
    // Bob is given a role, so invited to the private channel: once the membership Muster remembers is stale,
    // he sees it
    await h.command('role comms <@U0BOB>', { user: 'U0ALICE', channel: await channelOf(h, 1) });
    await h.idle();
    h.clock.advance(120_000);
    const page = await h.get('/incidents/1');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Card data exposed');
    expect(page.text).toContain('Private');
    expect((await h.get('/incidents')).text).toContain('Card data exposed');
  });

  it('keeps hostile text as text: 40,000 characters, markup, emoji at a cut, a javascript: link', async () => {
    const h = await start(ALICE);
    await h.command(`declare sev2 ${'&<'.repeat(80)}😀😀 <script>x</script>`, { user: 'U0ALICE' });
    await h.idle();
    const c = await around(h);
    const ch = c.channel;
    const long = `${'&<'.repeat(19_980)}😀😀 <script>alert(1)</script>`;
    await c.react('U0BOB', await c.say('U0BOB', long));
    await h.command(
      'note see <javascript:alert(1)|this> and <!channel> **bold** <img src=x onerror=alert(1)>',
      {
        user: 'U0ALICE',
        channel: ch,
      },
    );
    await h.idle();
    const list = await h.get('/incidents');
    expect(list.status).toBe(200);
    expect(list.text).not.toMatch(/<script>|<img/);
    expect(list.text).not.toMatch(/\uD83D(?![\uDC00-\uDFFF])/); // no half emoji
    const page = await h.get('/incidents/1');
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/<script>|<img|href="javascript/i);
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).toContain('&amp;&lt;&amp;&lt;&amp;&lt;');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('charts the insights of the incidents the viewer may see, week by week, with their numbers in tables', async () => {
    const h = await start(BOB);
    await h.command('declare sev1 Checkout returns 500s', { user: 'U0ALICE' });
    await h.command('declare sev2 --private Card data exposed', { user: 'U0ALICE' });
    await h.idle();
    const first = await channelOf(h, 1);
    await h.command('action add an alert on 5xx rate <@U0BOB> p1', { user: 'U0ALICE', channel: first });
    h.clock.advance(30 * 60_000);
    await h.command('status monitoring', { user: 'U0ALICE', channel: first });
    h.clock.advance(30 * 60_000);
    await h.command('resolve rolled back', { user: 'U0ALICE', channel: first });
    await h.idle();

    const r = await h.get('/incidents/insights');
    expect(r.status).toBe(200);
    // Bob is not in the private incident's channel: it is not counted
    expect(r.text).toMatch(/<div class="value">1<\/div><div class="label">Incidents<\/div>/);
    expect(r.text).toMatch(/<div class="value">1h<\/div><div class="label">Median time to resolve/);
    expect(r.text).toMatch(
      /<div class="value">0%<\/div><div class="label">Action items closed \(0 of 1; 0 overdue\)/,
    );
    // nobody was paged, so nothing was acknowledged: the page says so instead of an empty chart
    expect(r.text.match(/<svg /g)).toHaveLength(4);
    expect(r.text).toContain('No page was acknowledged in this window');
    expect(r.text).toContain('MTTR per week: the numbers');
    expect(r.text).not.toContain('Card data');
    // a window it does not offer falls back to 90 days; a service nobody has shows an empty state
    expect((await h.get('/incidents/insights?days=7')).text).toContain('<option value="90" selected>');
    expect((await h.get('/incidents/insights?service=nope')).text).toContain(
      'No incident in this window for this service.',
    );
    // once Bob is in the private channel, it counts for him
    await h.command('role comms <@U0BOB>', { user: 'U0ALICE', channel: await channelOf(h, 2) });
    await h.idle();
    h.clock.advance(120_000);
    expect((await h.get('/incidents/insights')).text).toMatch(
      /<div class="value">2<\/div><div class="label">Incidents/,
    );
  });

  it('pages a long history, 100 incidents a page, keeping the filters in its links', async () => {
    const h = await start(ALICE);
    const store = h.app.deps.store;
    for (let n = 0; n < 205; n++)
      await store.incidents.create({
        title: `Incident number ${n + 1} of the history`,
        severity: n % 2 === 0 ? 2 : 3,
        teamId: 'T0MUSTER',
        declaredBy: 'U0ALICE',
        declaredAt: h.clock.now() - (205 - n) * 3_600_000,
      });
    const first = await h.get('/incidents');
    expect(first.text).toContain('Incidents 1 to 100 of 205, newest first.');
    expect(first.text).toContain('Page 1 of 3');
    expect(first.text).toContain('href="/incidents?page=2" rel="next">Older incidents');
    expect(first.text).toContain('>INC-205<');
    const last = await h.get('/incidents?page=3');
    expect(last.text).toContain('Incidents 201 to 205 of 205');
    expect(last.text).toContain('>INC-1<');
    expect(last.text).not.toContain('rel="next"');
    // past the end shows the last page; filters are kept in the links
    expect((await h.get('/incidents?page=99')).text).toContain('Page 3 of 3');
    const sev2 = await h.get('/incidents?severity=2&page=2');
    expect(sev2.text).toContain('Incidents 101 to 103 of 103');
    expect(sev2.text).toContain('href="/incidents?severity=2" rel="prev">Newer incidents');
    // the window is kept in the page links, a listed one or not
    expect((await h.get('/incidents?days=14')).text).toContain(
      'href="/incidents?days=14&amp;page=2" rel="next"',
    );
  });

  it('serves its style sheet, and sends pages that load nothing from elsewhere', async () => {
    const h = await start(ALICE);
    const r = await fetch(`${h.url}/incidents`);
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cache-control')).toBe('no-store');
    const css = await fetch(`${h.url}/incidents/assets/muster.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });
});

/** Muster behind Sign in with Slack at `base`, on a fake Slack that lets people sign in with OpenID. */
async function startSignedInMode() {
  const clock = new FixedClock(Date.UTC(2026, 10, 23, 9, 0, 0));
  const slack = await startFakeSlack({
    clock: () => clock.now(),
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  });
  const base = 'https://muster.example.com';
  const env = { WEB_BASE_URL: base, SLACK_CLIENT_ID: CLIENT_ID, SLACK_CLIENT_SECRET: CLIENT_SECRET };
  const h = await startMuster({ clock, slack, env });
  harnesses.push(h);
  return { h, slack, base };
}

describe('in Slack mode, behind Sign in with Slack', () => {
  it('sends a stranger to sign in, shows a signed-in person what they may see, and signs them out', async () => {
    const { h, slack, base } = await startSignedInMode();
    await h.command('declare sev2 --private Card data exposed', { user: 'U0ALICE' });
    await h.command('declare sev2 Public trouble', { user: 'U0ALICE' });
    await h.idle();

    const browser = new Browser({ base, local: h.url });
    for (const path of ['/incidents', '/incidents/2', '/incidents/insights', '/incidents/2/postmortem.md']) {
      const stranger = await browser.get(`${base}${path}`);
      expect(stranger.status, path).toBe(303);
      expect(stranger.location).toBe(`${base}/incidents/auth/login?next=${encodeURIComponent(path)}`);
      expect(stranger.text).not.toContain('Public trouble');
    }

    slack.workspace.openId.signInAs('U0BOB');
    const list = await browser.signIn('/incidents');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Public trouble');
    expect(list.text).not.toContain('Card data');
    expect(list.text).toMatch(/Signed in as <strong>Bob[^<]*<\/strong>/);
    expect((await browser.get(`${base}/incidents/1`)).status).toBe(404);
    expect((await browser.get(`${base}/incidents/2`)).status).toBe(200);

    const csrf = /name="csrf" value="([^"]+)"/.exec(list.text)?.[1];
    expect(csrf).toBeTruthy();
    const out = await browser.request(`${base}/incidents/auth/logout`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
      body: `csrf=${encodeURIComponent(csrf!)}`,
    });
    expect(out.status).toBe(303);
    expect((await browser.get(`${base}/incidents`)).status).toBe(303);
    // the client secret never reaches a log
    expect(h.logs.text).not.toContain(CLIENT_SECRET);
  });
});

describe('in Slack mode, a person deactivated in Slack', () => {
  it('loses the page within 5 minutes of being deactivated, not when the session runs out; a Slack outage keeps it up', async () => {
    const { h, slack, base } = await startSignedInMode();
    await h.command('declare sev2 Public trouble', { user: 'U0ALICE' });
    await h.idle();
    slack.workspace.openId.signInAs('U0BOB');
    const browser = new Browser({ base, local: h.url });
    expect((await browser.signIn('/incidents')).status).toBe(200);

    // Slack down: the sign-in stands, and the page with it
    slack.failAlways('users.info', { error: 'service_unavailable' });
    h.clock.advance(10 * 60_000);
    expect((await browser.get(`${base}/incidents/1`)).status).toBe(200);
    slack.clearFailures();

    slack.workspace.user('U0BOB')!.deleted = true;
    h.clock.advance(5 * 60_000);
    for (const path of ['/incidents', '/incidents/1', '/incidents/insights', '/incidents/1/postmortem.md']) {
      const refused = await browser.get(`${base}${path}`);
      expect(refused.status, path).toBe(403);
      expect(refused.text).toContain('no longer active in this workspace');
      expect(refused.text).not.toContain('Public trouble');
    }
    expect(h.logs.text).toContain('a web page viewer is no longer active in Slack');
  });
});

describe('links from Slack', () => {
  it('links the headline and the postmortem message to the incident page when WEB_BASE_URL is set', async () => {
    const clock = new FixedClock(Date.UTC(2026, 10, 23, 9, 0, 0));
    const slack = await startFakeSlack({ clock: () => clock.now() });
    const env = {
      WEB_BASE_URL: 'https://muster.example.com/ops/',
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 'web-client-secret',
    };
    const h = await startMuster({ clock, slack, env, overrides: { localWebViewer: ALICE } });
    harnesses.push(h);
    await h.command('declare sev2 Checkout returns 500s', { user: 'U0ALICE' });
    await h.idle();
    const ch = await channelOf(h, 1);
    const headline = JSON.stringify(
      [...slack.callsTo('chat.postMessage'), ...slack.callsTo('chat.update')]
        .filter((c) => c.args.channel === ch)
        .map((c) => c.args.blocks),
    );
    expect(headline).toContain(
      '<https://muster.example.com/ops/incidents/1|INC-1 timeline, pages and postmortem>',
    );
    await h.command('postmortem', { user: 'U0ALICE', channel: ch });
    await h.idle();
    const upload = slack.callsTo('files.completeUploadExternal').at(-1)!;
    expect(String(upload.args.initial_comment)).toContain(
      '<https://muster.example.com/ops/incidents/1#postmortem|INC-1 postmortem>',
    );
    // the page's own links carry the path WEB_BASE_URL is served under
    expect((await h.get('/incidents')).text).toContain('href="/ops/incidents/1"');
  });
});

describe('without the web page configured', () => {
  it('says how to turn it on, and serves no incident', async () => {
    const clock = new FixedClock(Date.UTC(2026, 10, 23, 9, 0, 0));
    const slack = await startFakeSlack({ clock: () => clock.now() });
    const h = await startMuster({ clock, slack });
    harnesses.push(h);
    await h.command('declare sev2 Checkout returns 500s', { user: 'U0ALICE' });
    await h.idle();
    const r = await h.get('/incidents');
    expect(r.status).toBe(404);
    expect(r.text).toContain('WEB_BASE_URL, SLACK_CLIENT_ID and SLACK_CLIENT_SECRET');
    expect(r.text).not.toContain('Checkout');
    expect((await h.get('/incidents/1')).status).toBe(404);
  });
});
