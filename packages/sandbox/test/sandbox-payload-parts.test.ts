/**
 * The parts of what the sandbox sends for people: Block Kit state from what was entered, the action of a
 * press, the client-side modal checks, typed text as Slack sends it, and which events the app subscribed to.
 */
import { describe, expect, it } from 'vitest';
import { subscriptionFilter } from '../src/manifest-subscriptions.js';
import { actionOf, findElement, stateValues } from '../src/slack-view-state.js';
import { SlackWorkspace } from '../src/slack-workspace.js';
import { slackifyText } from '../src/typed-text.js';
import { inputProblems } from '../src/view-input-checks.js';

const option = (v: string) => ({ text: { type: 'plain_text', text: v.toUpperCase() }, value: v });
const BLOCKS = [
  {
    type: 'input',
    block_id: 'title',
    label: { type: 'plain_text', text: 'Title' },
    element: { type: 'plain_text_input', action_id: 'value', max_length: 10 },
  },
  {
    type: 'input',
    block_id: 'sev',
    label: { type: 'plain_text', text: 'Severity' },
    element: {
      type: 'static_select',
      action_id: 'value',
      options: [option('sev1'), option('sev2')],
      initial_option: option('sev2'),
    },
  },
  {
    type: 'input',
    block_id: 'services',
    optional: true,
    label: { type: 'plain_text', text: 'Services' },
    element: {
      type: 'multi_static_select',
      action_id: 'value',
      options: [option('checkout'), option('payments')],
    },
  },
  {
    type: 'input',
    block_id: 'who',
    label: { type: 'plain_text', text: 'Person' },
    element: { type: 'users_select', action_id: 'value' },
  },
  {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: 'go',
        text: { type: 'plain_text', text: 'Go' },
        value: '7',
        style: 'primary',
      },
    ],
  },
];

describe('Block Kit state', () => {
  it('reports every input, with initial values and nulls, and only options the app offered', () => {
    const values = stateValues(BLOCKS, {
      title: { value: 'DB down' },
      services: { value: ['payments', 'made-up'] },
      who: { value: 'U0BOB' },
    });
    expect(values).toEqual({
      title: { value: { type: 'plain_text_input', value: 'DB down' } },
      sev: { value: { type: 'static_select', selected_option: option('sev2') } },
      services: { value: { type: 'multi_static_select', selected_options: [option('payments')] } },
      who: { value: { type: 'users_select', selected_user: 'U0BOB' } },
    });
    expect(stateValues(BLOCKS, {}).title).toEqual({ value: { type: 'plain_text_input', value: null } });
  });

  it('builds the action of a button press, with the block id Slack gave it', () => {
    const found = findElement(BLOCKS, 'b4', 'go');
    expect(found && actionOf(found, null, '1700000000.000100')).toEqual({
      action_id: 'go',
      block_id: 'b4',
      type: 'button',
      action_ts: '1700000000.000100',
      text: { type: 'plain_text', text: 'Go' },
      value: '7',
      style: 'primary',
    });
    expect(findElement(BLOCKS, 'b4', 'nope')).toBeUndefined();
  });

  it('checks required fields and lengths before anything is sent, as the Slack client does', () => {
    expect(inputProblems(BLOCKS, { title: { value: 'far too long a title' } })).toEqual({
      title: 'Please enter no more than 10 characters (you have 20).',
      who: 'Please complete this required field.',
    });
    expect(inputProblems(BLOCKS, { title: { value: 'ok' }, who: { value: 'U0BOB' } })).toEqual({});
  });
});

describe('typed text', () => {
  const ws = new SlackWorkspace();
  it('escapes and turns @names and #channels into Slack mentions', () => {
    expect(slackifyText(ws, 'ping @Bob, see #incidents & <b>', false)).toBe(
      'ping <@U0BOB>, see <#C0INCIDENTS> &amp; &lt;b&gt;',
    );
    expect(slackifyText(ws, 'role comms @carol.', true)).toBe('role comms <@U0CAROL|carol>.');
    expect(slackifyText(ws, '@here @nobody mail@example.com', false)).toBe(
      '<!here> @nobody mail@example.com',
    );
  });
});

describe('event subscriptions', () => {
  it("delivers only what the manifest's bot_events subscribe to", () => {
    const subscribed = subscriptionFilter(['message.channels', 'reaction_added']);
    expect(subscribed({ type: 'message', channel_type: 'channel' })).toBe(true);
    expect(subscribed({ type: 'message', channel_type: 'group' })).toBe(false);
    expect(subscribed({ type: 'reaction_added' })).toBe(true);
    expect(subscribed({ type: 'member_joined_channel' })).toBe(false);
  });
});
