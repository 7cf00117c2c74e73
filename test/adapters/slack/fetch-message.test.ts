/** WebChat.fetchMessage against the fake Slack: top-level messages, thread replies, messages that are gone. */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/adapters/http/metrics.js';
import { WebChat } from '../../../src/adapters/slack/web-chat.js';
import type { ChatError } from '../../../src/domain/ports.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/fake-slack.js';
import { LogCapture } from '../../support/log-capture.js';
import { createLogger } from '../../../src/adapters/log.js';

let slack: FakeSlack;
let chat: WebChat;
const logs = new LogCapture();
const CHANNEL = 'C0INCIDENTS';

beforeAll(async () => {
  slack = await startFakeSlack();
  const client = new WebClient(slack.token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  chat = new WebChat(
    client,
    new Metrics({ defaults: false }),
    createLogger({ level: 'info', destination: logs }),
  );
  if (!slack.workspace.isMember(CHANNEL, slack.workspace.botUserId))
    slack.workspace.joinChannel(CHANNEL, slack.workspace.botUserId);
  for (const user of ['U0BOB', 'U0CAROL']) slack.workspace.joinChannel(CHANNEL, user);
});
afterAll(() => slack.close());

const post = (text: string, threadTs?: string) =>
  slack.workspace.userPostMessage({
    user: 'U0BOB',
    channel: CHANNEL,
    text,
    ...(threadTs ? { threadTs } : {}),
  }).ts as string;

describe('fetching one message', () => {
  it('reads a top-level message with conversations.history', async () => {
    const ts = post('top level');
    const before = slack.calls.length;
    expect(await chat.fetchMessage(CHANNEL, ts)).toEqual({
      ts,
      threadTs: null,
      user: 'U0BOB',
      text: 'top level',
      files: [],
    });
    expect(slack.calls.slice(before).map((c) => c.method)).toEqual(['conversations.history']);
  });

  it('reads a thread reply whose parent it does not know with conversations.replies on the reply', async () => {
    const parent = post('parent');
    const reply = post('the reply', parent);
    post('a later reply', parent);
    const before = slack.calls.length;
    expect(await chat.fetchMessage(CHANNEL, reply)).toMatchObject({
      ts: reply,
      threadTs: parent,
      text: 'the reply',
    });
    expect(slack.calls.slice(before).map((c) => c.method)).toEqual([
      'conversations.history',
      'conversations.replies',
    ]);
  });

  it('goes straight to conversations.replies when the thread is known', async () => {
    const parent = post('parent 2');
    const reply = post('reply 2', parent);
    const before = slack.calls.length;
    expect(await chat.fetchMessage(CHANNEL, reply, parent)).toMatchObject({
      ts: reply,
      threadTs: parent,
      text: 'reply 2',
    });
    expect(slack.calls.slice(before).map((c) => c.method)).toEqual(['conversations.replies']);
  });

  it('answers null, without a warning, for a deleted message and a tombstone', async () => {
    const gone = post('gone');
    slack.workspace.userDeleteMessage({ user: 'U0BOB', channel: CHANNEL, ts: gone });
    const parent = post('parent with replies');
    post('a reply keeps the parent as a tombstone', parent);
    slack.workspace.userDeleteMessage({ user: 'U0BOB', channel: CHANNEL, ts: parent });
    const warnings = logs.lines.length;
    expect(await chat.fetchMessage(CHANNEL, gone)).toBeNull();
    expect(await chat.fetchMessage(CHANNEL, parent)).toBeNull();
    expect(logs.lines.slice(warnings)).toEqual([]);
  });

  it('rejects with a ChatError when Slack refuses', async () => {
    await expect(chat.fetchMessage('C0NOSUCH', '1700000000.000100')).rejects.toMatchObject({
      name: 'ChatError',
      method: 'conversations.history',
      code: 'channel_not_found',
    } satisfies Partial<ChatError>);
  });
});
