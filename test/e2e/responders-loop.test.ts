/**
 * Issue 15's responders' loop, over signed HTTP against the fake Slack and PagerDuty: a pin is answered with
 * the bot's ✅ and undone, whoever acknowledges a page is found by email and brought in, nobody is paged
 * silently, progress messages give way to their result, and the headline shows the last update, the next one
 * due and every service attached or paged.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { type IncidentChannel, openIncident } from '../support/incident-channel.js';
import { type PagingWorld, startPagingWorld, WEBHOOK_SECRET } from '../support/paging-world.js';
import { removeTempDirs } from '../support/temp-dir.js';

let c: IncidentChannel | null = null;
let w: PagingWorld | null = null;
afterEach(async () => {
  await c?.h.stop();
  await w?.stop();
  c = null;
  w = null;
});
afterAll(() => removeTempDirs());

const botReactions = (ch: IncidentChannel, ts: string) =>
  (ch.h.slack.workspace.message(ch.channel, ts)?.reactions ?? [])
    .filter((r) => r.users.includes('U0MUSTERBOT'))
    .map((r) => r.name);

const headlineText = async (world: PagingWorld, incident: Incident): Promise<string> => {
  const i = (await world.h.app.deps.store.incidents.get(incident.number))!;
  const m = world.h.slack.workspace.message(i.channelId!, i.headlineTs!)!;
  return JSON.stringify(m.blocks);
};

describe('a pin gets an answer', () => {
  it('adds the bot ✅ once, even when the reaction is delivered again, and takes it off with the entry', async () => {
    c = await openIncident();
    const ts = await c.say('U0BOB', 'pool exhausted -> 500s');
    const eventId = await c.react('U0BOB', ts);
    expect(botReactions(c, ts)).toEqual(['white_check_mark']);
    // a redelivery and a second person's pin add nothing
    await c.h.event(
      c.h.slack.workspace.userAddReaction({ user: 'U0CAROL', channel: c.channel, ts, reaction: 'pushpin' }),
    );
    await c.h.idle();
    expect(c.h.slack.callsTo('reactions.add')).toHaveLength(1);
    expect(eventId).toBeTruthy();
    // the entry stays while one pin is left; the ✅ goes with the last
    await c.unreact('U0CAROL', ts);
    expect(botReactions(c, ts)).toEqual(['white_check_mark']);
    await c.unreact('U0BOB', ts);
    expect(botReactions(c, ts)).toEqual([]);
    expect(c.h.slack.callsTo('reactions.remove')).toHaveLength(1);
    // pinned again: the ✅ comes back
    await c.react('U0BOB', ts);
    expect(botReactions(c, ts)).toEqual(['white_check_mark']);
  });

  it("answers a burst of pins at once and a storm at Slack's pace, the latest state of each entry winning", async () => {
    // two at once, then one a minute: the test ends long before a third goes out
    c = await openIncident({
      overrides: { pinPacing: { burst: 2, perMinute: 1, maxWaitMs: 600_000, maxQueued: 100 } },
    });
    const said = [];
    for (let i = 0; i < 5; i++) said.push(await c.say('U0BOB', `step ${i}`));
    for (const ts of said) await c.react('U0BOB', ts);
    await c.h.idle();
    // every pin is on the timeline; two have their ✅, three wait their turn
    expect((await c.h.app.deps.store.timeline.list(1)).filter((e) => e.kind === 'message')).toHaveLength(5);
    expect(said.map((ts) => botReactions(c!, ts).length)).toEqual([1, 1, 0, 0, 0]);
    expect(c.h.slack.callsTo('reactions.add')).toHaveLength(2);
    // one taken off while its ✅ waits: nothing is sent for it now, and its turn will send the removal
    await c.unreact('U0BOB', said[3]!);
    expect(c.h.slack.callsTo('reactions.remove')).toHaveLength(0);
    await c.h.stop();
    expect(c.h.logs.text).toMatch(/"dropped":3.*pin acknowledgements still waiting were not sent/);
    c = null;
  });

  it('sends what waited once the pace allows, and drops what waited too long', async () => {
    c = await openIncident({
      overrides: { pinPacing: { burst: 1, perMinute: 60_000, maxWaitMs: 600_000, maxQueued: 100 } },
    });
    const said = [];
    for (let i = 0; i < 4; i++) said.push(await c.say('U0BOB', `step ${i}`));
    for (const ts of said) await c.react('U0BOB', ts);
    while (c.h.slack.callsTo('reactions.add').length < 4) await new Promise((r) => setTimeout(r, 5));
    await c.h.idle();
    expect(said.map((ts) => botReactions(c!, ts))).toEqual(said.map(() => ['white_check_mark']));
    await c.h.stop();

    // one a second (the three pins arrive well within it, on either engine), and none may wait 1 ms: those
    // behind the first are dropped at their turn
    c = await openIncident({
      overrides: { pinPacing: { burst: 1, perMinute: 60, maxWaitMs: 1, maxQueued: 100 } },
    });
    const more = [];
    for (let i = 0; i < 3; i++) more.push(await c.say('U0BOB', `more ${i}`));
    for (const ts of more) await c.react('U0BOB', ts);
    while (!c.h.logs.text.includes('waited too long')) await new Promise((r) => setTimeout(r, 5));
    await c.h.idle();
    expect(more.map((ts) => botReactions(c!, ts).length)).toEqual([1, 0, 0]);
    expect((await c.h.app.deps.store.timeline.list(1)).filter((e) => e.kind === 'message')).toHaveLength(3);
  });

  it('replies in the thread when Slack will not take the reaction, and edits that reply when the entry goes', async () => {
    c = await openIncident();
    const ts = await c.say('U0BOB', 'rolled back 2024.11.3');
    c.h.slack.failAlways('reactions.add', { error: 'missing_scope' });
    await c.react('U0BOB', ts);
    const reply = c.h.slack.workspace.messages(c.channel).find((m) => m.threadTs === ts);
    expect(reply?.text).toContain('On the INC-1 timeline as entry');
    await c.unreact('U0BOB', ts);
    const edited = c.h.slack.workspace.message(c.channel, reply!.ts);
    expect(edited?.text).toContain('Taken off the INC-1 timeline');
  });
});

describe('whoever acknowledges the page is brought in', () => {
  it('finds the PagerDuty user in Slack by email, invites them and names them as a mention', async () => {
    w = await startPagingWorld();
    // Jane Doe of the fake PagerDuty has a Slack account with the same email
    const jane = w.h.slack.workspace.addUser({
      name: 'jane',
      realName: 'Jane Doe',
      email: 'jane.doe@example.com',
    });
    const incident = await w.declare('sev2 checkout returns 500s');
    await w.inChannel(incident, 'page checkout');
    await w.h.idle();
    const pdId = w.pd.incidentsFor(`muster-inc-${incident.number}-checkout`)[0]!.id;
    const janePd = w.pd.fake.users.find((u) => u.email === 'jane.doe@example.com')!;
    await w.pd.sendWebhook('incident.acknowledged', pdId, {
      url: w.webhookUrl,
      secret: WEBHOOK_SECRET,
      agentUserId: janePd.id,
    });
    await w.h.idle();
    expect(w.h.slack.workspace.channel(incident.channelId!)?.members).toContain(jane.id);
    expect(w.posted(incident.channelId!).some((t) => t.includes(`acknowledged by <@${jane.id}>`))).toBe(true);
    expect((await w.h.app.deps.store.pages.list(incident.number))[0]!.acknowledgedBy).toBe(jane.id);
    expect(await headlineText(w, incident)).toContain(`acknowledged by <@${jane.id}>`);
  });

  it('keeps the plain PagerDuty name when nobody in Slack has the email', async () => {
    w = await startPagingWorld();
    const incident = await w.declare('sev2 checkout returns 500s');
    await w.inChannel(incident, 'page checkout');
    await w.h.idle();
    const pdId = w.pd.incidentsFor(`muster-inc-${incident.number}-checkout`)[0]!.id;
    await w.pd.sendWebhook('incident.acknowledged', pdId, { url: w.webhookUrl, secret: WEBHOOK_SECRET });
    await w.h.idle();
    expect(w.posted(incident.channelId!).some((t) => /acknowledged by Jane Doe/.test(t))).toBe(true);
    expect(w.h.slack.callsTo('users.lookupByEmail').at(-1)?.args.email).toBe('jane.doe@example.com');
  });
});

describe('nobody is paged silently', () => {
  it('tells the channel that nobody was paged for a service without a PagerDuty target, and how to page', async () => {
    w = await startPagingWorld();
    const incident = await w.declare('sev1 billing is down');
    const told = w.posted(incident.channelId!).filter((t) => t.startsWith(':no_bell:'));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('Nobody was paged for this SEV-1 incident');
    expect(told[0]).toContain('*billing* no PagerDuty target');
    expect(told[0]).toContain('`/incident page &lt;service&gt; [message]`');
    expect(told[0]).toContain('`checkout`');
    // a severity that pages nobody by policy says nothing
    const quiet = await w.declare('sev3 billing is slow');
    expect(w.posted(quiet.channelId!).filter((t) => t.startsWith(':no_bell:'))).toEqual([]);
  });
});

describe('progress messages are replaced by their result', () => {
  it('replaces "Declaring…" and "Asking PagerDuty…" through the response_url', async () => {
    w = await startPagingWorld();
    const r = await w.h.command('declare sev2 checkout returns 500s', { user: 'U0ALICE' });
    expect(String(r.json?.text)).toContain('Declaring INC-1');
    await w.h.idle();
    const declared = w.h.slack.responses.filter((x) => x.id === r.responseUrl.split('/').at(-1));
    expect(declared.at(-1)?.body).toMatchObject({ replace_original: true });
    const incident = (await w.h.app.deps.store.incidents.get(1))!;
    const o = await w.inChannel(incident, 'oncall checkout');
    expect(String(o.json?.text)).toContain('Asking PagerDuty');
    await w.h.idle();
    const answered = w.h.slack.responses.filter((x) => x.id === o.responseUrl.split('/').at(-1));
    expect(answered.at(-1)?.body).toMatchObject({ replace_original: true });
  });
});

describe('the headline', () => {
  it('shows the last update, when the next is due, and every service attached or paged', async () => {
    w = await startPagingWorld();
    const incident = await w.declare('sev2 checkout returns 500s');
    expect(await headlineText(w, incident)).toContain('*Last update:* _none yet_');
    expect(await headlineText(w, incident)).toContain('*Next update due:*');
    await w.inChannel(incident, 'update failing since 15:10, rollback started');
    await w.inChannel(incident, 'page search');
    await w.h.idle();
    const text = await headlineText(w, incident);
    expect(text).toContain('*Last update:*');
    expect(text).toContain('failing since 15:10, rollback started');
    expect(text).toContain('*Services:* checkout, search');
  });
});
