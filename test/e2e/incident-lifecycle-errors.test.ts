/**
 * Issue 4's bad input, each with its clear answer: wrong words, wrong people, wrong places, wrong moments,
 * bad modal submissions, stale buttons, and Slack failing (ratelimited, not_in_channel, channel_not_found,
 * cant_update_message) without ever blocking the lifecycle.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { type Harness, startMuster } from '../support/muster-harness.js';
import { headlinePress, lastView, submission } from '../support/slack-interactions.js';
import { removeTempDirs } from '../support/temp-dir.js';

const ANNOUNCE = 'C0INCIDENTS';
let h: Harness;

afterAll(() => removeTempDirs());

const incidentOf = async (n = 1): Promise<Incident> => (await h.app.deps.store.incidents.get(n))!;
const declare = async (env: Record<string, string> = {}) => {
  h = await startMuster({ env: { INCIDENT_ANNOUNCE_CHANNEL: ANNOUNCE, ...env } });
  await h.command('declare sev2 checkout returns 500s', { user: 'U0ALICE' });
  await h.idle();
  return incidentOf();
};
/** Runs a command in the incident channel and returns its ephemeral answer. */
const answer = async (text: string, opts: { user?: string; channel?: string } = {}): Promise<string> => {
  const r = await h.command(text, {
    user: opts.user ?? 'U0ALICE',
    channel: opts.channel ?? (await incidentOf()).channelId!,
  });
  await h.idle();
  expect(r.status).toBe(200);
  return r.json ? `${String(r.json.response_type)}: ${String(r.json.text)}` : '';
};
const channelTexts = (channelId: string): string[] =>
  h.slack.workspace.messages(channelId).map((m) => m.text);
const failures = (channelId: string): string[] =>
  channelTexts(channelId).filter((t) => t.includes('follow-up steps failed'));

describe('bad commands', () => {
  beforeEach(async () => {
    await declare();
  });
  afterEach(async () => h.stop());

  it.each([
    ['role boss <@U0BOB>', '"boss" is not a role.'],
    ['role scrib <@U0BOB>', 'Did you mean `scribe`?'],
    ['role comms bob', '"bob" is not a person: mention them with @.'],
    ['role tech <@U0DEPLOYBOT>', '<@U0DEPLOYBOT> is a bot; the Technical Lead must be a person.'],
    ['role tech <@U0NOBODY|ghost>', '<@U0NOBODY> is not someone I can find in this workspace'],
    ['role ic <@U0ALICE>', '<@U0ALICE> is already the Incident Commander.'],
    ['sev 0', '"0" is not a severity: use 1, 2, 3 or 4'],
    ['sev high', '"high" is not a severity'],
    ['sev', 'Missing the severity.'],
    ['sev 2', 'INC-1 is already SEV-2.'],
    ['status monitorng', 'Did you mean `monitoring`?'],
    ['status investigating', 'INC-1 is already investigating. Next: `identified`, `monitoring`, `resolved`.'],
    ['reopen', 'INC-1 is not resolved (it is investigating), so there is nothing to reopen.'],
    ['update', 'Missing update text.'],
  ])('%s is answered: %s', async (text, expected) => {
    const said = channelTexts((await incidentOf()).channelId!).length;
    const got = await answer(text);
    expect(got).toMatch(/^ephemeral: :warning: /);
    expect(got).toContain(expected);
    // nothing changed and nothing was said in the channel
    expect(await h.app.deps.store.incidents.holders(1)).toEqual({ ic: 'U0ALICE' });
    expect(await incidentOf()).toMatchObject({ severity: 2, status: 'investigating' });
    expect(await h.app.deps.store.timeline.list(1)).toHaveLength(2);
    expect(channelTexts((await incidentOf()).channelId!)).toHaveLength(said);
  });

  it('an impossible transition names the allowed next states', async () => {
    await answer('status identified');
    expect(await answer('status investigating')).toBe(
      'ephemeral: :warning: INC-1 cannot go from identified to investigating. From identified it can go to: `monitoring`, `resolved`.',
    );
    expect((await incidentOf()).status).toBe('identified');
  });

  it.each([
    'status',
    'status identified',
    'sev 1',
    'role',
    'role comms <@U0BOB>',
    'update all good',
    'resolve',
    'reopen',
  ])('%s outside an incident channel is refused', async (text) => {
    const got = await answer(text, { channel: 'C0GENERAL' });
    expect(got).toContain('acts on an incident: run it in the incident');
    expect((await incidentOf()).status).toBe('investigating');
  });

  it('a resolved incident refuses all but reopen, notes, actions, the postmortem and read-only forms', async () => {
    await answer('resolve fixed');
    const before = (await h.app.deps.store.timeline.list(1)).length;
    for (const text of [
      'sev 1',
      'status identified',
      'status resolved',
      'role comms <@U0BOB>',
      'update still fine',
      'resolve again',
    ]) {
      expect(await answer(text)).toContain('INC-1 is resolved, so');
    }
    expect(await h.app.deps.store.timeline.list(1)).toHaveLength(before);
    expect(await answer('status')).toContain('Resolved. `/incident reopen [reason]` reopens it.');
    expect(await answer('role')).toContain('*Incident Commander* (`ic`): <@U0ALICE>');
    expect(await answer('reopen not fixed after all')).toBe('');
    expect((await incidentOf()).status).toBe('investigating');
  });
});

describe('bad modal submissions and stale buttons', () => {
  afterEach(async () => h.stop());

  const open = async (inc: Incident, actionId: string) => {
    await h.interact(headlinePress(h, inc, actionId));
    await h.idle();
    return lastView(h);
  };

  it('refuses missing and over-long fields, and refused people, with field errors', async () => {
    const inc = await declare();
    const update = await open(inc, 'headline.update');
    expect((await h.interact(submission(update, { text: { text: '' } }))).json).toEqual({
      response_action: 'errors',
      errors: { text: 'Please enter the update.' },
    });
    expect((await h.interact(submission(update, { text: { text: 'u'.repeat(3001) } }))).json).toEqual({
      response_action: 'errors',
      errors: { text: 'The update is 3001 characters; the limit is 3000.' },
    });
    const resolve = await open(inc, 'headline.resolve');
    expect((await h.interact(submission(resolve, { summary: { text: 's'.repeat(3001) } }))).json).toEqual({
      response_action: 'errors',
      errors: { summary: 'The summary is 3001 characters; the limit is 3000.' },
    });
    const role = await open(inc, 'headline.role');
    expect(
      (await h.interact(submission(role, { role: { option: null }, user: { user: null } }))).json,
    ).toEqual({
      response_action: 'errors',
      errors: { role: 'Please choose the role.', user: 'Please choose the person.' },
    });
    expect(
      (await h.interact(submission(role, { role: { option: 'boss' }, user: { user: 'U0BOB' } }))).json,
    ).toEqual({
      response_action: 'errors',
      errors: { role: '"boss" is not a role you can choose.' },
    });
    expect(
      (await h.interact(submission(role, { role: { option: 'tech' }, user: { user: 'U0DEPLOYBOT' } }))).json,
    ).toEqual({
      response_action: 'errors',
      errors: { user: 'That person is a bot; the Technical Lead must be a person.' },
    });
    const status = await open(inc, 'headline.status');
    expect((await h.interact(submission(status, { status: { option: 'investigating' } }))).json).toEqual({
      response_action: 'errors',
      errors: { status: 'INC-1 is already investigating. Next: identified, monitoring, resolved.' },
    });
    await h.idle();
    expect(await incidentOf()).toMatchObject({ status: 'investigating', summary: null, lastUpdateAt: null });
    expect(await h.app.deps.store.incidents.holders(1)).toEqual({ ic: 'U0ALICE' });
  });

  it('a modal submitted after the incident was resolved shows why on its field', async () => {
    const inc = await declare();
    const status = await open(inc, 'headline.status');
    const role = await open(inc, 'headline.role');
    const update = await open(inc, 'headline.update');
    await answer('resolve');
    const entries = (await h.app.deps.store.timeline.list(1)).length;
    expect(
      (await h.interact(submission(role, { role: { option: 'comms' }, user: { user: 'U0BOB' } }))).json,
    ).toEqual({
      response_action: 'errors',
      errors: { user: 'INC-1 is resolved; /incident reopen it before assigning roles.' },
    });
    expect((await h.interact(submission(update, { text: { text: 'all good' } }))).json).toEqual({
      response_action: 'errors',
      errors: { text: 'INC-1 is resolved; /incident reopen it before posting updates.' },
    });
    expect(await h.app.deps.store.incidents.holders(1)).toEqual({ ic: 'U0ALICE' });
    expect(await h.app.deps.store.timeline.list(1)).toHaveLength(entries);
    const r = await h.interact(submission(status, { status: { option: 'monitoring' } }));
    expect(r.json).toEqual({
      response_action: 'errors',
      errors: {
        status:
          'INC-1 cannot go from resolved to monitoring. From resolved it can go to: none (/incident reopen first).',
      },
    });
  });

  it('a button on the headline of a resolved incident answers with an explanation and opens nothing', async () => {
    const inc = await declare();
    await answer('resolve');
    const opened = h.slack.callsTo('views.open').length;
    const r = await h.interact(headlinePress(h, inc, 'headline.resolve', 'U0BOB'));
    expect(r).toMatchObject({ status: 200, text: '' });
    await h.idle();
    expect(h.slack.callsTo('views.open')).toHaveLength(opened);
    const told = h.slack.workspace.ephemerals({ user: 'U0BOB' }).at(-1)!;
    expect(told).toMatchObject({ channel: inc.channelId, via: 'response_url' });
    expect(told.text).toBe(
      ':warning: INC-1 is already resolved, so you cannot resolve it from this button. `/incident reopen [reason]` in its channel reopens it.',
    );
  });

  it('a form Slack refuses to open (expired trigger) is explained', async () => {
    const inc = await declare();
    h.slack.failNext('views.open', { error: 'expired_trigger_id' });
    await h.interact(headlinePress(h, inc, 'headline.update', 'U0BOB'));
    await h.idle();
    expect(h.slack.workspace.ephemerals({ user: 'U0BOB' }).at(-1)!.text).toContain(
      'Slack did not open the form (expired_trigger_id)',
    );
  });
});

describe('Slack failing never blocks the lifecycle', () => {
  afterEach(async () => h.stop());

  it('ratelimited: the call is retried after Retry-After and the change goes through', async () => {
    const inc = await declare();
    h.slack.failNext('chat.update', { error: 'ratelimited', retryAfter: 1 });
    await answer('status identified');
    const updates = h.slack.callsTo('chat.update').filter((c) => c.args.ts === inc.headlineTs);
    expect(updates).toHaveLength(2);
    expect(h.slack.workspace.message(inc.channelId!, inc.headlineTs!)!.text).toContain('identified');
    expect(failures(inc.channelId!)).toEqual([]);
  });

  it("ratelimited users.info: the ack does not wait past Slack's limit; the role follows, or the refusal", async () => {
    const inc = await declare();
    h.slack.failNext('users.info', { error: 'ratelimited', retryAfter: 2, times: 2 });
    const got = await answer('role comms <@U0CAROL>');
    expect(got).toContain('Checking <@U0CAROL> with Slack before making them comms');
    expect(await h.app.deps.store.incidents.holders(1)).toEqual({ ic: 'U0ALICE', comms: 'U0CAROL' });
    expect(channelTexts(inc.channelId!).some((t) => t.includes('Communications Lead'))).toBe(true);
    h.slack.failNext('users.info', { error: 'ratelimited', retryAfter: 2 });
    await answer('role tech <@U0DEPLOYBOT>');
    expect(JSON.stringify(h.slack.responses.map((r) => r.body))).toContain(
      'is a bot; the Technical Lead must be a person',
    );
    expect((await h.app.deps.store.incidents.holders(1)).tech).toBeUndefined();
  });

  it('ratelimited beyond the retries: the change is stored and the failure told once', async () => {
    const inc = await declare();
    h.slack.failNext('conversations.setTopic', { error: 'ratelimited', retryAfter: 0, times: 10 });
    await answer('sev 1');
    expect((await incidentOf()).severity).toBe(1);
    expect(failures(inc.channelId!)).toHaveLength(1);
    expect(failures(inc.channelId!)[0]).toMatch(/set the topic \(ratelimited\)/);
    expect(h.logs.text).toContain('optional step failed');
    h.slack.clearFailures();
  });

  it('already_in_channel: a holder who is in the channel is invited without complaint', async () => {
    const inc = await declare();
    const invites = h.slack.callsTo('conversations.invite').length;
    await answer('role scribe <@U0ALICE>');
    expect(h.slack.callsTo('conversations.invite')).toHaveLength(invites + 1);
    expect(await h.app.deps.store.incidents.holders(1)).toEqual({ ic: 'U0ALICE', scribe: 'U0ALICE' });
    expect(h.slack.workspace.ephemerals({ user: 'U0ALICE' }).at(-1)!.text).toContain('You are the *Scribe*');
    expect(failures(inc.channelId!)).toEqual([]);
  });

  it('not_in_channel: the bot joins and posts', async () => {
    const inc = await declare();
    h.slack.failNext('chat.postMessage', { error: 'not_in_channel' });
    await answer('status identified');
    expect(h.slack.lastCall('conversations.join')!.args.channel).toBe(inc.channelId);
    expect(channelTexts(inc.channelId!).at(-2)).toContain(
      'changed the status from *investigating* to *identified*',
    );
    expect(failures(inc.channelId!)).toEqual([]);
  });

  it('not_in_channel in the announce channel: the bot joins it and starts the thread there', async () => {
    // #general: the bot is not a member, so declaring could not announce
    const inc = await declare({ INCIDENT_ANNOUNCE_CHANNEL: 'C0GENERAL' });
    expect(inc.announceTs).toBeNull();
    await answer('status identified');
    const parent = (await incidentOf()).announceTs!;
    expect(parent).toBeTruthy();
    expect(h.slack.workspace.isMember('C0GENERAL', 'U0MUSTERBOT')).toBe(true);
    expect(h.slack.workspace.message('C0GENERAL', parent)!.text).toContain('SEV-2, identified');
    expect(h.slack.workspace.threadReplies('C0GENERAL', parent).map((m) => m.text)).toEqual([
      ':bulb: *INC-1* status: investigating → *identified* (<@U0ALICE>)',
    ]);
  });

  it('channel_not_found: an announce channel that does not exist is told once per change, the change stands', async () => {
    const inc = await declare({ INCIDENT_ANNOUNCE_CHANNEL: 'C0MISSING' });
    const before = failures(inc.channelId!).length;
    await answer('status identified');
    expect((await incidentOf()).status).toBe('identified');
    expect(failures(inc.channelId!).slice(before)).toEqual([
      ':warning: The change is saved, but some follow-up steps failed: post in the announcement thread (channel_not_found).',
    ]);
    expect(channelTexts(inc.channelId!)).toContain(
      ':bulb: <@U0ALICE> changed the status from *investigating* to *identified*.',
    );
    expect(h.slack.workspace.channel(inc.channelId!)!.topic.value).toMatch(/^SEV-2 · identified/);
  });

  it('cant_update_message: a fresh headline is posted and pinned in place of the old one', async () => {
    const inc = await declare();
    h.slack.failNext('chat.update', { error: 'cant_update_message' });
    await answer('sev 1');
    const now = await incidentOf();
    expect(now.headlineTs).not.toBe(inc.headlineTs);
    expect(h.slack.workspace.message(inc.channelId!, now.headlineTs!)!.text).toContain('SEV-1');
    expect(h.slack.workspace.pins(inc.channelId!).map((m) => m.ts)).toContain(now.headlineTs);
    expect(failures(inc.channelId!)).toEqual([]);
    // the next change updates the new headline
    await answer('status identified');
    expect(h.slack.workspace.message(inc.channelId!, now.headlineTs!)!.text).toContain('identified');
  });
});
