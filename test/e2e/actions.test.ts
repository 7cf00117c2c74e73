/** Action items: recorded with owner, priority and due date, listed with buttons, marked done. */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type IncidentChannel, openIncident } from '../support/incident-channel.js';
import { removeTempDirs } from '../support/temp-dir.js';

let c: IncidentChannel | null = null;
afterEach(async () => {
  await c?.h.stop();
  c = null;
});
afterAll(() => removeTempDirs());

const press = (c: IncidentChannel, actionId: number, user = 'U0BOB') => ({
  type: 'block_actions',
  user: { id: user, username: 'bob', name: 'bob', team_id: 'T0MUSTER' },
  api_app_id: 'A0MUSTER',
  token: 'legacy-verification-token',
  container: { type: 'message', message_ts: '1.000100', channel_id: c.channel, is_ephemeral: true },
  trigger_id: c.h.slack.workspace.mintTriggerId(user),
  team: { id: 'T0MUSTER', domain: 'muster-sandbox' },
  channel: { id: c.channel, name: c.incident.channelName },
  response_url: c.h.slack.responseUrl(),
  actions: [
    {
      action_id: 'action.done',
      block_id: `action:${actionId}`,
      value: String(actionId),
      type: 'button',
      text: { type: 'plain_text', text: 'Mark done' },
      action_ts: '1.000200',
    },
  ],
});

describe('action items', () => {
  it('records, lists and completes action items, each on the timeline', async () => {
    c = await openIncident();
    const r = await c.command('action add an alert on pool saturation <@U0BOB> p1 due 2026-12-01');
    expect(r.status).toBe(200);
    await c.command('action write the <b>failover</b> | runbook');
    await c.h.idle();
    const items = await c.h.app.deps.store.actions.list(c.incident.number);
    expect(items.map((i) => [i.priority, i.text, i.ownerId, i.due])).toEqual([
      ['p1', 'add an alert on pool saturation', 'U0BOB', '2026-12-01'],
      ['p2', 'write the <b>failover</b> | runbook', null, null],
    ]);
    const confirm = c.h.slack
      .callsTo('chat.postMessage')
      .filter((m) => String(m.args.text).includes('recorded an action item'));
    expect(confirm).toHaveLength(2);
    expect(String(confirm[1]!.args.text)).toContain('write the &lt;b&gt;failover&lt;/b&gt; | runbook');

    const list = await c.command('actions');
    expect(list.json?.response_type).toBe('ephemeral');
    const blocks = JSON.stringify(list.json?.blocks);
    expect(blocks).toContain('2 open, 0 done');
    expect(blocks).toContain('"action_id":"action.done"');
    expect(blocks).toContain('owner <@U0BOB> · due 2026-12-01');

    const first = items[0]!.id;
    expect((await c.h.interact(press(c, first))).status).toBe(200);
    await c.h.idle();
    expect((await c.h.interact(press(c, first))).status).toBe(200);
    await c.h.idle();
    const done = (await c.h.app.deps.store.actions.get(first))!;
    expect(done.doneBy).toBe('U0BOB');
    const redrawn = c.h.slack.responses.at(-1)!.body as { blocks: unknown[]; replace_original: boolean };
    expect(redrawn.replace_original).toBe(true);
    expect(JSON.stringify(redrawn.blocks)).toContain('1 open, 1 done');
    expect(
      c.h.slack.callsTo('chat.postMessage').filter((m) => String(m.args.text).includes('marked done')),
    ).toHaveLength(1);

    const kinds = (await c.entries()).filter((e) => e.kind === 'action').map((e) => e.text);
    expect(kinds).toEqual([
      'Action item (P1): add an alert on pool saturation, owner <@U0BOB>, due 2026-12-01',
      'Action item (P2): write the <b>failover</b> | runbook',
      'Action item done: add an alert on pool saturation',
    ]);
  });

  it('refuses a malformed date, a bot or unknown owner, and works on a resolved incident', async () => {
    c = await openIncident();
    expect(String((await c.command('action fix it due 2026-13-01')).json?.text)).toMatch(
      /"2026-13-01" is not a date/,
    );
    expect(String((await c.command('action fix it due 12/01')).json?.text)).toMatch(
      /"12\/01" is not a date[\s\S]*Usage: `\/incident action/,
    );
    expect(String((await c.command('action fix it <@U0DEPLOYBOT>')).json?.text)).toMatch(/is a bot/);
    expect(String((await c.command('action fix it <@U0NOBODY>')).json?.text)).toMatch(
      /not a person in this workspace/,
    );
    expect(String((await c.command('action fix it <@bob> p1')).json?.text)).toMatch(
      /"<@bob>" is not a person/,
    );
    expect(await c.h.app.deps.store.actions.list(c.incident.number)).toHaveLength(0);
    await c.command('resolve rolled back');
    await c.h.idle();
    expect((await c.command('action add a canary stage p0')).status).toBe(200);
    expect((await c.h.app.deps.store.actions.list(c.incident.number)).map((i) => i.priority)).toEqual(['p0']);
    expect(String((await c.command('actions')).json?.text)).toContain('1 open, 0 done');
  });

  it('answers a press for an unknown action item', async () => {
    c = await openIncident();
    await c.h.interact(press(c, 999));
    await c.h.idle();
    expect(JSON.stringify(c.h.slack.responses.at(-1)!.body)).toContain('no longer exists');
  });
});
