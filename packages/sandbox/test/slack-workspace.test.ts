import { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { EPHEMERALS_CAP, RESPONSE_URLS_CAP, RESPONSES_CAP, SlackWorkspace } from '../src/slack-workspace.js';
import { SlackApiError, type WorkspaceChange, type WorkspaceSnapshot } from '../src/slack-workspace-types.js';
import { startFakeSlack } from '../../../test/fakes/fake-slack.js';

const T0 = 1_700_000_000_000;

/** A workspace on a fixed clock with an incident channel the bot and Alice are in. */
function incidentWorkspace() {
  let now = T0;
  const ws = new SlackWorkspace({ clock: () => now, baseUrl: 'http://127.0.0.1:9' });
  const channel = ws.createChannel('inc-3-search-slow', ws.botUserId).id;
  ws.inviteToChannel(channel, ['U0ALICE', 'U0BOB'], ws.botUserId);
  const changes: WorkspaceChange[] = [];
  ws.on('change', (c) => changes.push(c));
  return { ws, channel, changes, later: (ms: number) => (now += ms) };
}

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return e instanceof SlackApiError ? e.code : String(e);
  }
};

describe('what a person does, as Events API events', () => {
  it('posting gives a message event in Slack shape', () => {
    const { ws, channel, later } = incidentWorkspace();
    later(60_000);
    const event = ws.userPostMessage({ user: 'U0ALICE', channel, text: 'p99 latency is 4s' });
    expect(event).toEqual({
      type: 'message',
      channel,
      user: 'U0ALICE',
      text: 'p99 latency is 4s',
      ts: '1700000060.000000',
      event_ts: '1700000060.000000',
      channel_type: 'channel',
      team: 'T0MUSTER',
      client_msg_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('a thread reply carries thread_ts and parent_user_id', () => {
    const { ws, channel } = incidentWorkspace();
    const parent = ws.userPostMessage({ user: 'U0ALICE', channel, text: 'root cause?' });
    const reply = ws.userPostMessage({
      user: 'U0BOB',
      channel,
      text: 'bad index',
      threadTs: parent['ts'] as string,
    });
    expect(reply).toMatchObject({ thread_ts: parent['ts'], parent_user_id: 'U0ALICE', user: 'U0BOB' });
  });

  it('reacting gives reaction_added and reaction_removed with exactly the documented fields', () => {
    const { ws, channel } = incidentWorkspace();
    const ts = ws.userPostMessage({ user: 'U0BOB', channel, text: 'rolled back' })['ts'] as string;
    const added = ws.userAddReaction({ user: 'U0ALICE', channel, ts, reaction: 'pushpin' });
    expect(added).toEqual({
      type: 'reaction_added',
      user: 'U0ALICE',
      reaction: 'pushpin',
      item_user: 'U0BOB',
      item: { type: 'message', channel, ts },
      event_ts: expect.stringMatching(/^\d{10}\.\d{6}$/),
    });
    const removed = ws.userRemoveReaction({ user: 'U0ALICE', channel, ts, reaction: 'pushpin' });
    expect(removed).toMatchObject({ type: 'reaction_removed', reaction: 'pushpin', item: { ts } });
    expect(Object.keys(removed).sort()).toEqual(Object.keys(added).sort());
    expect(removed['event_ts']).not.toBe(added['event_ts']);
  });

  it('keeps skin tones in the reaction name, as Slack sends them', () => {
    const { ws, channel } = incidentWorkspace();
    const ts = ws.userPostMessage({ user: 'U0BOB', channel, text: 'x' })['ts'] as string;
    expect(
      ws.userAddReaction({ user: 'U0BOB', channel, ts, reaction: 'pushpin::skin-tone-2' })['reaction'],
    ).toBe('pushpin::skin-tone-2');
  });

  it('editing gives message_changed with the new message, its edited mark and the previous one', () => {
    const { ws, channel, later } = incidentWorkspace();
    const ts = ws.userPostMessage({ user: 'U0ALICE', channel, text: 'db at 90% cpu' })['ts'] as string;
    later(5_000);
    const event = ws.userEditMessage({ user: 'U0ALICE', channel, ts, text: 'db at 99% cpu' });
    expect(event).toMatchObject({
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel,
      channel_type: 'channel',
      ts: '1700000005.000000',
      event_ts: '1700000005.000000',
      message: {
        type: 'message',
        user: 'U0ALICE',
        text: 'db at 99% cpu',
        ts,
        edited: { user: 'U0ALICE', ts: '1700000005.000000' },
      },
      previous_message: { type: 'message', user: 'U0ALICE', text: 'db at 90% cpu', ts },
    });
    expect(codeOf(() => ws.userEditMessage({ user: 'U0BOB', channel, ts, text: 'mine now' }))).toBe(
      'cant_update_message',
    );
  });

  it('deleting gives message_deleted with deleted_ts and the previous message', () => {
    const { ws, channel } = incidentWorkspace();
    const ts = ws.userPostMessage({ user: 'U0BOB', channel, text: 'oops, wrong channel' })['ts'] as string;
    const event = ws.userDeleteMessage({ user: 'U0BOB', channel, ts });
    expect(event).toMatchObject({
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel,
      deleted_ts: ts,
      previous_message: { text: 'oops, wrong channel', user: 'U0BOB', ts },
    });
    expect(event['ts']).not.toBe(ts);
    expect(ws.message(channel, ts)).toBeUndefined();
    expect(codeOf(() => ws.userDeleteMessage({ user: 'U0BOB', channel, ts }))).toBe('message_not_found');
  });

  it('deleting a thread parent leaves a tombstone so the replies stay reachable', () => {
    const { ws, channel } = incidentWorkspace();
    const parent = ws.userPostMessage({ user: 'U0BOB', channel, text: 'parent' })['ts'] as string;
    ws.userPostMessage({ user: 'U0ALICE', channel, text: 'reply', threadTs: parent });
    ws.userDeleteMessage({ user: 'U0BOB', channel, ts: parent });
    expect(ws.message(channel, parent)).toMatchObject({
      subtype: 'tombstone',
      text: 'This message was deleted.',
    });
    expect(ws.threadReplies(channel, parent).map((m) => m.text)).toEqual(['reply']);
  });

  it('uploading gives a file_share message whose file can be downloaded', async () => {
    const fake = await startFakeSlack();
    try {
      const ws = fake.workspace;
      const event = ws.userUploadFile({
        user: 'U0ALICE',
        channel: 'C0INCIDENTS',
        filename: 'latency.png',
        content: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
        text: 'latency graph',
      });
      expect(event).toMatchObject({
        type: 'message',
        subtype: 'file_share',
        user: 'U0ALICE',
        text: 'latency graph',
        upload: true,
        files: [{ name: 'latency.png', mimetype: 'image/png', size: 4 }],
      });
      const file = (event['files'] as { url_private: string }[])[0];
      const body = Buffer.from(await (await fetch(file?.url_private as string)).arrayBuffer());
      expect([...body]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    } finally {
      await fake.close();
    }
  });

  it('answers a person with Slack errors too', () => {
    const { ws, channel } = incidentWorkspace();
    expect(codeOf(() => ws.userPostMessage({ user: 'U0DAVE', channel, text: 'hi' }))).toBe('not_in_channel');
    expect(codeOf(() => ws.userAddReaction({ user: 'U0BOB', channel, ts: '1.000001', reaction: 'x' }))).toBe(
      'message_not_found',
    );
    const ts = ws.userPostMessage({ user: 'U0BOB', channel, text: 'x' })['ts'] as string;
    ws.userAddReaction({ user: 'U0BOB', channel, ts, reaction: 'eyes' });
    expect(codeOf(() => ws.userAddReaction({ user: 'U0BOB', channel, ts, reaction: 'eyes' }))).toBe(
      'already_reacted',
    );
    expect(codeOf(() => ws.userRemoveReaction({ user: 'U0ALICE', channel, ts, reaction: 'eyes' }))).toBe(
      'no_reaction',
    );
  });

  it('joining gives member_joined_channel, and null when already there', () => {
    const { ws, channel } = incidentWorkspace();
    expect(ws.userJoinChannel({ user: 'U0DAVE', channel })).toMatchObject({
      type: 'member_joined_channel',
      user: 'U0DAVE',
      channel,
      channel_type: 'C',
      team: 'T0MUSTER',
    });
    expect(ws.userJoinChannel({ user: 'U0DAVE', channel })).toBeNull();
  });
});

describe('change events', () => {
  it('emits every change, with the Slack events the bot would receive', () => {
    const { ws, channel, changes } = incidentWorkspace();
    const ts = ws.userPostMessage({ user: 'U0ALICE', channel, text: 'hello' })['ts'] as string;
    ws.userAddReaction({ user: 'U0BOB', channel, ts, reaction: 'pushpin' });
    ws.setTopic(channel, 'SEV3 · investigating', ws.botUserId);
    expect(changes.map((c) => c.type)).toEqual([
      'message_posted',
      'reaction_added',
      'channel_updated',
      'message_posted',
    ]);
    expect(changes[1]?.events).toEqual([
      expect.objectContaining({ type: 'reaction_added', reaction: 'pushpin' }),
    ]);
    expect(changes[3]?.events[0]).toMatchObject({ type: 'message', subtype: 'channel_topic' });
  });

  it('delivers no events from channels the bot is not in, but still emits the change', () => {
    const { ws, changes } = incidentWorkspace();
    const event = ws.userPostMessage({ user: 'U0ALICE', channel: 'C0GENERAL', text: 'lunch?' });
    expect(event['type']).toBe('message');
    expect(changes).toMatchObject([{ type: 'message_posted', channel: 'C0GENERAL', events: [] }]);
  });
});

describe('people and channels', () => {
  it('seeds humans with profiles, the Muster bot and another bot', () => {
    const ws = new SlackWorkspace();
    expect(ws.user('U0ALICE')).toMatchObject({
      realName: 'Alice Example',
      isBot: false,
      email: 'alice@example.com',
    });
    expect(ws.user('U0MUSTERBOT')).toMatchObject({ isBot: true, botId: 'B0MUSTER' });
    expect(ws.user('U0DEPLOYBOT')).toMatchObject({ isBot: true });
    expect(ws.channels().map((c) => c.name)).toEqual(['general', 'incidents']);
    expect(new SlackWorkspace({ seedChannels: false }).channels()).toEqual([]);
  });

  it('adds people who can then be invited', () => {
    const { ws, channel } = incidentWorkspace();
    const erin = ws.addUser({ name: 'erin', realName: 'Erin Tanaka', tz: 'Asia/Tokyo' });
    expect(erin).toMatchObject({ id: expect.stringMatching(/^U/), displayName: 'Erin', lastName: 'Tanaka' });
    ws.inviteToChannel(channel, [erin.id], ws.botUserId);
    expect(ws.isMember(channel, erin.id)).toBe(true);
    expect(codeOf(() => ws.addUser({ id: 'U0ALICE', name: 'alice2', realName: 'Alice Two' }))).toBe(
      'user_already_exists',
    );
  });
});

describe('toJSON / fromJSON', () => {
  function busyWorkspace() {
    const { ws, channel, later } = incidentWorkspace();
    const ts = ws.userPostMessage({ user: 'U0ALICE', channel, text: 'search is slow' })['ts'] as string;
    ws.userPostMessage({ user: 'U0BOB', channel, text: 'looking', threadTs: ts });
    ws.userAddReaction({ user: 'U0BOB', channel, ts, reaction: 'pushpin' });
    ws.pinMessage(channel, ts, ws.botUserId);
    ws.addBookmark(
      channel,
      { title: 'Runbook', link: 'https://runbooks.example.com/search', type: 'link' },
      ws.botUserId,
    );
    const file = ws.reserveFile({ filename: 'postmortem.md', length: 6 }, ws.botUserId);
    ws.receiveFileContent(file.id, Buffer.from('# INC3'));
    ws.completeFiles([{ id: file.id }], ws.botUserId, { channel, initialComment: 'draft' });
    ws.postEphemeral(channel, 'U0ALICE', { text: 'only you' });
    ws.openView(ws.mintTriggerId('U0ALICE'), {
      type: 'modal',
      title: { type: 'plain_text', text: 'x' },
      blocks: [],
    });
    ws.responseUrl({ channel, user: 'U0ALICE' });
    later(1_000);
    return { ws, channel, file };
  }

  it('round-trips the whole state through JSON text', () => {
    const { ws } = busyWorkspace();
    const snapshot = JSON.parse(JSON.stringify(ws)) as WorkspaceSnapshot;
    const restored = SlackWorkspace.fromJSON(snapshot, { clock: () => T0 });
    expect(restored.toJSON()).toEqual(ws.toJSON());
  });

  it('keeps ts values increasing and ids unique after a restore, even with an earlier clock', () => {
    const { ws, channel } = busyWorkspace();
    const before = ws.messages(channel).map((m) => m.ts);
    const restored = SlackWorkspace.fromJSON(ws.toJSON(), { clock: () => T0 - 3_600_000 });
    const ts = restored.userPostMessage({ user: 'U0ALICE', channel, text: 'after restart' })['ts'] as string;
    expect(before.every((b) => b < ts)).toBe(true);
    const again = restored.createChannel('inc-4-other', restored.botUserId);
    expect(ws.channels().map((c) => c.id)).not.toContain(again.id);
  });

  it('serves restored files for download', async () => {
    const { ws, file } = busyWorkspace();
    const fake = await startFakeSlack({ workspace: SlackWorkspace.fromJSON(ws.toJSON()) });
    try {
      const client = new WebClient(fake.token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
      const history = await client.conversations.history({
        channel: ws.channels()[2]?.id as string,
        limit: 1,
      });
      const url = history.messages?.[0]?.files?.[0]?.url_private as string;
      expect(url.startsWith(fake.baseUrl)).toBe(true);
      expect(await (await fetch(url)).text()).toBe('# INC3');
      expect(fake.workspace.file(file.id)?.completed).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it('refuses a snapshot of an unknown version', () => {
    expect(() => SlackWorkspace.fromJSON({ version: 2 } as unknown as WorkspaceSnapshot)).toThrow(/version/);
  });
});

describe('what the workspace keeps is capped, the oldest dropped first', () => {
  it(`keeps the latest ${EPHEMERALS_CAP} ephemeral messages`, () => {
    const { ws, channel } = incidentWorkspace();
    for (let i = 0; i < EPHEMERALS_CAP + 10; i += 1)
      ws.postEphemeral(channel, i % 2 ? 'U0ALICE' : 'U0BOB', { text: `reply ${i}` });
    const kept = ws.ephemerals().map((e) => e.text);
    expect(kept).toHaveLength(EPHEMERALS_CAP);
    expect(kept[0]).toBe('reply 10');
    expect(kept.at(-1)).toBe(`reply ${EPHEMERALS_CAP + 9}`);
  });

  it("replaces or deletes a slash command's first ephemeral answer through its response_url, as Slack does", () => {
    const { ws, channel } = incidentWorkspace();
    const id = (url: string) => url.slice(url.lastIndexOf('/') + 1);
    const mine = () =>
      ws
        .ephemerals()
        .filter((e) => e.user === 'U0ALICE')
        .map((e) => e.text);
    const first = id(ws.responseUrl({ channel, user: 'U0ALICE' }));
    ws.receiveResponse(first, { text: ':mag: Asking PagerDuty…' });
    ws.receiveResponse(first, { text: 'On call: Bob', replace_original: true, response_type: 'ephemeral' });
    expect(mine()).toEqual(['On call: Bob']);
    const second = id(ws.responseUrl({ channel, user: 'U0ALICE' }));
    ws.receiveResponse(second, { text: ':hourglass_flowing_sand: Checking…' });
    ws.receiveResponse(second, { delete_original: true });
    expect(mine()).toEqual(['On call: Bob']);
    // nothing to replace: the reply is a new ephemeral message
    const third = id(ws.responseUrl({ channel, user: 'U0ALICE' }));
    ws.receiveResponse(third, { text: 'fresh', replace_original: true });
    expect(mine()).toEqual(['On call: Bob', 'fresh']);
  });

  it(`keeps the latest ${RESPONSES_CAP} response_url posts, and the latest ${RESPONSE_URLS_CAP} minted URLs`, () => {
    const { ws, channel } = incidentWorkspace();
    const ids = Array.from({ length: RESPONSE_URLS_CAP + 5 }, () => {
      const url = ws.responseUrl({ channel, user: 'U0ALICE' });
      return url.slice(url.lastIndexOf('/') + 1);
    });
    expect(ids.slice(0, 5).some((id) => ws.issuedResponse(id))).toBe(false);
    expect(ids.slice(5).every((id) => ws.issuedResponse(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [i, id] of ids.slice(-(RESPONSES_CAP + 3)).entries())
      ws.receiveResponse(id, { text: `answer ${i}` });
    const kept = ws.responses().map((r) => (r.body as { text: string }).text);
    expect(kept).toHaveLength(RESPONSES_CAP);
    expect(kept[0]).toBe('answer 3');
    // the snapshot the sandbox saves is bounded the same way
    const snapshot = ws.toJSON();
    expect(Object.keys(snapshot.responseContexts)).toHaveLength(RESPONSE_URLS_CAP);
    expect(snapshot.responses).toHaveLength(RESPONSES_CAP);
    expect(snapshot.ephemerals.length).toBeLessThanOrEqual(EPHEMERALS_CAP);
  });
});
