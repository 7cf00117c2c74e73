/**
 * What Slack receives from a real run, checked as Slack checks it: user groups and broadcasts never reach the
 * announce channel, titles are escaped exactly once, long input never makes Slack refuse a message
 * (`invalid_blocks`), and every Web API call carries only arguments its method takes.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type Harness, startMuster } from '../support/muster-harness.js';
import { type PagingWorld, startPagingWorld } from '../support/paging-world.js';
import { lastView, submission } from '../support/slack-interactions.js';
import { messageProblems, unknownArguments } from '../support/slack-limits.js';
import { removeTempDirs } from '../support/temp-dir.js';

const ANNOUNCE = 'C0INCIDENTS';
const WJ = '\u2060';

let h: Harness | null = null;
let w: PagingWorld | null = null;
afterEach(async () => {
  await h?.stop();
  await w?.stop();
  h = null;
  w = null;
});
afterAll(() => removeTempDirs());

const start = async (env: Record<string, string> = {}) => {
  h = await startMuster({ env: { INCIDENT_ANNOUNCE_CHANNEL: ANNOUNCE, ...env } });
  return h;
};

/** Declares from #general and returns the incident channel. */
async function declare(harness: Harness, text: string): Promise<string> {
  const r = await harness.command(`declare ${text}`, { user: 'U0ALICE' });
  expect(r.status).toBe(200);
  await harness.idle();
  return (await harness.app.deps.store.incidents.listOpen()).at(-1)!.channelId!;
}

const posted = (harness: Harness, channel: string) =>
  harness.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);

const everything = (calls: { args: Record<string, unknown> }[]) =>
  calls.map((c) => JSON.stringify(c.args)).join('\n');

describe('the bot never pings more people than the user did', () => {
  it('update, resolve and reopen reach the announce channel with user groups and broadcasts defused', async () => {
    const harness = await start();
    const channel = await declare(harness, 'sev2 checkout returns 500s');
    const groups = '<!subteam^S0DB|@db-oncall> <!subteam^S0PAY> <!here|here> <!channel> <!everyone>';
    for (const text of [
      `update still failing ${groups}`,
      `resolve fixed, thanks ${groups}`,
      `reopen back again ${groups}`,
    ]) {
      const r = await harness.command(text, { user: 'U0ALICE', channel });
      expect(r.status).toBe(200);
      await harness.idle();
    }
    const announce = posted(harness, ANNOUNCE);
    // the announcement and one reply each for the update, the resolution and the reopening
    expect(announce.length).toBeGreaterThanOrEqual(4);
    const all = everything(announce);
    expect(all).toContain(
      `still failing @${WJ}db-oncall @${WJ}S0PAY @${WJ}here @${WJ}channel @${WJ}everyone`,
    );
    expect(all).toContain(`fixed, thanks @${WJ}db-oncall`);
    expect(all).toContain(`back again @${WJ}db-oncall`);
    expect(all).not.toMatch(/<!(?:subteam|here|channel|everyone)/);
    // nor in the incident channel, where the same texts are confirmed
    expect(everything(posted(harness, channel))).not.toMatch(/<!(?:subteam|here|channel|everyone)/);
    // the timeline keeps what was written
    const updates = (await harness.app.deps.store.timeline.list(1)).filter((e) => e.kind === 'update');
    expect(updates[0]!.text).toContain('<!subteam^S0DB|@db-oncall>');
  });

  it('a user group in a title reaches neither the announce channel nor a team channel', async () => {
    const harness = await start();
    await declare(harness, 'sev2 <!subteam^S0DB|@db-oncall> checkout is down');
    const all = everything(posted(harness, ANNOUNCE));
    expect(all).toContain(`@${WJ}db-oncall checkout is down`);
    expect(all).not.toContain('<!subteam');
  });
});

describe('titles are escaped exactly once', () => {
  it('a title sent by /incident declare shows as typed in the header, the topic, the announcement and the answer', async () => {
    const harness = await start();
    // what Slack sends for `p99 < 300ms & rising`
    const r = await harness.command('declare sev2 p99 &lt; 300ms &amp; rising', { user: 'U0ALICE' });
    expect(r.text).toContain('INC-1: p99 &lt; 300ms &amp; rising');
    await harness.idle();
    const channel = (await harness.app.deps.store.incidents.get(1))!.channelId!;
    const headline = posted(harness, channel)[0]!.args.blocks as { type: string; text: { text: string } }[];
    expect(headline[0]!.text.text).toBe('INC-1: p99 < 300ms & rising');
    expect(harness.slack.lastCall('conversations.setTopic')!.args.topic).toContain('· p99 < 300ms & rising');
    // the channel is named from the words people read, not from the entities
    expect(harness.slack.lastCall('conversations.create')!.args.name).toBe('inc-1-p99-300ms-rising');
    const announcement = JSON.stringify(posted(harness, ANNOUNCE)[0]!.args);
    expect(announcement).toContain('INC-1: p99 &lt; 300ms &amp; rising');
    const everywhere = everything(harness.slack.calls);
    expect(everywhere).not.toContain('&amp;lt;');
    expect(everywhere).not.toContain('&amp;amp;');
  });

  it('a title typed in the declare form shows the same', async () => {
    const harness = await start();
    const opened = await harness.command('declare', {
      user: 'U0ALICE',
      triggerId: harness.slack.workspace.mintTriggerId('U0ALICE'),
    });
    expect(opened.status).toBe(200);
    await harness.idle();
    const r = await harness.interact(
      submission(lastView(harness), {
        title: { text: 'p99 < 300ms & rising <!here>' },
        severity: { option: '2' },
        description: { text: 'since <deploy> & after' },
      }),
    );
    expect(r.status).toBe(200);
    await harness.idle();
    const incident = (await harness.app.deps.store.incidents.get(1))!;
    expect(incident.title).toBe('p99 &lt; 300ms &amp; rising &lt;!here&gt;');
    const headline = posted(harness, incident.channelId!)[0]!.args.blocks as {
      type: string;
      text: { text: string };
    }[];
    expect(headline[0]!.text.text).toBe('INC-1: p99 < 300ms & rising <!here>');
    expect(JSON.stringify(headline[2])).toContain('since &lt;deploy&gt; &amp; after');
    expect(JSON.stringify(posted(harness, ANNOUNCE)[0]!.args)).toContain(
      'p99 &lt; 300ms &amp; rising &lt;!here&gt;',
    );
    // the form had no response_url: the declarer is told where the incident is, ephemerally
    const told = harness.slack.lastCall('chat.postEphemeral')!;
    expect(told.args.text).toContain('INC-1: p99 &lt; 300ms &amp; rising &lt;!here&gt; is open');
    expect(everything(harness.slack.calls)).not.toContain('&amp;lt;');
  });
});

describe('Slack never refuses a message built from long input', () => {
  it('lists action items of 2,990 characters, of 3,000 escaped `&` and 60 of them', async () => {
    // sixty commands in a row from one person, at one instant of the test's clock
    const harness = await start({ COMMANDS_PER_MINUTE: '1000' });
    const channel = await declare(harness, 'sev3 long follow-ups');
    await harness.command(`action ${'i'.repeat(2990)} <@U0BOB> p1 due 2026-12-01`, {
      user: 'U0ALICE',
      channel,
    });
    await harness.command(`action ${'&amp;'.repeat(600)}`, { user: 'U0ALICE', channel });
    await harness.command(`action ${'😀'.repeat(1500)}`, { user: 'U0ALICE', channel });
    for (let n = 0; n < 57; n++)
      await harness.command(`action follow-up ${n} ${'<'.repeat(10)}`, { user: 'U0ALICE', channel });
    await harness.idle();
    const r = await harness.command('actions', { user: 'U0ALICE', channel });
    expect(r.status).toBe(200);
    const answer = r.json as { text: string; blocks: unknown[] };
    expect(answer.blocks.length).toBeLessThanOrEqual(50);
    expect(messageProblems(answer)).toEqual([]);
    expect(JSON.stringify(answer)).toContain('owner <@U0BOB> · due 2026-12-01');
    // the confirmations went through: Slack refused none of the bot's posts
    expect(harness.slack.calls.filter((c) => c.failedWith)).toEqual([]);
    expect(harness.logs.records().filter((l) => l.msg === 'Slack API call failed')).toEqual([]);
  });

  it('confirms a page whose message is 3,000 characters that grow when escaped', async () => {
    w = await startPagingWorld();
    const incident = await w.declare('sev2 checkout returns 500s');
    const r = await w.inChannel(incident, `page checkout ${'<&>'.repeat(1000)}`);
    expect(r.status).toBe(200);
    await w.h.idle();
    const confirmation = w.h.slack
      .callsTo('chat.postMessage')
      .find((c) => c.args.channel === incident.channelId && String(c.args.text).startsWith(':pager: Paged'));
    expect(confirmation).toBeDefined();
    expect(messageProblems(confirmation!.args as { text: string; blocks: unknown[] })).toEqual([]);
    expect(w.h.logs.records().filter((l) => l.error === 'invalid_blocks')).toEqual([]);
  });

  it('the fake Slack refuses blocks over the limits, as Slack does', async () => {
    const harness = await start();
    const call = async (method: string, body: Record<string, unknown>) => {
      const res = await fetch(`${harness.slack.apiUrl}${method}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          authorization: `Bearer ${harness.slack.token}`,
        },
        body: JSON.stringify(body),
      });
      return (await res.json()) as { ok: boolean; error?: string; errors?: string[] };
    };
    const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
    const cases: [unknown[], string][] = [
      [[section('x'.repeat(3001))], 'must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
      [
        [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
        'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
      ],
      [
        [
          section('ok'),
          {
            type: 'actions',
            elements: [
              { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b'.repeat(76) } },
            ],
          },
        ],
        '[json-pointer:/blocks/1/elements/0/text/text]',
      ],
      [
        [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }],
        'must be at most 10 items [json-pointer:/blocks/0/fields]',
      ],
      [[section('')], 'must be more than 0 characters [json-pointer:/blocks/0/text/text]'],
    ];
    for (const [blocks, problem] of cases) {
      const answer = await call('chat.postMessage', { channel: 'C0GENERAL', text: 'x', blocks });
      expect(answer.ok).toBe(false);
      expect(answer.error).toBe('invalid_blocks');
      expect(
        answer.errors?.some((e) => e.includes(problem)),
        JSON.stringify(answer.errors),
      ).toBe(true);
    }
    const fine = await call('chat.postMessage', {
      channel: ANNOUNCE,
      text: 'x',
      blocks: [section('x'.repeat(3000))],
    });
    expect(fine, JSON.stringify(fine)).toMatchObject({ ok: true });
  });
});

describe('Web API arguments', () => {
  it('every call of a whole incident takes only the arguments its method takes (chat.postEphemeral: no unfurl)', async () => {
    const harness = await start();
    const opened = await harness.command('declare', {
      user: 'U0ALICE',
      triggerId: harness.slack.workspace.mintTriggerId('U0ALICE'),
    });
    expect(opened.status).toBe(200);
    await harness.idle();
    await harness.interact(
      submission(lastView(harness), { title: { text: 'checkout down' }, severity: { option: '2' } }),
    );
    await harness.idle();
    const channel = (await harness.app.deps.store.incidents.get(1))!.channelId!;
    for (const text of [
      'update looking',
      'note db slow',
      'action add alert',
      'role comms <@U0BOB>',
      'status monitoring',
      'resolve done',
      'reopen again',
    ]) {
      await harness.command(text, { user: 'U0ALICE', channel });
      await harness.idle();
    }
    const ephemeral = harness.slack.callsTo('chat.postEphemeral');
    expect(ephemeral.length).toBeGreaterThan(0);
    for (const c of ephemeral) {
      expect(c.args).not.toHaveProperty('unfurl_links');
      expect(c.args).not.toHaveProperty('unfurl_media');
    }
    expect(unknownArguments(harness.slack.calls)).toEqual([]);
  });
});
