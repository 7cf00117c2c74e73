/**
 * Issue 4's story, end to end over signed HTTP: an incident declared, staffed, updated, moved through its
 * statuses by commands, headline buttons and modals, resolved, reopened and resolved again; asserting what
 * the fake Slack received (channel messages, headline, announcement thread, topics, invites, ephemerals).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { type Harness, startMuster } from '../support/muster-harness.js';
import { headlinePress, lastView, submission } from '../support/slack-interactions.js';
import { removeTempDirs } from '../support/temp-dir.js';

const ANNOUNCE = 'C0INCIDENTS';
let h: Harness | null = null;

afterEach(async () => {
  await h?.stop();
  h = null;
});
afterAll(() => removeTempDirs());

const incidentOf = async (hh: Harness, n = 1): Promise<Incident> =>
  (await hh.app.deps.store.incidents.get(n))!;
const channelTexts = (hh: Harness, channelId: string): string[] =>
  hh.slack.workspace
    .messages(channelId)
    .filter((m) => !m.subtype || m.subtype === 'thread_broadcast')
    .map((m) => m.text);
const threadTexts = (hh: Harness, i: Incident): string[] =>
  hh.slack.workspace.threadReplies(ANNOUNCE, i.announceTs!).map((m) => m.text);
const headlineOf = (hh: Harness, i: Incident) => hh.slack.workspace.message(i.channelId!, i.headlineTs!)!;
const headlineJson = (hh: Harness, i: Incident): string => JSON.stringify(headlineOf(hh, i).blocks);
const topicOf = (hh: Harness, i: Incident): string => hh.slack.workspace.channel(i.channelId!)!.topic.value;
const announcementOf = (hh: Harness, i: Incident): string =>
  hh.slack.workspace.message(ANNOUNCE, i.announceTs!)!.text;
const ephemeralsTo = (hh: Harness, user: string): string[] =>
  hh.slack.workspace.ephemerals({ user }).map((e) => e.text);

describe('an incident from declared to resolved', () => {
  it('is driven by commands, buttons and modals, and Slack shows every step', async () => {
    h = await startMuster({ env: { INCIDENT_ANNOUNCE_CHANNEL: ANNOUNCE } });
    await h.command('declare sev2 checkout returns 500s', { user: 'U0ALICE' });
    await h.idle();
    let inc = await incidentOf(h);
    const channel = inc.channelId!;
    const run = async (text: string, user = 'U0ALICE') => {
      const r = await h!.command(text, { user, channel });
      await h!.idle();
      inc = await incidentOf(h!);
      return r;
    };

    // the headline: title, severity, status, holders, and the time since declaration as a live `{ago}` date
    // (each Slack client keeps it current), so it is never stale between changes
    const declaredSecs = Math.floor(inc.declaredAt / 1000);
    expect(headlineJson(h, inc)).toContain('INC-1: checkout returns 500s');
    expect(headlineJson(h, inc)).toContain('*Incident Commander*\\n<@U0ALICE>');
    expect(headlineJson(h, inc)).toContain(`(<!date^${declaredSecs}^{ago}|0 s ago>)`);

    // status alone: where it stands and where it can go
    const state = await run('status');
    expect(state.json).toMatchObject({ response_type: 'ephemeral' });
    expect(String(state.json?.text)).toMatch(/SEV-2 · :mag: investigating/);
    expect(String(state.json?.text)).toContain(
      '`/incident status identified`, `/incident status monitoring`, `/incident status resolved`',
    );

    // a communications lead: invited, briefed privately, confirmed in the channel, on the headline
    h.clock.advanceMinutes(2);
    expect((await run('role comms <@U0BOB|bob>')).text).toBe('');
    expect(h.slack.workspace.channel(channel)!.members).toContain('U0BOB');
    expect(ephemeralsTo(h, 'U0BOB').at(-1)).toMatch(
      /You are the \*Communications Lead\* of INC-1[\s\S]*announcement thread/,
    );
    expect(channelTexts(h, channel).at(-1)).toBe(
      ':busts_in_silhouette: <@U0BOB> is now the *Communications Lead* (assigned by <@U0ALICE>).',
    );
    expect(headlineJson(h, inc)).toContain('*Communications Lead*\\n<@U0BOB>');
    const roles = await run('role');
    expect(String(roles.json?.text)).toContain('*Communications Lead* (`comms`): <@U0BOB>');
    expect(String(roles.json?.text)).toContain('*Scribe* (`scribe`): _unassigned_');

    // an update: in the channel, in the announcement thread, on the timeline
    h.clock.advanceMinutes(3);
    await run('update Checkout fails for 30% of users; rolling back v42. Next update in 15 min.', 'U0BOB');
    expect(channelTexts(h, channel).at(-1)).toBe(
      ':loudspeaker: *Update* from <@U0BOB> (SEV-2 · investigating)\nCheckout fails for 30% of users; rolling back v42. Next update in 15 min.',
    );
    expect(threadTexts(h, inc).at(-1)).toContain('rolling back v42');
    expect(inc.lastUpdateAt).toBe(h.clock.now());

    // status and severity: confirmation, thread reply, headline, announcement parent and topic all follow
    await run('status identified');
    expect(channelTexts(h, channel).at(-1)).toBe(
      ':bulb: <@U0ALICE> changed the status from *investigating* to *identified*.',
    );
    expect(threadTexts(h, inc).at(-1)).toBe(
      ':bulb: *INC-1* status: investigating → *identified* (<@U0ALICE>)',
    );
    expect(headlineOf(h, inc).text).toContain('identified');
    expect(announcementOf(h, inc)).toContain('SEV-2, identified');
    expect(topicOf(h, inc)).toBe('SEV-2 · identified · IC: Alice · checkout returns 500s');
    await run('sev 1');
    expect(channelTexts(h, channel).at(-1)).toBe(
      ':rotating_light: <@U0ALICE> raised the severity from SEV-2 to *SEV-1*.',
    );
    expect(threadTexts(h, inc).at(-1)).toContain('SEV-2 → *SEV-1*');
    expect(announcementOf(h, inc)).toContain('SEV-1, identified');
    expect(topicOf(h, inc)).toMatch(/^SEV-1 · identified/);

    // the commander hands over: the new one is briefed, the previous one told, the topic names the new one
    await run('role ic <@U0CAROL>');
    expect(channelTexts(h, channel).at(-1)).toBe(
      ':busts_in_silhouette: <@U0ALICE> handed the *Incident Commander* role over to <@U0CAROL>.',
    );
    expect(ephemeralsTo(h, 'U0CAROL').at(-1)).toContain('You are the *Incident Commander*');
    expect(ephemeralsTo(h, 'U0ALICE').at(-1)).toContain('<@U0CAROL> is now the Incident Commander of INC-1');
    expect(topicOf(h, inc)).toBe('SEV-1 · identified · IC: Carol · checkout returns 500s');
    expect(announcementOf(h, inc)).toContain('SEV-1, identified');
    expect(JSON.stringify(h.slack.workspace.message(ANNOUNCE, inc.announceTs!)!.blocks)).toContain(
      'commander <@U0CAROL>',
    );

    // the headline's Change status button opens a modal offering the allowed next statuses
    const pressed = await h.interact(headlinePress(h, inc, 'headline.status', 'U0CAROL'));
    expect(pressed.status).toBe(200);
    await h.idle();
    const opened = h.slack.lastCall('views.open')!;
    expect(opened.args.trigger_id).toBeTruthy();
    const statusView = lastView(h);
    expect(statusView.view.callback_id).toBe('incident.status');
    expect(JSON.stringify(statusView.view.blocks)).toContain('"value":"monitoring"');
    expect(JSON.stringify(statusView.view.blocks)).not.toContain('"value":"investigating"');
    h.clock.advanceMinutes(10);
    const changed = await h.interact(submission(statusView, { status: { option: 'monitoring' } }, 'U0CAROL'));
    expect(changed).toMatchObject({ status: 200, text: '' });
    await h.idle();
    inc = await incidentOf(h);
    expect(inc).toMatchObject({ status: 'monitoring', mitigatedAt: h.clock.now() });
    expect(channelTexts(h, channel).at(-1)).toBe(
      ':eyes: <@U0CAROL> changed the status from *identified* to *monitoring*.',
    );

    // Post update, through its modal: the text is shown as typed (no markup from it)
    await h.interact(headlinePress(h, inc, 'headline.update', 'U0BOB'));
    await h.idle();
    expect(lastView(h).view.callback_id).toBe('incident.update');
    await h.interact(
      submission(lastView(h), { text: { text: 'Error rate < 1% & falling <!channel>' } }, 'U0BOB'),
    );
    await h.idle();
    expect(channelTexts(h, channel).at(-1)).toContain('Error rate &lt; 1% &amp; falling &lt;!channel&gt;');

    // Assign role, through its modal
    await h.interact(headlinePress(h, inc, 'headline.role', 'U0CAROL'));
    await h.idle();
    await h.interact(
      submission(lastView(h), { role: { option: 'scribe' }, user: { user: 'U0DAVE' } }, 'U0CAROL'),
    );
    await h.idle();
    expect(await h.app.deps.store.incidents.holders(1)).toEqual({
      ic: 'U0CAROL',
      comms: 'U0BOB',
      scribe: 'U0DAVE',
    });
    expect(h.slack.workspace.channel(channel)!.members).toContain('U0DAVE');
    expect(ephemeralsTo(h, 'U0DAVE').at(-1)).toContain('You are the *Scribe*');

    // Resolve, through its modal: the channel, the thread (broadcast to the announce channel), no more buttons
    h.clock.advanceMinutes(20);
    await h.interact(headlinePress(h, inc, 'headline.resolve', 'U0CAROL'));
    await h.idle();
    await h.interact(
      submission(lastView(h), { summary: { text: 'Rolled back v42; a config flag was wrong.' } }, 'U0CAROL'),
    );
    await h.idle();
    inc = await incidentOf(h);
    expect(inc).toMatchObject({
      status: 'resolved',
      resolvedAt: h.clock.now(),
      summary: 'Rolled back v42; a config flag was wrong.',
    });
    expect(channelTexts(h, channel).at(-1)).toMatch(
      /^:white_check_mark: \*INC-1: checkout returns 500s\* is resolved by <@U0CAROL> after 35 min from the declaration\. Impact start not recorded: `\/incident impact <when>` records it\.\n\*Summary:\* Rolled back v42/,
    );
    const broadcast = h.slack.workspace.messages(ANNOUNCE).at(-1)!;
    expect(broadcast).toMatchObject({ subtype: 'thread_broadcast', threadTs: inc.announceTs });
    expect(broadcast.text).toContain('is resolved after 35 min from the declaration');
    expect(headlineJson(h, inc)).not.toContain('headline.status');
    expect(headlineJson(h, inc)).toContain('/incident reopen');
    // resolved: the age stops, as a fixed duration
    expect(headlineJson(h, inc)).toContain('*Duration*\\n35 min');
    expect(headlineJson(h, inc)).not.toContain('{ago}');
    expect(topicOf(h, inc)).toMatch(/^SEV-1 · resolved · IC: Carol/);
    expect(announcementOf(h, inc)).toContain('SEV-1, resolved');
    expect(await h.app.deps.store.incidents.listOpen()).toEqual([]);
    expect(String((await h.command('list')).json?.text)).toBe(':white_check_mark: No open incidents.');

    // reopened: back to investigating with its buttons; then resolved again by command
    await run('reopen errors are back', 'U0CAROL');
    expect(inc).toMatchObject({ status: 'investigating', resolvedAt: null });
    expect(channelTexts(h, channel).at(-1)).toBe(
      ':arrows_counterclockwise: <@U0CAROL> reopened INC-1: errors are back\nThe status is back to *investigating*.',
    );
    expect(threadTexts(h, inc).at(-1)).toContain('is reopened (<@U0CAROL>): errors are back');
    expect(headlineJson(h, inc)).toContain('headline.status');
    expect(String((await h.command('list')).json?.text)).toMatch(
      /\*INC-1\* checkout returns 500s · SEV-1 · investigating · IC <@U0CAROL> · 35 min/,
    );
    await h.command('declare sev3 search is slow', { user: 'U0DAVE' });
    await h.idle();
    const listed = String((await h.command('list')).json?.text).split('\n');
    expect(listed[0]).toBe('*Open incidents (2)*');
    expect(listed[1]).toMatch(/^• \*INC-2\* search is slow · SEV-3 · investigating · IC <@U0DAVE> · 0 s/);
    expect(listed[2]).toMatch(/^• \*INC-1\* checkout returns 500s/);
    await run('resolve cache flushed as well', 'U0CAROL');
    expect(inc.status).toBe('resolved');
    // `status resolved` resolves too (without a summary)
    await run('reopen', 'U0CAROL');
    await run('status resolved', 'U0CAROL');
    expect(inc).toMatchObject({ status: 'resolved', summary: 'cache flushed as well' });
    expect(channelTexts(h, channel).at(-1)).toMatch(
      /^:white_check_mark: \*INC-1: checkout returns 500s\* is resolved by <@U0CAROL>/,
    );

    // the timeline holds every change, with its actor and time
    const timeline = (await h.app.deps.store.timeline.list(1)).map((e) => [e.kind, e.actor, e.text]);
    expect(timeline).toEqual([
      ['declared', 'U0ALICE', 'Declared SEV-2: checkout returns 500s'],
      ['role', 'U0ALICE', '<@U0ALICE> is Incident Commander'],
      ['role', 'U0ALICE', '<@U0BOB> is Communications Lead'],
      ['update', 'U0BOB', 'Checkout fails for 30% of users; rolling back v42. Next update in 15 min.'],
      ['status', 'U0ALICE', 'Status changed from investigating to identified'],
      ['severity', 'U0ALICE', 'Severity changed from SEV-2 to SEV-1'],
      ['role', 'U0ALICE', '<@U0CAROL> is Incident Commander (handed over from <@U0ALICE>)'],
      ['status', 'U0CAROL', 'Status changed from identified to monitoring'],
      ['update', 'U0BOB', 'Error rate &lt; 1% &amp; falling &lt;!channel&gt;'],
      ['role', 'U0CAROL', '<@U0DAVE> is Scribe'],
      ['resolved', 'U0CAROL', 'Resolved: Rolled back v42; a config flag was wrong.'],
      ['reopened', 'U0CAROL', 'Reopened: errors are back'],
      ['resolved', 'U0CAROL', 'Resolved: cache flushed as well'],
      ['reopened', 'U0CAROL', 'Reopened'],
      ['resolved', 'U0CAROL', 'Resolved'],
    ]);
    // nothing went wrong on the way: no failed step was reported
    expect(channelTexts(h, channel).filter((t) => t.includes('follow-up steps failed'))).toEqual([]);
  });
});

describe('the declare modal', () => {
  it('opens without a title, refuses missing and over-long fields, and declares when valid', async () => {
    h = await startMuster({ env: { INCIDENT_ANNOUNCE_CHANNEL: ANNOUNCE } });
    const trigger = h.slack.workspace.mintTriggerId('U0DAVE');
    const r = await h.command('declare sev1', { user: 'U0DAVE', channel: ANNOUNCE, triggerId: trigger });
    expect(r.text).toBe('');
    await h.idle();
    expect(h.slack.lastCall('views.open')!.args.trigger_id).toBe(trigger);
    const form = lastView(h);
    expect(form.view.callback_id).toBe('declare');

    const missing = await h.interact(
      submission(
        form,
        { title: { text: '   ' }, severity: { option: '1' }, description: { text: null } },
        'U0DAVE',
      ),
    );
    expect(missing.json).toEqual({ response_action: 'errors', errors: { title: 'Please enter the title.' } });
    const tooLong = await h.interact(
      submission(
        form,
        {
          title: { text: 'x'.repeat(201) },
          severity: { option: '1' },
          description: { text: 'd'.repeat(2001) },
        },
        'U0DAVE',
      ),
    );
    expect(tooLong.json).toEqual({
      response_action: 'errors',
      errors: {
        title: 'The title is 201 characters; the limit is 200.',
        description: 'The description is 2001 characters; the limit is 2000.',
      },
    });
    const noSeverity = await h.interact(
      submission(form, { title: { text: 'db down' }, severity: { option: null } }, 'U0DAVE'),
    );
    expect(noSeverity.json).toEqual({
      response_action: 'errors',
      errors: { severity: 'Please choose the severity.' },
    });
    expect(await h.app.deps.store.incidents.all()).toEqual([]);

    const ok = await h.interact(
      submission(
        form,
        {
          title: { text: 'payments db down' },
          severity: { option: '1' },
          description: { text: 'writes time out' },
        },
        'U0DAVE',
      ),
    );
    expect(ok).toMatchObject({ status: 200, text: '' });
    await h.idle();
    const inc = await incidentOf(h);
    expect(inc).toMatchObject({
      title: 'payments db down',
      severity: 1,
      description: 'writes time out',
      declaredBy: 'U0DAVE',
    });
    expect(await h.app.deps.store.incidents.holders(1)).toEqual({ ic: 'U0DAVE' });
    expect(h.slack.workspace.channel(inc.channelId!)!.members).toContain('U0DAVE');
    expect(ephemeralsTo(h, 'U0DAVE').at(-1)).toContain(`is open in <#${inc.channelId}>`);
  });
});
