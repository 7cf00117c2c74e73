/** The timeline's bad input: wrong places and emoji, vanished messages, huge ones, Slack failing, broken JSON. */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type IncidentChannel, openIncident } from '../support/incident-channel.js';
import { removeTempDirs } from '../support/temp-dir.js';

let c: IncidentChannel | null = null;
afterEach(async () => {
  await c?.h.stop().catch(() => {});
  c = null;
});
afterAll(() => removeTempDirs());

const reactionEvent = (channel: string, ts: string, user = 'U0CAROL', reaction = 'pushpin') => ({
  type: 'reaction_added',
  user,
  reaction,
  item_user: 'U0BOB',
  item: { type: 'message', channel, ts },
  event_ts: '1795424999.000100',
});

const logsMatching = (c: IncidentChannel, pattern: RegExp) =>
  c.h.logs.records().filter((r) => pattern.test(String(r.msg)));
const errorLogs = (c: IncidentChannel) =>
  c.h.logs.records().filter((r) => r.level === 'error' || r.level === 'fatal');

describe('reactions Muster must ignore', () => {
  it('ignores reactions and messages outside incident channels, quietly and without Slack calls', async () => {
    c = await openIncident();
    const { h } = c;
    const ws = h.slack.workspace;
    const before = h.slack.calls.length;
    const msg = ws.userPostMessage({ user: 'U0ALICE', channel: 'C0GENERAL', text: 'lunch?' });
    await h.event(msg);
    const r = await h.event(
      ws.userAddReaction({ user: 'U0BOB', channel: 'C0GENERAL', ts: msg.ts as string, reaction: 'pushpin' }),
    );
    await h.idle();
    expect(r.status).toBe(200);
    expect(h.slack.calls.length).toBe(before);
    expect(await h.app.deps.store.messages.get('C0GENERAL', msg.ts as string)).toBeNull();
    expect((await c.entries()).filter((e) => e.kind === 'message')).toHaveLength(0);
  });

  it('ignores events for channels the bot has never seen', async () => {
    c = await openIncident();
    const { h } = c;
    const before = h.slack.calls.length;
    const answers = [
      await h.event({
        type: 'message',
        channel: 'C0NEVERSEEN',
        user: 'U0BOB',
        text: 'hi',
        ts: '1795424400.000900',
      }),
      await h.event(reactionEvent('C0NEVERSEEN', '1795424400.000900')),
      await h.event({
        type: 'reaction_removed',
        user: 'U0BOB',
        reaction: 'pushpin',
        item: { type: 'message', channel: 'C0NEVERSEEN', ts: '1795424400.000900' },
      }),
      await h.event({
        type: 'message',
        subtype: 'message_deleted',
        channel: 'C0NEVERSEEN',
        deleted_ts: '1795424400.000900',
        ts: '1795424401.000100',
      }),
    ];
    await h.idle();
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(h.slack.calls.length).toBe(before);
    expect(errorLogs(c)).toEqual([]);
    expect(logsMatching(c, /failed/)).toEqual([]);
  });

  it('ignores reactions on files and malformed reaction events without failing them', async () => {
    c = await openIncident();
    const { h } = c;
    const odd = [
      { type: 'reaction_added', user: 'U0BOB', reaction: 'pushpin', item: { type: 'file', file: 'F0123' } },
      { type: 'reaction_added', user: 'U0BOB', reaction: 'pushpin' },
      {
        type: 'reaction_added',
        user: 'U0BOB',
        reaction: 'pushpin',
        item: { type: 'message', channel: c.channel, ts: 'not-a-ts' },
      },
      {
        type: 'reaction_added',
        reaction: 'pushpin',
        item: { type: 'message', channel: c.channel, ts: '1795424400.000900' },
      },
      { type: 'message', channel: c.channel, subtype: 'message_changed' },
      { type: 'message', channel: c.channel, user: 'U0BOB', text: 'no ts' },
    ];
    const ids: string[] = [];
    for (const e of odd) ids.push((await h.event(e)).eventId);
    await h.idle();
    for (const id of ids) expect(await h.app.deps.store.inbound.isProcessed('slack', id)).toBe(true);
    expect(errorLogs(c)).toEqual([]);
  });
});

describe('messages that are gone or huge', () => {
  it('adds nothing for a message deleted before the reaction was read (seen, then deleted): one log line', async () => {
    c = await openIncident();
    const { h } = c;
    const ts = await c.say('U0BOB', 'oops, wrong channel');
    await h.event(h.slack.workspace.userDeleteMessage({ user: 'U0BOB', channel: c.channel, ts }));
    await h.event(reactionEvent(c.channel, ts));
    await h.idle();
    expect(await c.entryOf(ts)).toBeUndefined();
    expect(logsMatching(c, /deleted before it could be read/)).toHaveLength(1);
    expect(h.slack.callsTo('conversations.history')).toHaveLength(0);
  });

  it('adds nothing for a message deleted before Muster ever saw it: one log line, no crash', async () => {
    c = await openIncident();
    const { h } = c;
    const ts = await c.say('U0BOB', 'never delivered', { deliver: false });
    h.slack.workspace.userDeleteMessage({ user: 'U0BOB', channel: c.channel, ts });
    const r = await h.event(reactionEvent(c.channel, ts));
    await h.idle();
    expect(r.status).toBe(200);
    expect(await c.entryOf(ts)).toBeUndefined();
    expect(logsMatching(c, /deleted before it could be read/)).toHaveLength(1);
    expect(logsMatching(c, /Slack API call failed/)).toEqual([]);
    expect(errorLogs(c)).toEqual([]);
    expect((await h.get('/healthz')).status).toBe(200);
  });

  it('keeps a 40,000-character message whole, seen or fetched, and cuts it only in the view', async () => {
    c = await openIncident();
    const long = `${'stack trace line\n'.repeat(2352)}${'x'.repeat(16)}`;
    expect(long).toHaveLength(40_000);
    const seen = await c.say('U0BOB', long);
    const fetched = await c.say('U0CAROL', long, { deliver: false });
    await c.react('U0ALICE', seen);
    await c.react('U0ALICE', fetched);
    expect((await c.entryOf(seen))!.text).toBe(long);
    expect((await c.entryOf(fetched))!.text).toBe(long);
    const view = String((await c.command('timeline')).json?.text);
    expect(view.length).toBeLessThan(4000);
    expect(view).toContain('stack trace line stack trace line');
    expect(view).toContain('Long texts are cut here.');
  });
});

describe('Slack failing while Muster reads a message', () => {
  it('retries server errors and rate limits, then adds the entry', async () => {
    c = await openIncident();
    const { h } = c;
    const a = await c.say('U0BOB', 'first unseen', { deliver: false });
    const b = await c.say('U0BOB', 'second unseen', { deliver: false });
    h.slack.failNext('conversations.history', { status: 503, times: 2 });
    await c.react('U0CAROL', a);
    h.slack.failNext('conversations.history', { error: 'ratelimited', retryAfter: 0 });
    await c.react('U0CAROL', b);
    expect((await c.entryOf(a))?.text).toBe('first unseen');
    expect((await c.entryOf(b))?.text).toBe('second unseen');
    expect(h.slack.callsTo('conversations.history')).toHaveLength(5);
    expect(
      h.slack.callsTo('chat.postMessage').filter((p) => String(p.args.text).includes('could not add')),
    ).toHaveLength(0);
  });

  it('says once in the channel that the entry could not be added after the last try, and a new reaction retries', async () => {
    c = await openIncident();
    const { h } = c;
    const ts = await c.say('U0BOB', 'unseen and unreadable', { deliver: false });
    h.slack.failAlways('conversations.history', { status: 500 });
    const eventId = await c.react('U0CAROL', ts);
    expect(await c.entryOf(ts)).toBeUndefined();
    // the Web API client's own retries (3 in tests), then one message
    expect(h.slack.callsTo('conversations.history')).toHaveLength(4);
    const told = h.slack
      .callsTo('chat.postMessage')
      .filter((p) => String(p.args.text).includes('could not add'));
    expect(told).toHaveLength(1);
    expect(told[0]!.args.channel).toBe(c.channel);
    expect(String(told[0]!.args.text)).toContain('by <@U0BOB> from 2026-11-23 09:00 (UTC)');
    expect(String(told[0]!.args.text)).toContain('`http_500`');
    expect(await h.app.deps.store.inbound.isProcessed('slack', eventId)).toBe(true);
    await h.app.tick();
    expect(
      h.slack.callsTo('chat.postMessage').filter((p) => String(p.args.text).includes('could not add')),
    ).toHaveLength(1);

    h.slack.clearFailures();
    await c.react('U0ALICE', ts);
    expect((await c.entryOf(ts))?.text).toBe('unseen and unreadable');
  });
});

describe('malformed requests', () => {
  it('answers 400 to malformed event JSON and keeps serving', async () => {
    c = await openIncident();
    const { h } = c;
    const bad = await h.post('/slack/events', '{"type":"event_callback","event_id":"Ev0BROKEN","event":{', {
      'content-type': 'application/json',
    });
    expect(bad.status).toBe(400);
    const notObject = await h.post('/slack/events', '[1,2,3]', { 'content-type': 'application/json' });
    expect(notObject.status).toBe(400);
    const noEvent = await h.post(
      '/slack/events',
      JSON.stringify({ type: 'event_callback', event_id: 'Ev0NOEVENT' }),
      {
        'content-type': 'application/json',
      },
    );
    expect(noEvent.status).toBe(200);
    expect((await h.get('/healthz')).status).toBe(200);
    const ts = await c.say('U0BOB', 'still here');
    await c.react('U0CAROL', ts);
    expect((await c.entryOf(ts))?.state).toBe('active');
  });

  it('keeps bot messages: a reaction on one adds it with the bot as author', async () => {
    c = await openIncident();
    const { h } = c;
    const ts = '1795424400.123456';
    await h.event({
      type: 'message',
      subtype: 'bot_message',
      channel: c.channel,
      bot_id: 'B0DEPLOY',
      username: 'deploybot',
      text: 'Deploy 4522 finished',
      ts,
    });
    await h.event(reactionEvent(c.channel, ts));
    await h.idle();
    expect(await c.entryOf(ts)).toMatchObject({ text: 'Deploy 4522 finished', actor: 'B0DEPLOY' });
  });
});
