/** Permalinks: one chat.getPermalink teaches the workspace URL; later links are written without Slack. */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/adapters/http/metrics.js';
import { createLogger } from '../../src/adapters/log.js';
import { WebChat } from '../../src/adapters/slack/web-chat.js';
import { MessagePermalinks } from '../../src/app/timeline/message-permalink.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';

let slack: FakeSlack;
let chat: WebChat;
const CHANNEL = 'C0INCIDENTS';

beforeAll(async () => {
  slack = await startFakeSlack();
  const client = new WebClient(slack.token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  chat = new WebChat(client, new Metrics({ defaults: false }), createLogger({ level: 'silent' }));
  for (const user of [slack.workspace.botUserId, 'U0BOB']) slack.workspace.joinChannel(CHANNEL, user);
});
afterAll(() => slack.close());

const post = (text: string, threadTs?: string) =>
  slack.workspace.userPostMessage({
    user: 'U0BOB',
    channel: CHANNEL,
    text,
    ...(threadTs ? { threadTs } : {}),
  }).ts as string;
const slackSays = async (ts: string) => (await chat.permalink(CHANNEL, ts))!;

describe('MessagePermalinks', () => {
  it('asks Slack once, then writes the same links Slack would', async () => {
    const links = new MessagePermalinks(chat);
    const a = post('a');
    const b = post('b');
    const reply = post('reply', a);
    const before = slack.callsTo('chat.getPermalink').length;
    const learned = await links.of(CHANNEL, a, null);
    const derivedB = await links.of(CHANNEL, b, null);
    const derivedReply = await links.of(CHANNEL, reply, a);
    expect(slack.callsTo('chat.getPermalink').length - before).toBe(1);
    expect(learned).toBe(await slackSays(a));
    expect(derivedB).toBe(await slackSays(b));
    expect(derivedReply).toBe(await slackSays(reply));
  });

  it('goes without a link, and learns nothing, when Slack cannot give one', async () => {
    const links = new MessagePermalinks(chat);
    const before = slack.callsTo('chat.getPermalink').length;
    expect(await links.of(CHANNEL, '1000000000.000100', null)).toBeNull();
    const a = post('c');
    const link = await links.of(CHANNEL, a, null);
    expect(slack.callsTo('chat.getPermalink').length - before).toBe(2);
    expect(link).toBe(await slackSays(a));
  });
});
