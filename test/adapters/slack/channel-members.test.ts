/**
 * Who is in a private incident channel: WebChat.channelMembers reads every page of conversations.members from
 * the fake Slack, and CachedChannelMembership keeps the answer for a minute, a failure not at all.
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/adapters/http/metrics.js';
import { createLogger } from '../../../src/adapters/log.js';
import { WebChat } from '../../../src/adapters/slack/web-chat.js';
import { CachedChannelMembership, MEMBERS_TTL_MS } from '../../../src/app/incident/channel-membership.js';
import { ChatError } from '../../../src/domain/ports.js';
import { type FakeSlack, startFakeSlack } from '../../fakes/fake-slack.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { LogCapture } from '../../support/log-capture.js';

let slack: FakeSlack;
let chat: WebChat;

beforeAll(async () => {
  slack = await startFakeSlack();
  const client = new WebClient(slack.token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  chat = new WebChat(
    client,
    new Metrics({ defaults: false }),
    createLogger({ level: 'info', destination: new LogCapture() }),
  );
});
afterAll(() => slack.close());

describe('the members of a private channel', () => {
  it('are read page after page, following the cursor', async () => {
    const channel = slack.workspace.createChannel('inc-1-private', slack.workspace.botUserId, true);
    // more members than one page holds (Slack answers at most 999 a page here)
    const many = Array.from({ length: 1500 }, (_, n) => `U${String(n).padStart(8, '0')}`);
    channel.members.push(...many);
    const before = slack.callsTo('conversations.members').length;
    const members = await chat.channelMembers(channel.id);
    expect(members).toHaveLength(1501);
    expect(members).toContain('U00001499');
    const calls = slack.callsTo('conversations.members').slice(before);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.args.cursor).toBeUndefined();
    expect(calls[1]!.args.cursor).toBeTruthy();
  });

  it('are kept for a minute, then asked again; a failure is not kept', async () => {
    const channel = slack.workspace.createChannel('inc-2-private', slack.workspace.botUserId, true);
    const clock = new FixedClock();
    const membership = new CachedChannelMembership(chat, clock);
    const asked = () =>
      slack.callsTo('conversations.members').filter((c) => c.args.channel === channel.id).length;

    expect(await membership.isMember(channel.id, 'U0ALICE')).toBe(false);
    slack.workspace.inviteToChannel(channel.id, ['U0ALICE'], slack.workspace.botUserId);
    expect(await membership.isMember(channel.id, 'U0ALICE')).toBe(false);
    expect(asked()).toBe(1);

    clock.advance(MEMBERS_TTL_MS);
    expect(await membership.isMember(channel.id, 'U0ALICE')).toBe(true);
    expect(asked()).toBe(2);

    clock.advance(MEMBERS_TTL_MS);
    slack.failNext('conversations.members', { error: 'internal_error' });
    await expect(membership.isMember(channel.id, 'U0ALICE')).rejects.toBeInstanceOf(ChatError);
    expect(await membership.isMember(channel.id, 'U0ALICE')).toBe(true);
    expect(asked()).toBe(4);
  });
});
