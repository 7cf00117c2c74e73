/**
 * INCIDENT_POLICY end to end: under `responders`, severity, status, resolving, reopening, paging, escalating
 * and the commander role are for the incident's role holders and its declarer, by command, button and form;
 * everyone else is told who can, and nothing is recorded. Under `open` (the default) everyone may.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { type IncidentChannel, openIncident } from '../support/incident-channel.js';
import { type PagingWorld, startPagingWorld } from '../support/paging-world.js';
import { headlinePress, lastView, submission, userOf } from '../support/slack-interactions.js';
import { removeTempDirs } from '../support/temp-dir.js';

const RESPONDERS = { INCIDENT_POLICY: 'responders' };
/** Who can, as INC-1 stands after `staffed`: Carol took the commander role from Alice, Bob is comms. */
const WHO_CAN = '<@U0CAROL> (commander), <@U0BOB> (comms) or <@U0ALICE> who declared it';
const refusal = (what: string, who = WHO_CAN) =>
  `:warning: Only INC-1's responders can ${what}: ${who}. INCIDENT_POLICY is responders.`;

let c: IncidentChannel | null = null;
afterEach(async () => {
  await c?.h.stop();
  c = null;
});
afterAll(() => removeTempDirs());

/** INC-1, declared by Alice, who handed the commander role to Carol and made Bob comms; Dave just joined. */
async function staffed(env: Record<string, string> = RESPONDERS): Promise<IncidentChannel> {
  c = await openIncident({ env });
  c.h.slack.workspace.userJoinChannel({ user: 'U0DAVE', channel: c.channel });
  expect((await c.command('role ic <@U0CAROL>', 'U0ALICE')).status).toBe(200);
  expect((await c.command('role comms <@U0BOB>', 'U0ALICE')).status).toBe(200);
  await c.h.idle();
  return c;
}

/** `/incident <text>` by `user` in the incident channel: its answer, as the person sees it ('' when none). */
async function run(text: string, user: string): Promise<string> {
  const r = await c!.command(text, user);
  await c!.h.idle();
  expect(r.status).toBe(200);
  return r.json ? String(r.json.text) : '';
}

const incident = async (): Promise<Incident> => (await c!.h.app.deps.store.incidents.get(1))!;

/** Everything a refusal must leave alone: the incident, its roles, timeline, pages, outbox and channel. */
async function recorded() {
  const { h } = c!;
  const { severity, status, summary, resolvedAt, updatedAt } = await incident();
  return {
    incident: { severity, status, summary, resolvedAt, updatedAt },
    holders: await h.app.deps.store.incidents.holders(1),
    timeline: (await h.app.deps.store.timeline.list(1, { includeRemoved: true })).length,
    pages: (await h.rows('select id from pages')).length,
    outbox: (await h.rows('select id from outbox')).length,
    channel: h.slack.workspace.messages(c!.channel).length,
    views: h.slack.callsTo('views.open').length,
  };
}

describe('under INCIDENT_POLICY=responders, commands', () => {
  it.each([
    ['sev 1', 'change its severity'],
    ['status identified', 'change its status'],
    ['status resolved', 'resolve it'],
    ['resolve it was the cache', 'resolve it'],
    ['page checkout', 'page for it'],
    ['role ic <@U0DAVE>', 'hand over its commander role'],
    ['role comms <@U0DAVE>', 'take a role from its holder'],
  ])('`%s` by someone with no role is refused, naming who can, and records nothing', async (text, what) => {
    await staffed();
    const before = await recorded();
    expect(await run(text, 'U0DAVE')).toBe(refusal(what));
    expect(await recorded()).toEqual(before);
  });

  it('`reopen` by someone with no role is refused, and records nothing', async () => {
    await staffed();
    expect(await run('resolve', 'U0CAROL')).toBe('');
    const before = await recorded();
    expect(await run('reopen not fixed', 'U0DAVE')).toBe(refusal('reopen it'));
    expect(await recorded()).toEqual(before);
    expect((await incident()).status).toBe('resolved');
  });

  it('a role holder may change severity and status, and the commander may hand over', async () => {
    await staffed();
    expect(await run('sev 1', 'U0BOB')).toBe('');
    expect(await run('status identified', 'U0BOB')).toBe('');
    expect(await incident()).toMatchObject({ severity: 1, status: 'identified' });
    expect(await run('role ic <@U0BOB>', 'U0CAROL')).toBe('');
    expect((await c!.h.app.deps.store.incidents.holders(1)).ic).toBe('U0BOB');
  });

  it('the declarer may act without holding a role: status, resolve, reopen, the commander role', async () => {
    await staffed();
    expect(await run('status monitoring', 'U0ALICE')).toBe('');
    expect(await run('resolve fixed', 'U0ALICE')).toBe('');
    expect((await incident()).status).toBe('resolved');
    expect(await run('reopen not fixed', 'U0ALICE')).toBe('');
    expect((await incident()).status).toBe('investigating');
    expect(await run('role ic <@U0ALICE>', 'U0ALICE')).toBe('');
    expect((await c!.h.app.deps.store.incidents.holders(1)).ic).toBe('U0ALICE');
  });

  it('anyone may fill a role nobody holds, and is a responder from then on', async () => {
    await staffed();
    expect(await run('role scribe <@U0DAVE>', 'U0DAVE')).toBe('');
    expect(await run('sev 1', 'U0DAVE')).toBe('');
    expect((await incident()).severity).toBe(1);
  });

  it('counts the roles held now: someone handed over is no longer a responder', async () => {
    await staffed();
    expect(await run('role comms <@U0DAVE>', 'U0CAROL')).toBe('');
    expect(await run('sev 1', 'U0BOB')).toBe(
      refusal(
        'change its severity',
        '<@U0CAROL> (commander), <@U0DAVE> (comms) or <@U0ALICE> who declared it',
      ),
    );
    expect((await incident()).severity).toBe(2);
  });

  it('leaves notes, pins, updates, action items, the timeline, list and help open to everyone', async () => {
    await staffed();
    expect(await run('note the cache hit rate fell at 09:02', 'U0DAVE')).toContain('added a note');
    const ts = await c!.say('U0CAROL', 'deploy 1234 rolled back');
    await c!.react('U0DAVE', ts);
    expect(await run('update rollback done, watching errors', 'U0DAVE')).not.toContain(':warning:');
    expect(await run('action add an alert on cache hit rate <@U0DAVE> p2', 'U0DAVE')).not.toContain(
      ':warning:',
    );
    const texts = (await c!.entries()).map((e) => e.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        'the cache hit rate fell at 09:02',
        'deploy 1234 rolled back',
        'rollback done, watching errors',
      ]),
    );
    expect(await c!.h.app.deps.store.actions.list(1)).toHaveLength(1);
    expect(await run('timeline', 'U0DAVE')).toContain('the cache hit rate fell at 09:02');
    expect(await run('actions', 'U0DAVE')).toBe('Action items of INC-1: 1 open, 0 done');
    expect(await run('list', 'U0DAVE')).toContain('INC-1');
    expect(await run('help', 'U0DAVE')).toContain('/incident');
    expect(await run('role', 'U0DAVE')).toContain('<@U0CAROL>');
  });
});

describe('under INCIDENT_POLICY=open (the default)', () => {
  it('everyone in the channel may change severity and status, hand over the commander, resolve and reopen', async () => {
    await staffed({});
    expect(c!.h.app.deps.config.INCIDENT_POLICY).toBe('open');
    expect(await run('sev 1', 'U0DAVE')).toBe('');
    expect(await run('status identified', 'U0DAVE')).toBe('');
    expect(await run('role comms <@U0DAVE>', 'U0DAVE')).toBe('');
    expect(await run('role ic <@U0DAVE>', 'U0DAVE')).toBe('');
    expect(await run('role ic <@U0CAROL>', 'U0DAVE')).toBe('');
    expect(await run('resolve fixed', 'U0DAVE')).toBe('');
    expect(await run('reopen not fixed', 'U0DAVE')).toBe('');
    expect(await incident()).toMatchObject({ severity: 1, status: 'investigating' });
    expect(await c!.h.app.deps.store.incidents.holders(1)).toEqual({ ic: 'U0CAROL', comms: 'U0DAVE' });
  });

  it("opens the headline's forms to everyone and stores what they submit", async () => {
    const { h } = await staffed({});
    await h.interact(headlinePress(h, await incident(), 'headline.status', 'U0DAVE'));
    await h.idle();
    const form = lastView(h);
    expect(
      (await h.interact(submission(form, { status: { option: 'monitoring' } }, 'U0DAVE'))).json,
    ).toBeNull();
    await h.idle();
    expect((await incident()).status).toBe('monitoring');
  });
});

describe('under INCIDENT_POLICY=responders, buttons and forms', () => {
  const press = async (actionId: string, user: string) => {
    const { h } = c!;
    const r = await h.interact(headlinePress(h, await incident(), actionId, user));
    expect(r.status).toBe(200);
    await h.idle();
  };
  const told = (user: string) => c!.h.slack.workspace.ephemerals({ user }).at(-1);

  it.each([
    ['headline.status', 'change its status'],
    ['headline.resolve', 'resolve it'],
  ])('%s pressed by someone with no role answers who can and opens no form', async (actionId, what) => {
    await staffed();
    const before = await recorded();
    await press(actionId, 'U0DAVE');
    expect(told('U0DAVE')).toMatchObject({ channel: c!.channel, text: refusal(what) });
    expect(await recorded()).toEqual(before);
  });

  it('a role holder and the declarer get the forms, and their submissions are stored', async () => {
    const { h } = await staffed();
    await press('headline.status', 'U0BOB');
    const status = lastView(h);
    expect(
      (await h.interact(submission(status, { status: { option: 'identified' } }, 'U0BOB'))).json,
    ).toBeNull();
    await h.idle();
    expect((await incident()).status).toBe('identified');
    await press('headline.resolve', 'U0ALICE');
    const resolve = lastView(h);
    expect(
      (await h.interact(submission(resolve, { summary: { text: 'cache warmed' } }, 'U0ALICE'))).json,
    ).toBeNull();
    await h.idle();
    expect(await incident()).toMatchObject({ status: 'resolved', summary: 'cache warmed' });
  });

  it('a form submitted after its sender lost their role is refused on its field, naming who can', async () => {
    const { h } = await staffed();
    await press('headline.status', 'U0BOB');
    const status = lastView(h);
    await press('headline.resolve', 'U0BOB');
    const resolve = lastView(h);
    await press('headline.role', 'U0BOB');
    const role = lastView(h);
    // Carol gives comms to Dave while Bob's forms are open
    expect(await run('role comms <@U0DAVE>', 'U0CAROL')).toBe('');
    const before = await recorded();
    const names = 'Carol (commander), Dave (comms) or Alice who declared it';
    const answer = (what: string) =>
      `Only INC-1's responders can ${what}: ${names}. INCIDENT_POLICY is responders.`;
    expect(
      (await h.interact(submission(status, { status: { option: 'monitoring' } }, 'U0BOB'))).json,
    ).toEqual({
      response_action: 'errors',
      errors: { status: answer('change its status') },
    });
    expect((await h.interact(submission(resolve, { summary: { text: 'done' } }, 'U0BOB'))).json).toEqual({
      response_action: 'errors',
      errors: { summary: answer('resolve it') },
    });
    expect(
      (await h.interact(submission(role, { role: { option: 'ic' }, user: { user: 'U0BOB' } }, 'U0BOB'))).json,
    ).toEqual({
      response_action: 'errors',
      errors: { user: answer('hand over its commander role') },
    });
    await h.idle();
    expect(await recorded()).toEqual(before);
  });

  it('the role form opens for everyone: filling an empty role is allowed, taking a held one is not', async () => {
    const { h } = await staffed();
    const before = await recorded();
    await press('headline.role', 'U0DAVE');
    const role = lastView(h);
    const taken = await h.interact(
      submission(role, { role: { option: 'comms' }, user: { user: 'U0DAVE' } }, 'U0DAVE'),
    );
    expect(taken.json).toEqual({
      response_action: 'errors',
      errors: {
        user: "Only INC-1's responders can take a role from its holder: Carol (commander), Bob (comms) or Alice who declared it. INCIDENT_POLICY is responders.",
      },
    });
    await h.idle();
    expect({ ...(await recorded()), views: before.views }).toEqual(before);
    const filled = await h.interact(
      submission(role, { role: { option: 'tech' }, user: { user: 'U0DAVE' } }, 'U0DAVE'),
    );
    expect(filled.json).toBeNull();
    await h.idle();
    expect((await h.app.deps.store.incidents.holders(1)).tech).toBe('U0DAVE');
  });
});

describe('under INCIDENT_POLICY=responders, paging', () => {
  let w: PagingWorld | null = null;
  afterEach(async () => {
    await w?.stop();
    w = null;
  });

  /** The Escalate button of the last prompt in the channel. */
  const escalateValue = (world: PagingWorld, channelId: string): string => {
    const calls = world.h.slack.callsTo('chat.postMessage').filter((m) => m.args.channel === channelId);
    for (const m of calls.reverse()) {
      const blocks = (m.args.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[];
      const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'page.escalate');
      if (button?.value) return button.value;
    }
    throw new Error('no Escalate button posted');
  };
  const escalatePress = (world: PagingWorld, inc: Incident, value: string, user: string) => ({
    type: 'block_actions',
    user: userOf(user),
    api_app_id: 'A0MUSTER',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: '1.000100', channel_id: inc.channelId, is_ephemeral: false },
    trigger_id: world.h.slack.workspace.mintTriggerId(user),
    team: { id: 'T0MUSTER', domain: 'muster-sandbox' },
    channel: { id: inc.channelId, name: inc.channelName },
    response_url: world.h.slack.responseUrl({ channel: inc.channelId!, user }),
    actions: [
      {
        action_id: 'page.escalate',
        block_id: 'page-escalate:1',
        value,
        type: 'button',
        text: { type: 'plain_text', text: 'Escalate' },
        action_ts: '1.000200',
      },
    ],
  });

  it('only a responder pages, and a stale Escalate button pressed by someone else escalates nothing', async () => {
    w = await startPagingWorld({ env: RESPONDERS });
    const inc = await w.declare('sev2 search is slow');
    const refused = await w.inChannel(inc, 'page search', 'U0DAVE');
    expect(String(refused.json?.text)).toBe(
      `:warning: Only INC-${inc.number}'s responders can page for it: <@U0ALICE> (commander; declared it). INCIDENT_POLICY is responders.`,
    );
    await w.h.idle();
    expect(w.rows('select id from pages')).toHaveLength(0);
    expect(w.pd.fake.requestsTo('createIncident')).toHaveLength(0);

    expect(String((await w.inChannel(inc, 'page search', 'U0ALICE')).json?.text)).toContain(
      'Paging *search*',
    );
    await w.h.idle();
    expect(w.rows('select id from pages')).toHaveLength(1);
    w.clock.advanceMinutes(10);
    await w.h.app.tick();
    const value = escalateValue(w, inc.channelId!);
    const entries = (await w.h.app.deps.store.timeline.list(inc.number)).length;

    await w.h.interact(escalatePress(w, inc, value, 'U0DAVE'));
    await w.h.idle();
    expect(w.pd.fake.requestsTo('updateIncident')).toHaveLength(0);
    expect(await w.h.app.deps.store.timeline.list(inc.number)).toHaveLength(entries);
    expect(JSON.stringify(w.h.slack.responses.at(-1)?.body)).toContain(
      `Only INC-${inc.number}'s responders can escalate its pages: <@U0ALICE> (commander; declared it). INCIDENT_POLICY is responders.`,
    );

    await w.h.interact(escalatePress(w, inc, value, 'U0ALICE'));
    await w.h.idle();
    expect(w.pd.fake.requestsTo('updateIncident')).toHaveLength(1);
  });

  it('under open, anyone pages and escalates', async () => {
    w = await startPagingWorld();
    const inc = await w.declare('sev2 search is slow');
    expect(String((await w.inChannel(inc, 'page search', 'U0DAVE')).json?.text)).toContain('Paging *search*');
    await w.h.idle();
    w.clock.advanceMinutes(10);
    await w.h.app.tick();
    await w.h.interact(escalatePress(w, inc, escalateValue(w, inc.channelId!), 'U0DAVE'));
    await w.h.idle();
    expect(w.pd.fake.requestsTo('updateIncident')).toHaveLength(1);
  });
});
