import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../../test/fakes/fake-slack.js';
import { slackError } from './support/slack-error.js';

let fake: FakeSlack;
let client: WebClient;

beforeEach(async () => {
  fake = await startFakeSlack();
  client = new WebClient(fake.token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
});
afterEach(() => fake.close());

// field names of the channel object in Slack's conversations.create/info response samples (java-slack-sdk)
const CHANNEL_FIELDS = [
  'id',
  'name',
  'is_channel',
  'is_group',
  'is_im',
  'is_mpim',
  'is_private',
  'created',
  'is_archived',
  'is_general',
  'unlinked',
  'name_normalized',
  'is_shared',
  'is_org_shared',
  'is_ext_shared',
  'is_pending_ext_shared',
  'pending_shared',
  'context_team_id',
  'updated',
  'creator',
  'shared_team_ids',
  'is_member',
  'topic',
  'purpose',
  'previous_names',
  'num_members',
  'parent_conversation',
];

async function incidentChannel(name = 'inc-1-checkout-returns-500s'): Promise<string> {
  const created = await client.conversations.create({ name });
  return created.channel?.id as string;
}

describe('conversations.create', () => {
  it('creates a public channel with the bot as creator and member, in Slack field names', async () => {
    const res = await client.conversations.create({ name: 'inc-1-checkout-returns-500s' });
    expect(res.channel).toMatchObject({
      name: 'inc-1-checkout-returns-500s',
      is_channel: true,
      is_private: false,
      is_member: true,
      creator: 'U0MUSTERBOT',
      topic: { value: '', creator: '', last_set: 0 },
    });
    expect(res.channel?.id).toMatch(/^C[A-Z0-9]{8,}$/);
    for (const key of Object.keys(res.channel ?? {})) expect(CHANNEL_FIELDS).toContain(key);
    expect(fake.workspace.channel('inc-1-checkout-returns-500s')?.members).toEqual(['U0MUSTERBOT']);
  });

  it.each([
    ['', 'invalid_name_required'],
    ['Inc-1-Checkout', 'invalid_name_specials'],
    ['inc 1', 'invalid_name_specials'],
    ['inc-1-café', 'invalid_name_specials'],
    ['inc.1', 'invalid_name_specials'],
    ['---', 'invalid_name_punctuation'],
    ['a'.repeat(81), 'invalid_name_maxlength'],
  ])('rejects %j with %s', async (name, code) => {
    expect(await slackError(client.conversations.create({ name }))).toBe(code);
  });

  it('accepts 80 characters of lowercase letters, digits, hyphens and underscores', async () => {
    const name = `inc_1-${'x'.repeat(74)}`;
    expect((await client.conversations.create({ name })).channel?.name).toBe(name);
  });

  it('answers name_taken for an existing name, archived or not', async () => {
    await incidentChannel('inc-1-db');
    expect(await slackError(client.conversations.create({ name: 'inc-1-db' }))).toBe('name_taken');
    expect(await slackError(client.conversations.create({ name: 'general' }))).toBe('name_taken');
  });
});

describe('conversations.invite and join', () => {
  it('invites people, posting channel_join messages', async () => {
    const channel = await incidentChannel();
    const res = await client.conversations.invite({ channel, users: 'U0ALICE,U0BOB' });
    expect(res.channel?.id).toBe(channel);
    expect(fake.workspace.channel(channel)?.members).toEqual(['U0MUSTERBOT', 'U0ALICE', 'U0BOB']);
    const joins = fake.workspace.messages(channel).filter((m) => m.subtype === 'channel_join');
    expect(joins.map((m) => [m.user, m.inviter, m.text])).toEqual([
      ['U0ALICE', 'U0MUSTERBOT', '<@U0ALICE> has joined the channel'],
      ['U0BOB', 'U0MUSTERBOT', '<@U0BOB> has joined the channel'],
    ]);
  });

  it('answers already_in_channel, user_not_found, cant_invite_self and no_user', async () => {
    const channel = await incidentChannel();
    await client.conversations.invite({ channel, users: 'U0ALICE' });
    expect(await slackError(client.conversations.invite({ channel, users: 'U0ALICE' }))).toBe(
      'already_in_channel',
    );
    expect(await slackError(client.conversations.invite({ channel, users: 'U0NOBODY' }))).toBe(
      'user_not_found',
    );
    expect(await slackError(client.conversations.invite({ channel, users: 'U0MUSTERBOT' }))).toBe(
      'cant_invite_self',
    );
    expect(await slackError(client.conversations.invite({ channel, users: '' }))).toBe('no_user');
  });

  it('invites nobody when one of the users fails, naming each failure', async () => {
    const channel = await incidentChannel();
    const error = (await client.conversations
      .invite({ channel, users: 'U0BOB,U0NOBODY' })
      .catch((e) => e)) as {
      data: { error: string; errors: unknown[] };
    };
    expect(error.data.error).toBe('user_not_found');
    expect(error.data.errors).toEqual([{ ok: false, error: 'user_not_found', user: 'U0NOBODY' }]);
    expect(fake.workspace.channel(channel)?.members).toEqual(['U0MUSTERBOT']);
  });

  it('answers not_in_channel when the bot is outside, channel_not_found for unknown channels', async () => {
    expect(await slackError(client.conversations.invite({ channel: 'C0GENERAL', users: 'U0BOB' }))).toBe(
      'not_in_channel',
    );
    expect(await slackError(client.conversations.invite({ channel: 'C0NOPE', users: 'U0BOB' }))).toBe(
      'channel_not_found',
    );
  });

  it('joins a public channel, and warns already_in_channel the second time', async () => {
    const first = await client.conversations.join({ channel: 'C0GENERAL' });
    expect(first.channel?.is_member).toBe(true);
    expect(first.warning).toBeUndefined();
    const second = await client.conversations.join({ channel: 'C0GENERAL' });
    expect(second.warning).toBe('already_in_channel');
    expect(second.response_metadata?.warnings).toEqual(['already_in_channel']);
    expect(await slackError(client.conversations.join({ channel: 'C0NOPE' }))).toBe('channel_not_found');
  });
});

describe('conversations.info and setTopic', () => {
  it('describes a channel, with its member count on request', async () => {
    const res = await client.conversations.info({ channel: 'C0INCIDENTS', include_num_members: true });
    expect(res.channel).toMatchObject({
      id: 'C0INCIDENTS',
      name: 'incidents',
      is_member: true,
      num_members: 5,
    });
    expect(await slackError(client.conversations.info({ channel: 'C0NOPE' }))).toBe('channel_not_found');
  });

  it('sets the topic and posts the channel_topic message', async () => {
    const channel = await incidentChannel();
    const res = await client.conversations.setTopic({
      channel,
      topic: 'SEV2 · investigating · IC <@U0ALICE>',
    });
    expect(res.channel?.topic).toMatchObject({
      value: 'SEV2 · investigating · IC <@U0ALICE>',
      creator: 'U0MUSTERBOT',
    });
    const last = fake.workspace.messages(channel).at(-1);
    expect(last).toMatchObject({ subtype: 'channel_topic', topic: 'SEV2 · investigating · IC <@U0ALICE>' });
    expect(await slackError(client.conversations.setTopic({ channel: 'C0GENERAL', topic: 'x' }))).toBe(
      'not_in_channel',
    );
    expect(await slackError(client.conversations.setTopic({ channel, topic: 'x'.repeat(251) }))).toBe(
      'too_long',
    );
  });
});

describe('conversations.history and replies', () => {
  async function post(channel: string, text: string, thread_ts?: string, reply_broadcast = false) {
    const thread = thread_ts ? { thread_ts, reply_broadcast } : {};
    return (await client.chat.postMessage({ channel, text, ...thread })).ts as string;
  }

  it('fetches exactly one message with latest, inclusive and limit=1', async () => {
    const channel = await incidentChannel();
    const [a, b] = [await post(channel, 'first'), await post(channel, 'second')];
    await post(channel, 'third');
    const res = await client.conversations.history({ channel, latest: b, inclusive: true, limit: 1 });
    expect(res.messages?.map((m) => m.text)).toEqual(['second']);
    expect(res.has_more).toBe(true);
    const exclusive = await client.conversations.history({ channel, latest: b, limit: 1 });
    expect(exclusive.messages?.[0]?.ts).toBe(a);
    expect(res).toMatchObject({ pin_count: 0, channel_actions_ts: null, channel_actions_count: 0 });
  });

  it('lists newest first between oldest and latest, paging with the cursor', async () => {
    const channel = await incidentChannel();
    const ts = [];
    for (const text of ['one', 'two', 'three', 'four']) ts.push(await post(channel, text));
    const between = await client.conversations.history({ channel, oldest: ts[0], latest: ts[3] });
    expect(between.messages?.map((m) => m.text)).toEqual(['three', 'two']);
    const page1 = await client.conversations.history({ channel, limit: 3 });
    expect(page1.messages?.map((m) => m.text)).toEqual(['four', 'three', 'two']);
    const cursor = page1.response_metadata?.next_cursor;
    expect(cursor).toBeTruthy();
    const page2 = await client.conversations.history({ channel, limit: 3, cursor });
    expect(page2.messages?.map((m) => m.text)).toEqual(['one']);
    expect(page2.has_more).toBe(false);
    expect(page2.response_metadata?.next_cursor).toBeUndefined();
  });

  it('keeps thread replies out of history unless broadcast, and summarises the thread on its parent', async () => {
    const channel = await incidentChannel();
    const parent = await post(channel, 'parent');
    await post(channel, 'quiet reply', parent);
    await post(channel, 'loud reply', parent, true);
    const res = await client.conversations.history({ channel });
    expect(res.messages?.map((m) => [m.text, m.subtype])).toEqual([
      ['loud reply', 'thread_broadcast'],
      ['parent', undefined],
    ]);
    expect(res.messages?.[1]).toMatchObject({
      thread_ts: parent,
      reply_count: 2,
      reply_users: ['U0MUSTERBOT'],
    });
  });

  it('returns a thread from its parent or any reply, parent first', async () => {
    const channel = await incidentChannel();
    const parent = await post(channel, 'parent');
    const reply = await post(channel, 'reply 1', parent);
    await post(channel, 'reply 2', reply);
    for (const ts of [parent, reply]) {
      const res = await client.conversations.replies({ channel, ts });
      expect(res.messages?.map((m) => m.text)).toEqual(['parent', 'reply 1', 'reply 2']);
      expect(res.messages?.[1]).toMatchObject({ thread_ts: parent, parent_user_id: 'U0MUSTERBOT' });
    }
    const latestOnly = await client.conversations.replies({
      channel,
      ts: parent,
      latest: reply,
      inclusive: true,
    });
    expect(latestOnly.messages?.map((m) => m.text)).toEqual(['parent', 'reply 1']);
    expect(await slackError(client.conversations.replies({ channel, ts: '1.000001' }))).toBe(
      'thread_not_found',
    );
  });

  it('answers not_in_channel, channel_not_found and invalid_ts_latest', async () => {
    expect(await slackError(client.conversations.history({ channel: 'C0GENERAL' }))).toBe('not_in_channel');
    expect(await slackError(client.conversations.history({ channel: 'C0NOPE' }))).toBe('channel_not_found');
    expect(
      await slackError(client.conversations.history({ channel: 'C0INCIDENTS', latest: 'yesterday' })),
    ).toBe('invalid_ts_latest');
    expect(await slackError(client.conversations.replies({ channel: 'C0GENERAL', ts: '1.1' }))).toBe(
      'not_in_channel',
    );
  });
});
