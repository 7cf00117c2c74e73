/**
 * Overdue follow-ups end to end, with the clock moved by hand and `tick()` instead of waiting: each owner gets
 * one DM a week of their open action items past due, from Monday 09:00, across a restart; and
 * `/incident actions --all`, typed anywhere, lists the open items across incidents, a private incident's only
 * to members of its channel.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../support/fixed-clock.js';
import { type Harness, startMuster } from '../support/muster-harness.js';
import { removeTempDirs } from '../support/temp-dir.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});
afterAll(() => removeTempDirs());

/** Wednesday 25 November 2026, 10:00 UTC (ISO week 2026-W48). */
const WEDNESDAY = Date.UTC(2026, 10, 25, 10, 0);
/** Monday 30 November 2026, 09:00 UTC: the reminder hour of 2026-W49. */
const MONDAY_9 = Date.UTC(2026, 10, 30, 9, 0);
const DAY = 86_400_000;

/** Starts Muster on Wednesday; the incident reminders are off, so that the DMs are the only posts a tick makes. */
const start = async (env: Record<string, string> = {}): Promise<Harness> => {
  h = await startMuster({
    env: { UPDATE_CADENCE_MINUTES: '0,0,0,0', ROLE_REMINDER_MINUTES: '0', ...env },
    clock: new FixedClock(WEDNESDAY),
  });
  return h;
};

/** Stops Muster and starts it again on the same database and fake Slack. */
const restart = async (running: Harness): Promise<Harness> => {
  h = await running.restart();
  return h;
};

/** Declares an incident as Alice and returns its channel. */
const declare = async (h: Harness, text: string): Promise<string> => {
  await h.command(`declare ${text}`, { user: 'U0ALICE' });
  await h.idle();
  const incidents = await h.app.deps.store.incidents.all();
  return incidents[0]!.channelId!;
};

const run = async (h: Harness, text: string, channel: string, user = 'U0ALICE') => {
  const r = await h.command(text, { user, channel });
  await h.idle();
  return r;
};

/** The texts of the DMs Muster sent each person: chat.postMessage to their user id. */
const dms = (h: Harness, user: string): string[] =>
  h.slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === user)
    .map((c) => String(c.args.text));

const tickAt = async (h: Harness, at: number) => {
  h.clock.set(at);
  await h.app.tick();
};

describe('the weekly DM of overdue follow-ups', () => {
  it('tells each owner once a week, from Monday 09:00, of their open items past due across incidents', async () => {
    const h = await start();
    const db = await declare(h, 'sev2 db failover was slow');
    const search = await declare(h, 'sev3 search is slow');
    await run(h, 'action alert on replica lag <@U0BOB> p1 due 2026-11-27', db);
    await run(h, 'action document the <failover> & drill <@U0CAROL> due 2026-11-26', db);
    await run(h, 'action index lag dashboard <@U0BOB> due 2026-11-28', search);
    await run(h, 'action not yet due <@U0BOB> due 2026-12-10', search);
    await run(h, 'action nobody owns this due 2026-11-26', search);
    await run(h, 'action done already <@U0DAVE> due 2026-11-26', search);
    const done = (await h.app.deps.store.actions.list(2)).find((i) => i.text === 'done already')!;
    await h.app.deps.store.actions.markDone(done.id, 'U0DAVE', h.clock.now());

    // nothing is late yet on Wednesday; on Monday at 08:59 it is, but the reminder hour has not come
    await h.app.tick();
    await tickAt(h, MONDAY_9 - 60_000);
    expect([...dms(h, 'U0BOB'), ...dms(h, 'U0CAROL')]).toEqual([]);

    await tickAt(h, MONDAY_9);
    const [bob] = dms(h, 'U0BOB');
    expect(dms(h, 'U0BOB')).toHaveLength(1);
    expect(bob).toContain('You own 2 open action items past due');
    expect(bob).toContain(`*P1* alert on replica lag · due 2026-11-27 · <#${db}>`);
    expect(bob).toContain(`*P2* index lag dashboard · due 2026-11-28 · <#${search}>`);
    expect(bob).not.toContain('not yet due');
    expect(dms(h, 'U0CAROL')).toEqual([
      expect.stringContaining('document the &lt;failover&gt; &amp; drill · due 2026-11-26'),
    ]);
    expect(dms(h, 'U0DAVE')).toEqual([]);
    // the DM landed in the app's direct message with Bob
    const dm = h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0BOB')!;
    expect(h.slack.workspace.directMessage('U0BOB').members).toContain('U0BOB');
    expect(
      h.slack.workspace.messages(h.slack.workspace.directMessage('U0BOB').id).map((m) => m.text),
    ).toEqual([dm.args.text]);

    // again the same week, a restart too: no second DM
    await tickAt(h, MONDAY_9 + 60_000);
    const restarted = await restart(h);
    await tickAt(restarted, MONDAY_9 + 2 * DAY);
    expect(dms(restarted, 'U0BOB')).toHaveLength(1);
    expect(dms(restarted, 'U0CAROL')).toHaveLength(1);

    // Carol's item is done; the next Monday, Bob is told again and Carol is not
    const carols = (await restarted.app.deps.store.actions.list(1)).find((i) => i.ownerId === 'U0CAROL')!;
    await restarted.app.deps.store.actions.markDone(carols.id, 'U0CAROL', restarted.clock.now());
    await tickAt(restarted, MONDAY_9 + 7 * DAY);
    expect(dms(restarted, 'U0BOB')).toHaveLength(2);
    expect(dms(restarted, 'U0CAROL')).toHaveLength(1);
  });

  it('sends the DM at the next run when Slack could not take it', async () => {
    const h = await start();
    const db = await declare(h, 'sev2 db failover was slow');
    await run(h, 'action alert on replica lag <@U0BOB> due 2026-11-27', db);
    h.slack.failNext('chat.postMessage', { error: 'internal_error' });
    await tickAt(h, MONDAY_9);
    expect(dms(h, 'U0BOB')).toHaveLength(1);
    expect(h.logs.lines.some((l) => l.includes('could not tell a notice in Slack'))).toBe(true);
    await tickAt(h, MONDAY_9 + 60_000);
    expect(dms(h, 'U0BOB')).toHaveLength(2);
    expect(h.slack.workspace.messages(h.slack.workspace.directMessage('U0BOB').id)).toHaveLength(1);
    await tickAt(h, MONDAY_9 + 120_000);
    expect(dms(h, 'U0BOB')).toHaveLength(2);
  });

  it('sends nothing with FOLLOW_UP_REMINDER=off', async () => {
    const h = await start({ FOLLOW_UP_REMINDER: 'off' });
    const db = await declare(h, 'sev2 db failover was slow');
    await run(h, 'action alert on replica lag <@U0BOB> due 2026-11-27', db);
    await tickAt(h, MONDAY_9);
    await tickAt(h, MONDAY_9 + 3 * DAY);
    expect(dms(h, 'U0BOB')).toEqual([]);
  });
});

describe('/incident actions --all', () => {
  it("lists open items across incidents from any channel, a private incident's only to its members", async () => {
    const h = await start();
    const db = await declare(h, 'sev2 db failover was slow');
    const search = await declare(h, 'sev3 search <b>is</b> slow & <!channel>');
    await run(h, 'action alert on replica lag <@U0BOB> p1 due 2026-11-20', db);
    await run(h, 'action write the runbook p3', db);
    await run(h, 'action index lag dashboard <@U0CAROL> due 2026-12-10', search);
    await run(h, 'action done already', search);
    const done = (await h.app.deps.store.actions.list(2)).find((i) => i.text === 'done already')!;
    await h.app.deps.store.actions.markDone(done.id, 'U0ALICE', h.clock.now());
    await h.command('declare sev1 --private payroll export leaked', { user: 'U0ALICE' });
    await h.idle();
    const secret = h.slack.workspace.channel('inc-3-private')!.id;
    await run(h, 'action rotate the payroll export key <@U0ALICE> p0 due 2026-11-24', secret);

    const all = async (user: string) => {
      const r = await h.command('actions --all', { user, channel: 'C0GENERAL' });
      expect(r.status).toBe(200);
      expect(r.json?.response_type).toBe('ephemeral');
      return { text: String(r.json?.text), blocks: JSON.stringify(r.json?.blocks ?? []) };
    };

    const bob = await all('U0BOB');
    expect(bob.text).toBe('Open action items: 3 open action items across 2 incidents, 1 overdue');
    expect(bob.blocks).toContain(`*INC-1* · db failover was slow · <#${db}>`);
    expect(bob.blocks).toContain(
      '• *P1* alert on replica lag · owner <@U0BOB> · due 2026-11-20 :warning: *overdue*',
    );
    expect(bob.blocks).toContain('• *P3* write the runbook · _no owner_');
    expect(bob.blocks).toContain(
      `*INC-2* · search &lt;b&gt;is&lt;/b&gt; slow &amp; @\u2060channel · <#${search}>`,
    );
    expect(bob.blocks).toContain('• *P2* index lag dashboard · owner <@U0CAROL> · due 2026-12-10');
    expect(bob.blocks).not.toContain('done already');
    expect(bob.blocks).not.toContain('INC-3');
    expect(bob.blocks).not.toContain('payroll');

    const alice = await all('U0ALICE');
    expect(alice.text).toBe('Open action items: 4 open action items across 3 incidents, 2 overdue');
    expect(alice.blocks).toContain(`:lock: *INC-3* · payroll export leaked · <#${secret}>`);
    expect(alice.blocks).toContain('rotate the payroll export key');

    // from an incident channel too, where plain `actions` lists that incident's items
    expect((await run(h, 'actions --all', db, 'U0CAROL')).json?.text).toBe(
      'Open action items: 3 open action items across 2 incidents, 1 overdue',
    );
    expect(String((await run(h, 'actions', db, 'U0CAROL')).json?.text)).toContain('Action items of INC-1');
    expect(String((await h.command('actions', { channel: 'C0GENERAL' })).json?.text)).toMatch(
      /`\/incident actions` acts on an incident: run it in the incident's channel/,
    );
    expect(String((await h.command('actions --mine', { channel: 'C0GENERAL' })).json?.text)).toMatch(
      /"--mine" is not an option of actions: the only one is `--all`[\s\S]*Usage: `\/incident actions \[--all\]`/,
    );
  });

  it('answers in a sentence when nothing is open', async () => {
    const h = await start();
    await declare(h, 'sev3 search is slow');
    expect((await h.command('actions --all')).json).toMatchObject({
      response_type: 'ephemeral',
      text: ':white_check_mark: No open action items in the incidents you can see.',
    });
  });
});
