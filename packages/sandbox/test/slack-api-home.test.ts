/**
 * The Home tab in the sandbox workspace: views.publish checked as Slack checks it (user_id, a `home` view within
 * Block Kit's limits), one view a person replaced in place, and the `app_home_opened` event a person's opening
 * of the tab sends.
 */
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../../test/fakes/fake-slack.js';
import type { SlackEvent } from '../src/slack-workspace-types.js';
import { slackFailure } from './support/slack-error.js';

let fake: FakeSlack;
let client: WebClient;

beforeEach(async () => {
  fake = await startFakeSlack();
  client = new WebClient(fake.token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
});
afterEach(() => fake.close());

const home = (text: string) => ({
  type: 'home' as const,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

describe('views.publish', () => {
  it("publishes a person's Home, replaced in place by the next publish, and answers with the view", async () => {
    const first = await client.views.publish({ user_id: 'U0BOB', view: home('No open incidents.') as never });
    expect(first.ok).toBe(true);
    expect(first.view).toMatchObject({
      type: 'home',
      team_id: 'T0MUSTER',
      bot_id: 'B0MUSTER',
      previous_view_id: null,
      state: { values: {} },
      blocks: home('No open incidents.').blocks,
    });
    const id = first.view?.id as string;
    expect(first.view?.root_view_id).toBe(id);
    const second = await client.views.publish({ user_id: 'U0BOB', view: home('INC-1 open') as never });
    expect(second.view?.id).toBe(id);
    expect(second.view?.hash).not.toBe(first.view?.hash);
    expect(fake.workspace.homeView('U0BOB')?.view).toEqual(home('INC-1 open'));
    const carol = await client.views.publish({ user_id: 'U0CAROL', view: home('x') as never });
    expect(carol.view?.id).not.toBe(id);
    expect(fake.workspace.views().filter((v) => v.view['type'] === 'home')).toHaveLength(2);
    // a Home is no modal: the sandbox page never shows it as one
    expect(fake.workspace.homeView('U0BOB')?.user).toBe('U0BOB');
  });

  it('refuses what Slack refuses: no user, an unknown user, a modal, too many blocks, a text over its limit, a stale hash', async () => {
    expect((await slackFailure(client.apiCall('views.publish', { view: home('x') }))).error).toBe(
      'invalid_arguments',
    );
    expect((await slackFailure(client.apiCall('views.publish', { user_id: 'U0BOB' }))).error).toBe(
      'invalid_arguments',
    );
    expect(
      (await slackFailure(client.views.publish({ user_id: 'U0NOBODY', view: home('x') as never }))).error,
    ).toBe('user_not_found');
    const modal = { ...home('x'), type: 'modal', title: { type: 'plain_text', text: 'A modal' } };
    expect(await slackFailure(client.views.publish({ user_id: 'U0BOB', view: modal as never }))).toEqual({
      error: 'invalid_arguments',
      messages: ['[ERROR] must be home [json-pointer:/view/type]'],
    });
    const many = { type: 'home', blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) };
    expect(await slackFailure(client.views.publish({ user_id: 'U0BOB', view: many as never }))).toEqual({
      error: 'invalid_arguments',
      messages: ['[ERROR] must be at most 100 items [json-pointer:/view/blocks]'],
    });
    const long = await slackFailure(
      client.views.publish({ user_id: 'U0BOB', view: home('x'.repeat(3001)) as never }),
    );
    expect(long.error).toBe('invalid_arguments');
    expect(long.messages.join(' ')).toContain('/view/blocks/0/text');
    await client.views.publish({ user_id: 'U0BOB', view: home('x') as never });
    expect(
      (
        await slackFailure(
          client.views.publish({ user_id: 'U0BOB', hash: 'stale', view: home('y') as never }),
        )
      ).error,
    ).toBe('hash_conflict');
    expect(fake.workspace.homeView('U0BOB')?.view).toEqual(home('x'));
  });
});

describe('opening the Home tab', () => {
  it('sends app_home_opened with the tab, the direct message and the Home last published', async () => {
    const events: SlackEvent[] = [];
    fake.workspace.on('change', (change: { events: SlackEvent[] }) => events.push(...change.events));
    fake.workspace.userOpenAppHome('U0BOB', 'messages');
    const published = await client.views.publish({ user_id: 'U0BOB', view: home('x') as never });
    fake.workspace.userOpenAppHome('U0BOB');
    expect(events).toEqual([
      expect.objectContaining({
        type: 'app_home_opened',
        user: 'U0BOB',
        tab: 'messages',
        channel: expect.stringMatching(/^D/),
      }),
      expect.objectContaining({
        type: 'app_home_opened',
        user: 'U0BOB',
        tab: 'home',
        view: expect.objectContaining({ id: published.view?.id, type: 'home' }),
      }),
    ]);
    expect(events[0]!['view']).toBeUndefined();
    expect(events[1]!['channel']).toBe(events[0]!['channel']);
    expect(() => fake.workspace.userOpenAppHome('U0NOBODY')).toThrow('user_not_found');
  });
});
