/**
 * The App Home end to end: opening the Home tab publishes it (views.publish) for that person with the open
 * incidents they may see (severity, age, their roles) and their open action items; changes republish the Home
 * of recent viewers, once per change; the "Declare incident" button opens the declare form, which declares; a
 * Slack failure for one viewer leaves the others refreshed.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SlackApiCall } from '../../packages/sandbox/src/emulators.js';
import type { Incident } from '../../src/domain/incident.js';
import { startFakeSlack } from '../fakes/fake-slack.js';
import { FixedClock } from '../support/fixed-clock.js';
import { type Harness, startMuster } from '../support/muster-harness.js';
import { modalProblems, unknownArguments } from '../support/slack-limits.js';
import { lastView, submission, userOf } from '../support/slack-interactions.js';
import { removeTempDirs } from '../support/temp-dir.js';

const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
const DAY = 24 * 60 * 60 * 1000;

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});
afterAll(() => removeTempDirs());

async function start(env: Record<string, string> = {}): Promise<Harness> {
  const clock = new FixedClock(T0);
  const slack = await startFakeSlack({ clock: () => clock.now() });
  h = await startMuster({ clock, slack, env: { INCIDENT_TIMEZONE: 'UTC', ...env } });
  return h;
}

/** Slack's `app_home_opened` for `user`, on the Home tab or the Messages tab. */
async function openHome(
  h: Harness,
  user: string,
  o: { tab?: 'home' | 'messages'; eventId?: string } = {},
): Promise<void> {
  const r = await h.event(
    { type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: o.tab ?? 'home' },
    o.eventId ? { eventId: o.eventId } : {},
  );
  expect(r.status).toBe(200);
  await h.idle();
}

const publishes = (h: Harness, user: string): SlackApiCall[] =>
  h.slack.callsTo('views.publish').filter((c) => c.args.user_id === user);

/** The Home last published for `user`, as the fake Slack holds it, as JSON text. */
function homeOf(h: Harness, user: string): string {
  const home = h.slack.workspace.homeView(user);
  if (!home) throw new Error(`no Home published for ${user}`);
  expect(modalProblems(home.view)).toEqual([]);
  return JSON.stringify(home.view);
}

async function declare(h: Harness, text: string, user = 'U0ALICE'): Promise<Incident> {
  expect((await h.command(`declare ${text}`, { user })).status).toBe(200);
  await h.idle();
  const all = await h.app.deps.store.incidents.all();
  return all[0]!;
}

/** `/incident <text>` typed by `user` in the incident's channel. */
async function inChannel(h: Harness, incident: Incident, text: string, user = 'U0ALICE') {
  const r = await h.command(text, { user, channel: incident.channelId! });
  expect(r.status).toBe(200);
  await h.idle();
  return r;
}

/** A press of a button of the Home tab, as Slack sends it (no channel, no response_url: a view container). */
function homePress(h: Harness, user: string, actionId: string): Record<string, unknown> {
  const home = h.slack.workspace.homeView(user)!;
  return {
    type: 'block_actions',
    user: userOf(user),
    api_app_id: 'A0MUSTER',
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: home.id },
    trigger_id: h.slack.workspace.mintTriggerId(user),
    team: { id: 'T0MUSTER', domain: 'muster-sandbox' },
    enterprise: null,
    is_enterprise_install: false,
    view: { id: home.id, team_id: 'T0MUSTER', type: 'home', blocks: home.view.blocks, hash: home.hash },
    actions: [
      {
        action_id: actionId,
        block_id: 'home:buttons',
        text: { type: 'plain_text', text: 'Declare incident', emoji: true },
        value: 'declare',
        type: 'button',
        action_ts: `${Math.floor(h.clock.now() / 1000)}.000100`,
      },
    ],
  };
}

describe('the App Home', () => {
  it('shows the opener their incidents with severity, age and role, and their action items; the Messages tab publishes nothing', async () => {
    const h = await start();
    const incident = await declare(h, 'sev2 Checkout returns 500s & <!channel> 🔥');
    await inChannel(h, incident, 'role scribe <@U0BOB>');
    await inChannel(h, incident, 'action add an alert on pool saturation <@U0BOB> p1 due 2026-12-01');
    await inChannel(h, incident, 'action write the failover runbook <@U0ALICE> due 2026-12-31');
    h.clock.advance(2 * 60 * 60 * 1000);

    await openHome(h, 'U0BOB', { tab: 'messages' });
    expect(h.slack.callsTo('views.publish')).toEqual([]);

    await openHome(h, 'U0BOB');
    expect(publishes(h, 'U0BOB')).toHaveLength(1);
    const bob = homeOf(h, 'U0BOB');
    expect(bob).toContain('"type":"home"');
    expect(bob).toContain('*INC-1* · *SEV-2* · investigating');
    expect(bob).toContain(`<#${incident.channelId}>`);
    expect(bob).toContain('Checkout returns 500s &amp; @\u2060channel 🔥');
    expect(bob).not.toContain('<!channel>');
    expect(bob).toContain(
      `Declared <!date^${incident.declaredAt / 1000}^{ago}|2 h 00 min ago> · You: Scribe`,
    );
    expect(bob).toContain('Your open action items (1, 1 overdue)');
    expect(bob).toContain('*P1* add an alert on pool saturation · due 2026-12-01 :warning: *overdue*');
    expect(bob).not.toContain('failover runbook');
    expect(bob).toContain('"action_id":"home.declare"');
    expect(bob).toContain('"style":"primary"');
    // no web page configured: no link to it
    expect(bob).not.toContain('home.web');

    await openHome(h, 'U0ALICE');
    const alice = homeOf(h, 'U0ALICE');
    expect(alice).toContain('You: Incident Commander');
    expect(alice).toContain('write the failover runbook · due 2026-12-31');
    expect(alice).not.toContain('overdue');

    await openHome(h, 'U0DAVE');
    const dave = homeOf(h, 'U0DAVE');
    expect(dave).toContain('You: _no role_');
    expect(dave).toContain('No open action items assigned to you.');
    expect(unknownArguments(h.slack.callsTo('views.publish'))).toEqual([]);
    expect(await h.rows('select user_id from home_viewers order by user_id')).toEqual([
      { user_id: 'U0ALICE' },
      { user_id: 'U0BOB' },
      { user_id: 'U0DAVE' },
    ]);
  });

  it('says so when nothing is open, and links the web page when WEB_BASE_URL is set', async () => {
    const h = await start({
      WEB_BASE_URL: 'https://muster.example.com/',
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 'client-secret-for-tests',
    });
    await openHome(h, 'U0BOB');
    const empty = homeOf(h, 'U0BOB');
    expect(empty).toContain('Open incidents (0)');
    expect(empty).toContain('No open incidents.');
    expect(empty).toContain('No open action items assigned to you.');
    expect(empty).toContain('"url":"https://muster.example.com/incidents"');
    expect(empty).toContain('Open the incidents page');

    await declare(h, 'sev1 Payments down');
    expect(homeOf(h, 'U0BOB')).toContain('*<https://muster.example.com/incidents/1|INC-1>* · *SEV-1*');
    // pressing the link button is only acknowledged: Slack opens the page itself
    const press = homePress(h, 'U0BOB', 'home.web');
    expect((await h.interact(press)).status).toBe(200);
    await h.idle();
    expect(h.slack.callsTo('views.open')).toEqual([]);
  });

  it('is republished for recent viewers, once per change, and not for a viewer gone more than 30 days', async () => {
    const h = await start();
    await openHome(h, 'U0CAROL');
    h.clock.advance(31 * DAY);
    await openHome(h, 'U0BOB');
    await openHome(h, 'U0ALICE');
    const counts = () => [
      publishes(h, 'U0BOB').length,
      publishes(h, 'U0ALICE').length,
      publishes(h, 'U0CAROL').length,
    ];
    expect(counts()).toEqual([1, 1, 1]);

    const incident = await declare(h, 'sev2 Search is slow');
    expect(counts()).toEqual([2, 2, 1]);
    expect(homeOf(h, 'U0BOB')).toContain('Search is slow');
    expect(homeOf(h, 'U0CAROL')).not.toContain('Search is slow');

    await inChannel(h, incident, 'role tech <@U0BOB>');
    expect(counts()).toEqual([3, 3, 1]);
    expect(homeOf(h, 'U0BOB')).toContain('You: Technical Lead');

    await inChannel(h, incident, 'sev 1');
    expect(counts()).toEqual([4, 4, 1]);
    expect(homeOf(h, 'U0BOB')).toContain('*SEV-1*');

    await inChannel(h, incident, 'status identified');
    expect(counts()).toEqual([5, 5, 1]);
    expect(homeOf(h, 'U0BOB')).toContain('identified');

    await inChannel(h, incident, 'action rotate the pool credentials <@U0BOB>');
    expect(counts()).toEqual([6, 6, 1]);
    expect(homeOf(h, 'U0BOB')).toContain('rotate the pool credentials');

    const [item] = await h.app.deps.store.actions.list(incident.number);
    const done = await h.interact({
      type: 'block_actions',
      user: userOf('U0BOB'),
      api_app_id: 'A0MUSTER',
      token: 'legacy-verification-token',
      container: {
        type: 'message',
        message_ts: '1.000100',
        channel_id: incident.channelId,
        is_ephemeral: true,
      },
      trigger_id: h.slack.workspace.mintTriggerId('U0BOB'),
      team: { id: 'T0MUSTER', domain: 'muster-sandbox' },
      channel: { id: incident.channelId, name: incident.channelName },
      response_url: h.slack.responseUrl(),
      actions: [
        {
          action_id: 'action.done',
          block_id: `action:${item!.id}`,
          value: String(item!.id),
          type: 'button',
          action_ts: '1.000200',
        },
      ],
    });
    expect(done.status).toBe(200);
    await h.idle();
    expect(counts()).toEqual([7, 7, 1]);
    expect(homeOf(h, 'U0BOB')).not.toContain('rotate the pool credentials');

    // a note changes nothing the Home shows
    await inChannel(h, incident, 'note the pool is at 100%');
    expect(counts()).toEqual([7, 7, 1]);

    await inChannel(h, incident, 'resolve the pool was resized');
    expect(counts()).toEqual([8, 8, 1]);
    expect(homeOf(h, 'U0BOB')).toContain('No open incidents.');

    // the periodic purge forgets the viewer gone more than 30 days, and only them
    const viewers = () => h.app.deps.store.homeViewers.recent(0, 10);
    expect(await viewers()).toEqual(expect.arrayContaining(['U0ALICE', 'U0BOB', 'U0CAROL']));
    await h.app.tick();
    expect((await viewers()).sort()).toEqual(['U0ALICE', 'U0BOB']);
    expect(h.logs.records().find((l) => l.msg === 'purged records past retention')).toMatchObject({
      homeViewers: 1,
    });
    // opening the Home again records them again
    await openHome(h, 'U0CAROL');
    expect((await viewers()).sort()).toEqual(['U0ALICE', 'U0BOB', 'U0CAROL']);
  });

  it("drops an action item's text from every Home once its entry is redacted", async () => {
    const h = await start();
    const incident = await declare(h, 'sev2 Leaked key');
    await openHome(h, 'U0BOB');
    await inChannel(h, incident, 'action rotate key AKIA-SECRET-123 <@U0BOB>');
    expect(homeOf(h, 'U0BOB')).toContain('AKIA-SECRET-123');
    const [item] = await h.app.deps.store.actions.list(incident.number);
    const [entry] = await h.app.deps.store.timeline.ofAction(incident.number, item!.id);
    await inChannel(h, incident, `redact ${entry!.number}`);
    expect(homeOf(h, 'U0BOB')).not.toContain('AKIA-SECRET-123');
    expect(homeOf(h, 'U0BOB')).toContain('_(text redacted)_');
  });

  it('is refreshed by any instance on the same database for the people who opened it on another', async () => {
    const first = await start();
    const second = await startMuster({ clock: first.clock, slack: first.slack, dir: first.dir });
    try {
      await openHome(first, 'U0BOB');
      expect(await second.command('declare sev2 Cache stampede', { user: 'U0ALICE' })).toMatchObject({
        status: 200,
      });
      await second.idle();
      expect(publishes(first, 'U0BOB')).toHaveLength(2);
      expect(homeOf(first, 'U0BOB')).toContain('Cache stampede');
    } finally {
      await second.app.stop();
    }
  });

  it('shows a private incident only to the members of its channel', async () => {
    const h = await start();
    await openHome(h, 'U0BOB');
    await openHome(h, 'U0ALICE');
    const incident = await declare(h, 'sev1 --private Acme payroll leak');
    expect(incident.private).toBe(true);
    expect(homeOf(h, 'U0ALICE')).toContain('Acme payroll leak');
    expect(homeOf(h, 'U0ALICE')).toContain(':lock:');
    expect(homeOf(h, 'U0BOB')).not.toContain('payroll');
    expect(homeOf(h, 'U0BOB')).toContain('No open incidents.');
    // an action item of Bob's in it stays hidden from him too, until he is in the channel
    await inChannel(h, incident, 'action revoke the bucket link <@U0BOB>');
    expect(homeOf(h, 'U0BOB')).not.toContain('revoke');
    h.slack.workspace.inviteToChannel(incident.channelId!, ['U0BOB'], 'U0ALICE');
    h.clock.advance(10 * 60 * 1000);
    await openHome(h, 'U0BOB');
    expect(homeOf(h, 'U0BOB')).toContain('Acme payroll leak');
    expect(homeOf(h, 'U0BOB')).toContain('revoke the bucket link');
  });

  it('opens the declare form from the "Declare incident" button, whose submission declares', async () => {
    const h = await start();
    await openHome(h, 'U0BOB');
    expect((await h.interact(homePress(h, 'U0BOB', 'home.declare'))).status).toBe(200);
    await h.idle();
    expect(h.slack.callsTo('views.open')).toHaveLength(1);
    const opened = lastView(h);
    expect(opened.view.type).toBe('modal');
    expect(opened.view.callback_id).toBe('declare');
    expect(modalProblems(opened.view)).toEqual([]);

    const r = await h.interact(
      submission(
        opened,
        { title: { text: 'Login fails for SSO users' }, severity: { option: '2' }, private: { checked: [] } },
        'U0BOB',
      ),
    );
    expect(r.status).toBe(200);
    await h.idle();
    const [incident] = await h.app.deps.store.incidents.listOpen();
    expect(incident).toMatchObject({ title: 'Login fails for SSO users', severity: 2, declaredBy: 'U0BOB' });
    expect(incident!.channelId).not.toBeNull();
    const bob = homeOf(h, 'U0BOB');
    expect(bob).toContain('Login fails for SSO users');
    expect(bob).toContain('You: Incident Commander');
  });

  it('logs a views.publish that fails and goes on with the next viewer; waits out a rate limit', async () => {
    const h = await start();
    await openHome(h, 'U0CAROL');
    h.clock.advance(60_000);
    await openHome(h, 'U0BOB');
    // the most recent viewer first: Bob's publish fails, Carol's goes through
    h.slack.failNext('views.publish', { error: 'not_enabled' });
    await declare(h, 'sev2 Queue backlog');
    expect(publishes(h, 'U0BOB')).toHaveLength(2);
    expect(homeOf(h, 'U0BOB')).not.toContain('Queue backlog');
    expect(homeOf(h, 'U0CAROL')).toContain('Queue backlog');
    const warned = h.logs.records().filter((r) => r.msg === 'could not publish the App Home');
    expect(warned).toEqual([expect.objectContaining({ error: 'not_enabled', user: 'U0BOB' })]);

    h.slack.failNext('views.publish', { error: 'ratelimited', status: 429, retryAfter: 0 });
    await declare(h, 'sev3 Slow dashboards');
    expect(homeOf(h, 'U0BOB')).toContain('Slow dashboards');
    expect(homeOf(h, 'U0CAROL')).toContain('Slow dashboards');
    expect(h.logs.records().filter((r) => r.msg === 'could not publish the App Home')).toHaveLength(1);
  });

  it('publishes once for a duplicate delivery of the same app_home_opened', async () => {
    const h = await start();
    await openHome(h, 'U0BOB', { eventId: 'Ev0HOME0001' });
    await openHome(h, 'U0BOB', { eventId: 'Ev0HOME0001' });
    expect(publishes(h, 'U0BOB')).toHaveLength(1);
  });

  it('ignores an app_home_opened without a user', async () => {
    const h = await start();
    const r = await h.event({ type: 'app_home_opened', channel: 'D0NOBODY', tab: 'home' });
    expect(r.status).toBe(200);
    await h.idle();
    expect(h.slack.callsTo('views.publish')).toEqual([]);
    expect(await h.rows('select * from home_viewers')).toEqual([]);
  });
});
