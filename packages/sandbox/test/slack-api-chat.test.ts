import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../../test/fakes/fake-slack.js';
import { slackError } from './support/slack-error.js';

let fake: FakeSlack;
let client: WebClient;
let channel: string;

beforeEach(async () => {
  fake = await startFakeSlack();
  client = new WebClient(fake.token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  channel = (await client.conversations.create({ name: 'inc-7-payments' })).channel?.id as string;
  await client.conversations.invite({ channel, users: 'U0ALICE,U0BOB' });
});
afterEach(() => fake.close());

const headline = [{ type: 'section', text: { type: 'mrkdwn', text: '*INC-7* payments failing' } }];

describe('chat.postMessage', () => {
  it('posts as the bot and answers with the stored message', async () => {
    const res = await client.chat.postMessage({ channel, text: 'INC-7 payments failing', blocks: headline });
    expect(res.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(res).toMatchObject({ ok: true, channel });
    expect(res.message).toMatchObject({
      type: 'message',
      ts: res.ts,
      user: 'U0MUSTERBOT',
      bot_id: 'B0MUSTER',
      text: 'INC-7 payments failing',
      team: 'T0MUSTER',
    });
    expect(res.message?.blocks?.[0]).toMatchObject({ ...headline[0], block_id: expect.any(String) });
    expect(fake.lastCall('chat.postMessage')?.args['blocks']).toEqual(headline);
  });

  it("posts to a user id in the app's direct message with that person, the same one each time", async () => {
    const first = await client.chat.postMessage({
      channel: 'U0BOB',
      text: 'You own 1 open action item past due',
    });
    expect(first.channel).toMatch(/^D0/);
    const again = await client.chat.postMessage({ channel: 'U0BOB', text: 'again' });
    expect(again.channel).toBe(first.channel);
    const history = await client.conversations.history({ channel: first.channel! });
    expect(history.messages?.map((m) => m.text)).toEqual(['again', 'You own 1 open action item past due']);
    expect((await client.chat.postMessage({ channel: 'U0CAROL', text: 'x' })).channel).not.toBe(
      first.channel,
    );
    expect(await slackError(client.chat.postMessage({ channel: 'U0NOBODY', text: 'x' }))).toBe(
      'channel_not_found',
    );
    expect(await slackError(client.chat.postMessage({ channel: 'U0DEPLOYBOT', text: 'x' }))).toBe(
      'cannot_dm_bot',
    );
  });

  it('takes a channel name as well as an id', async () => {
    const res = await client.chat.postMessage({ channel: '#incidents', text: 'INC-7 declared' });
    expect(res.channel).toBe('C0INCIDENTS');
  });

  it('answers channel_not_found, not_in_channel, no_text and invalid_blocks', async () => {
    expect(await slackError(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toBe(
      'channel_not_found',
    );
    expect(await slackError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'x' }))).toBe(
      'not_in_channel',
    );
    expect(await slackError(client.chat.postMessage({ channel, text: '' }))).toBe('no_text');
    const noType = [{ text: { type: 'mrkdwn', text: 'x' } }] as never;
    expect(await slackError(client.chat.postMessage({ channel, text: 'x', blocks: noType }))).toBe(
      'invalid_blocks',
    );
  });

  it('answers invalid_blocks_format when blocks are not JSON', async () => {
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ channel, text: 'x', blocks: '[{"type":' }),
    });
    expect(await res.json()).toEqual({ ok: false, error: 'invalid_blocks_format' });
  });

  it('keeps 40,000 characters whole and answers msg_too_long beyond', async () => {
    const long = 'x'.repeat(40_000);
    const res = await client.chat.postMessage({ channel, text: long });
    expect(fake.workspace.message(channel, res.ts as string)?.text).toHaveLength(40_000);
    expect(await slackError(client.chat.postMessage({ channel, text: `${long}x` }))).toBe('msg_too_long');
  });

  it('replies in threads, broadcasting on request; a reply to a reply joins the parent thread', async () => {
    const parent = (await client.chat.postMessage({ channel, text: 'parent' })).ts as string;
    const reply = await client.chat.postMessage({ channel, text: 'reply', thread_ts: parent });
    expect(reply.message).toMatchObject({ thread_ts: parent, parent_user_id: 'U0MUSTERBOT' });
    const loud = await client.chat.postMessage({
      channel,
      text: 'loud',
      thread_ts: parent,
      reply_broadcast: true,
    });
    expect(loud.message).toMatchObject({ subtype: 'thread_broadcast', thread_ts: parent });
    const nested = await client.chat.postMessage({ channel, text: 'nested', thread_ts: reply.ts as string });
    expect(nested.message?.thread_ts).toBe(parent);
    expect(
      await slackError(client.chat.postMessage({ channel, text: 'x', thread_ts: '1600000000.000100' })),
    ).toBe('thread_not_found');
    expect(await slackError(client.chat.postMessage({ channel, text: 'x', thread_ts: '0' }))).toBe(
      'invalid_thread_ts',
    );
  });

  it('gives unique, increasing ts values even when the clock stands still', async () => {
    await fake.close();
    fake = await startFakeSlack({ clock: () => 1_700_000_000_000 });
    client = new WebClient(fake.token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    const ts = [];
    for (let i = 0; i < 3; i++)
      ts.push((await client.chat.postMessage({ channel: 'C0INCIDENTS', text: `${i}` })).ts);
    expect(ts).toEqual(['1700000000.000000', '1700000000.000100', '1700000000.000200']);
  });
});

describe('chat.update, chat.postEphemeral, chat.getPermalink', () => {
  it('updates the bot message, keeping blocks unless replaced', async () => {
    const ts = (await client.chat.postMessage({ channel, text: 'SEV2', blocks: headline })).ts as string;
    const res = await client.chat.update({ channel, ts, text: 'SEV1' });
    expect(res).toMatchObject({ channel, ts, text: 'SEV1' });
    expect(fake.workspace.message(channel, ts)?.blocks).toHaveLength(1);
    await client.chat.update({ channel, ts, text: 'SEV1', blocks: [] });
    expect(fake.workspace.message(channel, ts)?.blocks).toBeUndefined();
  });

  it('answers message_not_found and cant_update_message (a person wrote it)', async () => {
    expect(await slackError(client.chat.update({ channel, ts: '1600000000.000100', text: 'x' }))).toBe(
      'message_not_found',
    );
    const event = fake.workspace.userPostMessage({ user: 'U0ALICE', channel, text: 'checkout is down' });
    expect(await slackError(client.chat.update({ channel, ts: event['ts'] as string, text: 'x' }))).toBe(
      'cant_update_message',
    );
    expect(await slackError(client.chat.update({ channel: 'C0NOPE', ts: '1.000001', text: 'x' }))).toBe(
      'channel_not_found',
    );
  });

  it('posts an ephemeral message to a member only', async () => {
    const res = await client.chat.postEphemeral({ channel, user: 'U0ALICE', text: 'Only you can see this' });
    expect(res.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(fake.workspace.ephemerals({ channel, user: 'U0ALICE' })).toMatchObject([
      { text: 'Only you can see this', via: 'chat.postEphemeral' },
    ]);
    expect(await slackError(client.chat.postEphemeral({ channel, user: 'U0DAVE', text: 'x' }))).toBe(
      'user_not_in_channel',
    );
  });

  it('gives permalinks in Slack form, with thread_ts for replies', async () => {
    const parent = (await client.chat.postMessage({ channel, text: 'parent' })).ts as string;
    const reply = (await client.chat.postMessage({ channel, text: 'reply', thread_ts: parent })).ts as string;
    const p = await client.chat.getPermalink({ channel, message_ts: parent });
    expect(p.permalink).toBe(`${fake.baseUrl}/archives/${channel}/p${parent.replace('.', '')}`);
    const r = await client.chat.getPermalink({ channel, message_ts: reply });
    expect(r.permalink).toBe(
      `${fake.baseUrl}/archives/${channel}/p${reply.replace('.', '')}?thread_ts=${parent}&cid=${channel}`,
    );
    expect(await slackError(client.chat.getPermalink({ channel, message_ts: '1.000001' }))).toBe(
      'message_not_found',
    );
  });
});

describe('pins, reactions, bookmarks', () => {
  it('pins once, then answers already_pinned', async () => {
    const ts = (await client.chat.postMessage({ channel, text: 'headline' })).ts as string;
    await client.pins.add({ channel, timestamp: ts });
    expect(fake.workspace.pins(channel).map((m) => m.ts)).toEqual([ts]);
    expect(await slackError(client.pins.add({ channel, timestamp: ts }))).toBe('already_pinned');
    expect(await slackError(client.pins.add({ channel, timestamp: '1600000000.000100' }))).toBe(
      'message_not_found',
    );
  });

  it('adds, reads and removes reactions with Slack error codes', async () => {
    const ts = (await client.chat.postMessage({ channel, text: 'deploy rolled back' })).ts as string;
    await client.reactions.add({ channel, timestamp: ts, name: 'pushpin' });
    fake.workspace.userAddReaction({ user: 'U0ALICE', channel, ts, reaction: 'pushpin' });
    const got = await client.reactions.get({ channel, timestamp: ts });
    expect(got).toMatchObject({ type: 'message', channel });
    expect(got.message?.reactions).toEqual([
      { name: 'pushpin', users: ['U0MUSTERBOT', 'U0ALICE'], count: 2 },
    ]);
    expect(await slackError(client.reactions.add({ channel, timestamp: ts, name: 'pushpin' }))).toBe(
      'already_reacted',
    );
    await client.reactions.remove({ channel, timestamp: ts, name: 'pushpin' });
    expect(await slackError(client.reactions.remove({ channel, timestamp: ts, name: 'pushpin' }))).toBe(
      'no_reaction',
    );
    expect(await slackError(client.reactions.add({ channel, timestamp: '1.000001', name: 'x' }))).toBe(
      'message_not_found',
    );
  });

  it('refuses reactions in a channel the bot is not in, as Slack does', async () => {
    const other = fake.workspace.createChannel('elsewhere', 'U0ALICE');
    const posted = fake.workspace.userPostMessage({ user: 'U0ALICE', channel: other.id, text: 'hello' });
    const ts = posted.ts as string;
    expect(
      await slackError(client.reactions.add({ channel: other.id, timestamp: ts, name: 'white_check_mark' })),
    ).toBe('not_in_channel');
    expect(
      await slackError(
        client.reactions.remove({ channel: other.id, timestamp: ts, name: 'white_check_mark' }),
      ),
    ).toBe('not_in_channel');
  });

  it('finds a member by email whatever its case, and answers users_not_found otherwise', async () => {
    const found = await client.users.lookupByEmail({ email: 'Alice@Example.com' });
    expect(found.user?.id).toBe('U0ALICE');
    expect(found.user?.profile?.email).toBe('alice@example.com');
    expect(await slackError(client.users.lookupByEmail({ email: 'nobody@example.com' }))).toBe(
      'users_not_found',
    );
  });

  it('adds and lists link bookmarks', async () => {
    const res = await client.bookmarks.add({
      channel_id: channel,
      title: 'Runbook: payments',
      type: 'link',
      link: 'https://runbooks.example.com/payments',
    });
    expect(res.bookmark).toMatchObject({
      id: expect.stringMatching(/^Bk/),
      channel_id: channel,
      title: 'Runbook: payments',
      link: 'https://runbooks.example.com/payments',
      type: 'link',
      date_created: expect.any(Number),
    });
    const list = await client.bookmarks.list({ channel_id: channel });
    expect(list.bookmarks?.map((b) => b.title)).toEqual(['Runbook: payments']);
    const bad = client.bookmarks.add({ channel_id: channel, title: 'x', type: 'link', link: 'ftp://x' });
    expect(await slackError(bad)).toBe('invalid_link');
    const nowhere = client.bookmarks.add({
      channel_id: 'C0NOPE',
      title: 'x',
      type: 'link',
      link: 'https://x',
    });
    expect(await slackError(nowhere)).toBe('channel_not_found');
  });
});

describe('auth.test, team.info, users.info', () => {
  it('identifies the bot and the team', async () => {
    expect(await client.auth.test()).toMatchObject({
      ok: true,
      team_id: 'T0MUSTER',
      user_id: 'U0MUSTERBOT',
      bot_id: 'B0MUSTER',
      url: `${fake.baseUrl}/`,
    });
    expect((await client.team.info()).team).toMatchObject({ id: 'T0MUSTER', name: 'Muster Sandbox' });
  });

  it('describes people and bots, and answers user_not_found', async () => {
    const alice = await client.users.info({ user: 'U0ALICE' });
    expect(alice.user).toMatchObject({
      id: 'U0ALICE',
      name: 'alice',
      real_name: 'Alice Example',
      is_bot: false,
      tz: 'Europe/London',
      profile: { display_name: 'Alice', real_name: 'Alice Example', email: 'alice@example.com' },
    });
    const deploy = await client.users.info({ user: 'U0DEPLOYBOT' });
    expect(deploy.user).toMatchObject({ is_bot: true, profile: { bot_id: 'B0DEPLOY' } });
    expect(await slackError(client.users.info({ user: 'U0NOBODY' }))).toBe('user_not_found');
  });
});

describe('views', () => {
  const modal = {
    type: 'modal' as const,
    callback_id: 'assign_role',
    title: { type: 'plain_text' as const, text: 'Assign a role' },
    submit: { type: 'plain_text' as const, text: 'Assign' },
    blocks: [
      { type: 'input', label: { type: 'plain_text', text: 'Who' }, element: { type: 'users_select' } },
    ],
  };

  it('opens, updates and pushes modals', async () => {
    const trigger = fake.workspace.mintTriggerId('U0ALICE');
    const opened = await client.views.open({ trigger_id: trigger, view: modal as never });
    const id = opened.view?.id as string;
    expect(opened.view).toMatchObject({
      callback_id: 'assign_role',
      root_view_id: id,
      previous_view_id: null,
    });
    expect(fake.workspace.view(id)?.user).toBe('U0ALICE');
    const updated = await client.views.update({
      view_id: id,
      view: { ...modal, callback_id: 'v2' } as never,
    });
    expect(updated.view?.callback_id).toBe('v2');
    const pushed = await client.views.push({
      trigger_id: fake.workspace.mintTriggerId('U0ALICE', id),
      view: modal as never,
    });
    expect(pushed.view).toMatchObject({ root_view_id: id, previous_view_id: id });
  });

  it('answers invalid_arguments without trigger_id or view, or with a malformed view', async () => {
    expect(await slackError(client.views.open({ trigger_id: '', view: modal as never }))).toBe(
      'invalid_arguments',
    );
    expect(await slackError(client.apiCall('views.open', { trigger_id: '1.2.3' }))).toBe('invalid_arguments');
    const long = { ...modal, title: { type: 'plain_text', text: 'A title far longer than Slack allows' } };
    const error = (await client.views.open({ trigger_id: '1.2.3', view: long as never }).catch((e) => e)) as {
      data: { error: string; response_metadata: { messages: string[] } };
    };
    expect(error.data.error).toBe('invalid_arguments');
    expect(error.data.response_metadata.messages[0]).toContain('/view/title/text');
  });

  it('answers not_found and hash_conflict on update', async () => {
    expect(await slackError(client.views.update({ view_id: 'V0NOPE', view: modal as never }))).toBe(
      'not_found',
    );
    const opened = await client.views.open({ trigger_id: '1.2.3', view: modal as never });
    const stale = client.views.update({
      view_id: opened.view?.id as string,
      hash: 'stale',
      view: modal as never,
    });
    expect(await slackError(stale)).toBe('hash_conflict');
  });
});
