/** Issue 3's path end to end: signed slash commands in, Slack calls and stored rows out. */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type Harness, SIGNING_SECRET, startMuster } from '../support/muster-harness.js';
import { signedHeaders } from '../support/sign.js';
import { removeTempDirs } from '../support/temp-dir.js';

const ANNOUNCE = 'C0INCIDENTS';
let h: Harness | null = null;

afterEach(async () => {
  await h?.stop();
  h = null;
});
afterAll(() => removeTempDirs());

/** Starts Muster with the announce channel set; `undefined` leaves a variable unset (an empty one is refused). */
const start = async (env: Record<string, string | undefined> = {}) => {
  const given = { INCIDENT_ANNOUNCE_CHANNEL: ANNOUNCE, ...env };
  h = await startMuster({
    env: Object.fromEntries(Object.entries(given).filter((e): e is [string, string] => e[1] !== undefined)),
  });
  return h;
};

describe('declaring an incident', () => {
  it('opens a channel with the declarer as commander, a pinned headline, a topic and an announcement', async () => {
    const h = await start();
    const r = await h.command('declare sev2 checkout returns 500s', { user: 'U0ALICE' });
    expect(r.status).toBe(200);
    expect(r.json?.response_type).toBe('ephemeral');
    expect(String(r.json?.text)).toContain('INC-1: checkout returns 500s');
    await h.idle();

    const create = h.slack.callsTo('conversations.create');
    expect(create).toHaveLength(1);
    expect(create[0]!.args.name).toBe('inc-1-checkout-returns-500s');
    const channel = h.slack.workspace.channel('inc-1-checkout-returns-500s');
    expect(channel).toBeTruthy();
    const channelId = channel!.id;

    expect(h.slack.callsTo('conversations.invite')[0]!.args).toMatchObject({
      channel: channelId,
      users: 'U0ALICE',
    });
    const headline = h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === channelId)!;
    expect(JSON.stringify(headline.args.blocks)).toContain('INC-1: checkout returns 500s');
    expect(JSON.stringify(headline.args.blocks)).toContain('SEV-2');
    expect(JSON.stringify(headline.args.blocks)).toContain('<@U0ALICE>');
    expect(h.slack.callsTo('pins.add')[0]!.args).toMatchObject({ channel: channelId });
    expect(String(h.slack.callsTo('conversations.setTopic')[0]!.args.topic)).toMatch(
      /SEV-2 · investigating · IC: Alice/,
    );
    const announce = h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === ANNOUNCE);
    expect(announce).toBeTruthy();
    expect(String(announce!.args.text)).toContain('INC-1: checkout returns 500s');

    const answer = h.slack.responses.at(-1)!.body as { text: string };
    expect(answer.text).toContain(`<#${channelId}>`);

    const inc = await h.rows('select * from incidents');
    expect(inc).toHaveLength(1);
    expect(inc[0]).toMatchObject({
      number: 1,
      severity: 2,
      status: 'investigating',
      channel_id: channelId,
      declared_by: 'U0ALICE',
    });
    expect(inc[0]!.headline_ts).toBeTruthy();
    expect(inc[0]!.announce_ts).toBeTruthy();
    expect(await h.rows('select * from role_assignments where ended_at is null')).toEqual([
      expect.objectContaining({ role: 'ic', user_id: 'U0ALICE', incident_number: 1 }),
    ]);
    const kinds = (await h.rows('select kind from timeline_entries order by id')).map((r) => r.kind);
    expect(kinds).toEqual(['declared', 'role']);
  });

  it('defaults to sev3 and gives concurrent declarations numbers 1 and 2', async () => {
    const h = await start();
    const [a, b] = await Promise.all([
      h.command('declare db down'),
      h.command('declare queue stuck', { user: 'U0BOB' }),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    await h.idle();
    const inc = await h.rows('select number, title, severity from incidents order by number');
    expect(inc.map((i) => i.number)).toEqual([1, 2]);
    expect(new Set(inc.map((i) => i.title))).toEqual(new Set(['db down', 'queue stuck']));
    expect(inc.every((i) => i.severity === 3)).toBe(true);
    const names = h.slack.callsTo('conversations.create').map((c) => c.args.name);
    expect(names.sort()).toEqual(
      inc.map((i) => `inc-${i.number}-${String(i.title).replace(' ', '-')}`).sort(),
    );
  });

  it('numbers are never reused across restarts', async () => {
    const first = await start();
    await first.command('declare first');
    await first.idle();
    h = await first.restart();
    await h.command('declare second');
    await h.idle();
    expect((await h.rows('select number from incidents order by number')).map((r) => r.number)).toEqual([
      1, 2,
    ]);
  });

  it('adds a suffix when the channel name is taken', async () => {
    const h = await start();
    h.slack.workspace.createChannel('inc-1-db-down', 'U0BOB');
    await h.command('declare db down');
    await h.idle();
    const names = h.slack.callsTo('conversations.create').map((c) => c.args.name);
    expect(names).toEqual(['inc-1-db-down', 'inc-1-db-down-2']);
    expect((await h.rows('select channel_name from incidents'))[0]!.channel_name).toBe('inc-1-db-down-2');
  });

  it('waits out a rate-limited conversations.create for its Retry-After, then succeeds', async () => {
    const h = await start();
    h.slack.failNext('conversations.create', { error: 'ratelimited', retryAfter: 1 });
    await h.command('declare cache miss storm');
    await h.idle();
    const calls = h.slack.callsTo('conversations.create');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
    expect((await h.rows('select channel_name from incidents'))[0]!.channel_name).toBe(
      'inc-1-cache-miss-storm',
    );
  });

  it('tells the declarer when Slack refuses the channel, and keeps the incident', async () => {
    const h = await start();
    h.slack.failNext('conversations.create', { error: 'restricted_action' });
    await h.command('declare vpn down');
    await h.idle();
    expect(JSON.stringify(h.slack.responses.map((r) => r.body))).toContain('restricted_action');
    expect(await h.rows('select number, channel_id from incidents')).toEqual([
      { number: 1, channel_id: null },
    ]);
  });

  it('keeps going when optional steps fail, and says so once in the channel', async () => {
    const h = await start();
    h.slack.failNext('pins.add', { error: 'not_pinnable' });
    h.slack.failNext('conversations.setTopic', { error: 'not_in_channel' });
    await h.command('declare sev1 login broken');
    await h.idle();
    const inChannel = h.slack
      .callsTo('chat.postMessage')
      .filter((c) => String(c.args.text).includes('some follow-up steps failed'));
    expect(inChannel).toHaveLength(1);
    expect(String(inChannel[0]!.args.text)).toContain('pin the headline (not_pinnable)');
    expect(String(inChannel[0]!.args.text)).toContain('set the topic (not_in_channel)');
    expect((await h.rows('select provisioning from incidents'))[0]!.provisioning).toBe('done');
  });

  it('announces nothing when no announce channel is set', async () => {
    const h = await start({ INCIDENT_ANNOUNCE_CHANNEL: undefined });
    await h.command('declare quiet one');
    await h.idle();
    expect(h.slack.callsTo('chat.postMessage').some((c) => c.args.channel === ANNOUNCE)).toBe(false);
  });

  it('escapes user text in Slack mrkdwn once, and defuses broadcasts', async () => {
    const h = await start();
    await h.command('declare <!channel> & <@U0BOB> broke *everything*');
    await h.idle();
    const announce = h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === ANNOUNCE)!;
    const text = JSON.stringify(announce.args.blocks);
    expect(text).toContain('@\u2060channel &amp; <@U0BOB> broke *everything*');
    expect(text).not.toContain('<!channel>');
  });
});

describe('usage and errors', () => {
  const ephemeral = async (h: Harness, text: string, channel?: string) => {
    const r = await h.command(text, channel ? { channel } : {});
    expect(r.status).toBe(200);
    expect(r.json?.response_type).toBe('ephemeral');
    return String(r.json?.text);
  };

  it('answers help, list, unknown subcommands, sev9 and an empty title with the right usage', async () => {
    const h = await start();
    expect(await ephemeral(h, 'help')).toContain('/incident declare [sev1-4] [--private] <title>');
    expect(await ephemeral(h, '')).toContain('/incident role <ic|comms|scribe|tech> <@user>');
    expect(await ephemeral(h, 'list')).toContain('No open incidents');
    expect(await ephemeral(h, 'frobnicate')).toMatch(/Unknown subcommand "frobnicate".*\/incident help/);
    expect(await ephemeral(h, 'declare sev9 db down')).toMatch(
      /"sev9" is not a severity[\s\S]*Usage: `\/incident declare \[sev1-4\] \[--private\] <title>`/,
    );
    const form = new URLSearchParams({
      team_id: 'T0MUSTER',
      channel_id: 'C0GENERAL',
      user_id: 'U0ALICE',
      user_name: 'alice',
      command: '/incident',
      text: 'declare sev2',
      response_url: h.slack.responseUrl(),
    }).toString();
    const noTrigger = await h.post('/slack/events', form);
    expect(String(noTrigger.json?.text)).toMatch(
      /Missing the incident title[\s\S]*Usage: `\/incident declare/,
    );
    await h.command('declare sev1 payments down');
    await h.idle();
    const list = await ephemeral(h, 'list');
    expect(list).toMatch(/INC-1\* payments down · SEV-1 · investigating · IC <@U0ALICE>/);
  });

  it('opens the declare modal when declare has no title', async () => {
    const h = await start();
    const r = await h.command('declare sev2', { triggerId: '123.456.abc' });
    expect(r.status).toBe(200);
    await h.idle();
    const open = h.slack.callsTo('views.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.args.trigger_id).toBe('123.456.abc');
    expect(JSON.stringify(open[0]!.args.view)).toContain('"callback_id":"declare"');
  });

  it('refuses incident subcommands outside an incident channel', async () => {
    const h = await start();
    for (const text of ['note hello', 'status', 'resolve', 'timeline']) {
      expect(await ephemeral(h, text, 'C0GENERAL')).toMatch(
        /acts on an incident: run it in the incident's channel/,
      );
    }
  });

  it('refuses a bad or stale signature with 401 and a malformed body with 400, and keeps serving', async () => {
    const h = await start();
    const body = new URLSearchParams({
      command: '/incident',
      text: 'list',
      team_id: 'T0MUSTER',
      user_id: 'U0ALICE',
      channel_id: 'C0GENERAL',
    }).toString();
    const nowSec = Math.floor(h.clock.now() / 1000);
    const bad = await fetch(`${h.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signedHeaders('wrong-secret', body, nowSec),
      },
      body,
    });
    expect(bad.status).toBe(401);
    const stale = await fetch(`${h.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signedHeaders(SIGNING_SECRET, body, nowSec - 301),
      },
      body,
    });
    expect(stale.status).toBe(401);
    const future = await fetch(`${h.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signedHeaders(SIGNING_SECRET, body, nowSec + 301),
      },
      body,
    });
    expect(future.status).toBe(401);
    const missing = await fetch(`${h.url}/slack/events`, { method: 'POST', body });
    expect(missing.status).toBe(401);
    const garbled = await h.post('/slack/events', '{"type":"event_callback",', {
      'content-type': 'application/json',
    });
    expect(garbled.status).toBe(400);
    const badPayload = await h.post('/slack/events', 'payload=%7Bnot-json');
    expect(badPayload.status).toBe(400);
    const empty = await h.post('/slack/events', '');
    expect(empty.status).toBe(400);
    const ok = await h.command('help');
    expect(ok.status).toBe(200);
    expect((await h.get('/healthz')).status).toBe(200);
  });

  it('answers url_verification with the challenge', async () => {
    const h = await start();
    const r = await h.post(
      '/slack/events',
      JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' }),
      {
        'content-type': 'application/json',
      },
    );
    expect(r.json).toEqual({ challenge: 'abc123' });
  });
});
